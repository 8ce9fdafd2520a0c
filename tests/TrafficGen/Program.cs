// A child process for end-to-end tests: moves an exact number of bytes over loopback, prints what it
// moved as "moved <sent> <received>", then stays alive until its standard input closes, so the agent
// sees a live process.
//   trafficgen tcp PORT SEND RECEIVE     connect to 127.0.0.1:PORT, send SEND bytes, read RECEIVE bytes
//   trafficgen udp PORT COUNT SIZE       send COUNT datagrams of SIZE bytes, each answered by an echo
using System.Globalization;
using System.Net;
using System.Net.Sockets;

var port = int.Parse(args[1], CultureInfo.InvariantCulture);
var a = long.Parse(args[2], CultureInfo.InvariantCulture);
var b = long.Parse(args[3], CultureInfo.InvariantCulture);
long sent = 0, received = 0;
var buffer = new byte[65536];

if (args[0] == "tcp")
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    socket.Connect(IPAddress.Loopback, port);
    while (sent < a)
    {
        sent += socket.Send(buffer, (int)Math.Min(buffer.Length, a - sent), SocketFlags.None);
    }

    while (received < b)
    {
        var n = socket.Receive(buffer, (int)Math.Min(buffer.Length, b - received), SocketFlags.None);
        if (n == 0)
        {
            break;
        }

        received += n;
    }
}
else
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    socket.Connect(IPAddress.Loopback, port);
    socket.ReceiveTimeout = 5000;
    for (var i = 0; i < a; i++)
    {
        sent += socket.Send(buffer, (int)b, SocketFlags.None);
        received += socket.Receive(buffer);
    }
}

Console.WriteLine($"moved {sent} {received}");
Console.In.ReadToEnd();
