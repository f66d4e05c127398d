namespace SimpleAi.Webhooks.Storage;

/// <summary>Table names, shared by the code, the tests and (later) the Bicep that provisions them.</summary>
public static class TableNames
{
    /// <summary>One row per webhook delivery, keyed by <c>event_id</c>: insert-if-absent is the dedupe.</summary>
    public const string Deliveries = "deliveries";

    /// <summary>One row per workflow run (one per call), with the state of every step.</summary>
    public const string Runs = "runs";

    /// <summary>Contacts for the pre-call lookup, one row per E.164 number.</summary>
    public const string Contacts = "contacts";

    /// <summary>Live transcript lines and their fetch-coalescing state, partition = call id.</summary>
    public const string Transcripts = "transcripts";

    /// <summary>One row per call (partition = call id): started, then updated by later steps.</summary>
    public const string Calls = "calls";

    /// <summary>One row per rate-limited destination: when its next delivery may start (see DestinationRateLimiter).</summary>
    public const string RateLimits = "ratelimits";

    /// <summary>One row per outbound destination (an action step): active or paused, its failure streak and probe.</summary>
    public const string Destinations = "destinations";

    /// <summary>Every call by the hour it started and by its numbers, for the console and retention (see <c>CallIndex</c>).</summary>
    public const string CallIndex = "callindex";

    /// <summary>
    /// One row per pre-call answer: PartitionKey = the answer's UTC hour (<c>yyyyMMddHH</c>), RowKey =
    /// <c>{caller E.164}|{reversed ticks}</c> (see PreCallRecordStore).
    /// </summary>
    public const string PreCalls = "precalls";

    /// <summary>What deletion leaves: the retention watermark, erased calls and erasure audits, no call data (see <c>LifecycleRecords</c>).</summary>
    public const string Lifecycle = "lifecycle";
}
