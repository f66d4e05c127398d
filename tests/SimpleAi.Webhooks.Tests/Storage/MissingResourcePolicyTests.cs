using System.Net;
using Azure;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Tests.Storage;

/// <summary>
/// A 404 that names its code only in the table service's JSON body (no <c>x-ms-error-code</c> header; Azurite sends the
/// header, so the Azurite tests never take this branch): a missing table is named, a missing row stays a miss.
/// </summary>
public sealed class MissingResourcePolicyTests
{
    [Fact]
    public async Task TableNotFoundInTheBodyOnly_IsAMissingTableNamingIt()
    {
        var table = TableAnswering404("""{"odata.error":{"code":"TableNotFound","message":{"lang":"en-US","value":"The table specified does not exist."}}}""");

        var error = await Assert.ThrowsAsync<StorageResourceMissingException>(
            () => table.GetEntityIfExistsAsync<TableEntity>("p", "r"));

        Assert.Equal(("table", "contacts", 404, "TableNotFound"), (error.Kind, error.Name, error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task ResourceNotFoundInTheBodyOnly_IsAMissingRow()
    {
        var table = TableAnswering404("""{"odata.error":{"code":"ResourceNotFound","message":{"lang":"en-US","value":"The specified resource does not exist."}}}""");

        var found = await table.GetEntityIfExistsAsync<TableEntity>("p", "r");

        Assert.False(found.HasValue);
    }

    private static TableClient TableAnswering404(string body)
    {
        var options = AzureConnections.TableOptions();
        options.Retry.MaxRetries = 0;
        options.Transport = new HttpClientTransport(new HttpClient(new Answer404(body)));
        return new TableClient(new Uri("https://account.table.core.windows.net/contacts"), new AzureSasCredential("sv=x&sig=y"), options);
    }

    private sealed class Answer404(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            });
    }
}
