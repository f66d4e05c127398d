namespace SimpleAi.Cli;

internal static class CliStorage
{
    /// <summary>Runs a storage call, turning "cannot reach it" into one line that names the setting to fix.</summary>
    public static async Task<T> Call<T>(CliSettings settings, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or HttpRequestException)
        {
            throw new UsageException(
                $"cannot use the storage from {settings.Source}: {FirstLine(e.Message)} (set SimpleAiStorage in local.settings.json or the environment, or start Azurite)");
        }
        catch (Azure.Messaging.ServiceBus.ServiceBusException e)
        {
            throw new UsageException(
                $"cannot use Service Bus (SimpleAiServiceBus): {FirstLine(e.Message)} ({e.Reason}; the identity needs Azure Service Bus Data Receiver and Sender)");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
