namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// Takes in the messages the transport gave up on by itself (the Storage host's poison copies, Service Bus
/// dead-letters): records what they left undone and keeps them, as the app's wrapper, in <c>&lt;queue&gt;-poison</c>.
/// Run by the <c>PoisonSweep</c> timer function.
/// </summary>
public interface IPoisonSweeper
{
    /// <returns>How many messages were taken in.</returns>
    Task<int> SweepAsync(CancellationToken cancellationToken);
}
