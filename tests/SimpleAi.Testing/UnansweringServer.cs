using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SimpleAi.Testing;

/// <summary>
/// A loopback TCP port that accepts every connection and never answers (a storage account that hangs): unlike a
/// <see cref="ClosedPort"/>, a client gets no error, only silence, until its own timeout.
/// </summary>
public sealed class UnansweringServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Socket> _connections = [];
    private readonly Task _accepting;

    public UnansweringServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections it accepted (and left unanswered).</summary>
    public int Accepted => _connections.Count;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                _connections.Add(await _listener.AcceptSocketAsync());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _accepting;
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }
}
