namespace SimpleAi.Functions.Tests.Lifecycle;

/// <summary>
/// An Azurite of the lifecycle tests' own, provisioned as the app's: they list whole accounts and sweep whole hours of
/// the index, which they must not do to other tests' data.
/// </summary>
public sealed class LifecycleAzurite : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new() { Provisioned = false };

    public string ConnectionString => _azurite.ConnectionString;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        await AppStorage.ProvisionAsync(_azurite.ConnectionString);
    }

    public Task DisposeAsync() => _azurite.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LifecycleCollection : ICollectionFixture<LifecycleAzurite>
{
    public const string Name = "Lifecycle";
}
