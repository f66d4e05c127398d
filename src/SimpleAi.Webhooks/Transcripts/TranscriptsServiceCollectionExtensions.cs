using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Transcripts;

public static class TranscriptsServiceCollectionExtensions
{
    /// <summary>Live transcripts during the call: coalesced fetches, the stored lines, and keyword triggers that start a step (<c>Transcripts</c>).</summary>
    public static IServiceCollection AddLiveTranscripts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TranscriptOptions, TranscriptOptionsValidator>(configuration, TranscriptOptions.Section);
        services.TryAddSingleton<TranscriptStore>();
        services.TryAddSingleton<Calls.CallIndex>();
        services.TryAddSingleton<TranscriptCoalescer>();
        services.TryAddSingleton<TranscriptFetcher>();
        services.TryAddSingleton<KeywordTriggers>();
        return services;
    }
}
