using System.Net;
using System.Net.Sockets;

namespace FleetNet.Agent.Tests.Processes;

/// <summary>TCP listeners that read every connection to its end, for children that send and close.</summary>
internal sealed class LoopbackSink : IDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _accepting = [];
    private long _received;

    public LoopbackSink(int ports = 1, IPAddress? address = null)
    {
        for (var i = 0; i < ports; i++)
        {
            var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
            listener.Start();
            _listeners.Add(listener);
            _accepting.Add(AcceptAsync(listener));
        }
    }

    public int Port => Ports[0];

    public List<int> Ports => _listeners.ConvertAll(l => ((IPEndPoint)l.LocalEndpoint).Port);

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Bounded polling for the bytes to arrive (a real condition, not a sleep for correctness).</summary>
    public void WaitForBytes(long bytes)
    {
        var deadline = Environment.TickCount64 + 15_000;
        while (Received < bytes && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.True(Received >= bytes, $"received {Received} of {bytes} bytes");
    }

    public void Dispose()
    {
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
                _ = DrainAsync(client);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task DrainAsync(TcpClient client)
    {
        using (client)
        {
            var buffer = new byte[65_536];
            var stream = client.GetStream();
            int read;
            try
            {
                while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    Interlocked.Add(ref _received, read);
                }
            }
            catch (IOException)
            {
            }
        }
    }
}
