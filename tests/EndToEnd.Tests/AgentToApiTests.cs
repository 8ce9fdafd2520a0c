using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FleetNet.Hub.Tests.Storage;
using Xunit.Abstractions;

namespace FleetNet.EndToEnd.Tests;

/// <summary>
/// The whole path for real: a child process moves a known number of bytes over loopback; the agent's eBPF
/// program attributes them; the agent streams them to the hub; the hub stores them in PostgreSQL; the API
/// reports that process with those bytes.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AgentToApiTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly string TrafficGen = Path.Combine(AppContext.BaseDirectory, "trafficgen");

    [Fact]
    public async Task Agent_ChildMovesBytesOverTcp_ApiReportsThatProcessWithThoseBytes()
    {
        if (!Privileges.Root())
        {
            return;
        }

        await using var stack = await FleetNetStack.StartAsync(postgres);
        await ChildMovesTcpBytesAndApiReportsThemAsync(stack);
    }

    [Fact]
    public async Task Agent_EnrolledOverGeneratedTls_ApiReportsThatProcessWithThoseBytes()
    {
        if (!Privileges.Root())
        {
            return;
        }

        var state = Path.Combine(Path.GetTempPath(), $"h1-e2e-tls-{Guid.NewGuid():N}");
        try
        {
            await using var stack = await FleetNetStack.StartSecureAsync(postgres, state);
            await ChildMovesTcpBytesAndApiReportsThemAsync(stack);

            Assert.StartsWith("fna_", await File.ReadAllTextAsync(Path.Combine(state, "agent.secret")), StringComparison.Ordinal);
            Assert.StartsWith("https://", stack.GrpcUrl, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Agent_GivenOnlyATokenCarryingTheCaPin_StoresThatCaAndStreamsOverTls()
    {
        if (!Privileges.Root())
        {
            return;
        }

        var state = Path.Combine(Path.GetTempPath(), $"h1-e2e-pin-{Guid.NewGuid():N}");
        try
        {
            await using var stack = await FleetNetStack.StartSecureAsync(postgres, state, caFromToken: true);
            await ChildMovesTcpBytesAndApiReportsThemAsync(stack);

            Assert.Equal(
                System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(state, "tls", "ca.pem"))).Thumbprint,
                System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(state, "hub-ca.pem"))).Thumbprint);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private async Task ChildMovesTcpBytesAndApiReportsThemAsync(FleetNetStack stack)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        const long ToServer = 4_000_000, ToChild = 1_500_000;

        await using var child = ChildProcess.Start(TrafficGen, ["tcp", Port(listener), $"{ToServer}", $"{ToChild}"], redirectInput: true);
        using (var server = await listener.AcceptSocketAsync())
        {
            var buffer = new byte[65536];
            for (long read = 0; read < ToServer;)
            {
                read += await server.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, ToServer - read)));
            }

            for (long written = 0; written < ToChild;)
            {
                written += await server.SendAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, ToChild - written)));
            }
        }

        var (sent, received) = Moved(await child.WaitForLineAsync("moved ", TimeSpan.FromSeconds(30)));
        Assert.Equal((ToServer, ToChild), (sent, received));

        var item = await stack.WaitForProcessAsync(child.Pid, i => Within1Percent(i, sent, received), TimeSpan.FromSeconds(60));

        AssertWithin1Percent(item, sent, received);
        Assert.Equal("trafficgen", item.GetProperty("process").GetString());
        Assert.EndsWith("/trafficgen", item.GetProperty("exe").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_ChildMovesDatagramsOverUdp_ApiReportsThatProcessWithThoseBytes()
    {
        if (!Privileges.Root())
        {
            return;
        }

        await using var stack = await FleetNetStack.StartAsync(postgres);
        using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        const int Datagrams = 500, Size = 1200;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var echoing = EchoAsync(echo, Datagrams, stop.Token);

        await using var child = ChildProcess.Start(TrafficGen, ["udp", $"{((IPEndPoint)echo.LocalEndPoint!).Port}", $"{Datagrams}", $"{Size}"], redirectInput: true);
        var (sent, received) = Moved(await child.WaitForLineAsync("moved ", TimeSpan.FromSeconds(30)));
        await echoing;
        Assert.Equal((Datagrams * (long)Size, Datagrams * (long)Size), (sent, received));

        var item = await stack.WaitForProcessAsync(child.Pid, i => Within1Percent(i, sent, received), TimeSpan.FromSeconds(60));

        AssertWithin1Percent(item, sent, received);
        Assert.Equal(Datagrams, item.GetProperty("txCalls").GetInt64());
    }

    private static async Task EchoAsync(Socket socket, int datagrams, CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        for (var i = 0; i < datagrams; i++)
        {
            var from = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
            await socket.SendToAsync(buffer.AsMemory(0, from.ReceivedBytes), from.RemoteEndPoint, cancellationToken);
        }
    }

    private static string Port(TcpListener listener) =>
        ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

    private static (long Sent, long Received) Moved(string line)
    {
        var parts = line.Split(' ');
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static bool Within1Percent(JsonElement item, long sent, long received) =>
        Math.Abs(item.GetProperty("txBytes").GetInt64() - sent) <= sent / 100
        && Math.Abs(item.GetProperty("rxBytes").GetInt64() - received) <= received / 100;

    private void AssertWithin1Percent(JsonElement item, long sent, long received)
    {
        output.WriteLine($"moved by the child: sent {sent}, received {received}; reported by the API: tx {item.GetProperty("txBytes")}, rx {item.GetProperty("rxBytes")}");
        Assert.InRange(item.GetProperty("txBytes").GetInt64(), sent - (sent / 100), sent + (sent / 100));
        Assert.InRange(item.GetProperty("rxBytes").GetInt64(), received - (received / 100), received + (received / 100));
    }
}
