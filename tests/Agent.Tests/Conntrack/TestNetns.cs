using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace FleetNet.Agent.Tests.Conntrack;

/// <summary>
/// A named network namespace (<c>ip netns add</c>) deleted on dispose, and a way to create sockets in it:
/// a socket belongs to the namespace of the thread that created it, so <see cref="Run{T}"/> runs the
/// code on a fresh thread that joined the namespace first.
/// </summary>
internal sealed class TestNetns : IDisposable
{
    public TestNetns(string name)
    {
        Name = name;
        Ip("netns", "del", name, allowFailure: true);
        Ip("netns", "add", name);
        Ip("-n", name, "link", "set", "lo", "up");
    }

    public string Name { get; }

    public void Dispose() => Ip("netns", "del", Name, allowFailure: true);

    /// <summary>Runs <paramref name="action"/> on a new thread inside this namespace.</summary>
    public T Run<T>(Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using SafeFileHandle ns = File.OpenHandle("/var/run/netns/" + Name);
                if (global::FleetNet.Agent.Interop.Interop.Netlink.setns((int)ns.DangerousGetHandle(), global::FleetNet.Agent.Interop.Interop.Netlink.CLONE_NEWNET) != 0)
                {
                    throw new InvalidOperationException("setns failed: errno " + System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
                }

                // The thread ends here, so it never goes back to serve other work from the wrong namespace.
                result = action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return error is null ? result : throw new InvalidOperationException("in netns " + Name + ": " + error.Message, error);
    }

    /// <summary>Runs a command in this namespace (ip netns exec) and fails on a non-zero exit.</summary>
    public string Exec(string file, params string[] args) => Command("ip", ["netns", "exec", Name, file, .. args], stdin: null);

    public string ExecWithInput(string stdin, string file, params string[] args) =>
        Command("ip", ["netns", "exec", Name, file, .. args], stdin);

    public static void Ip(params string[] args) => Command("ip", args, stdin: null);

    private static void Ip(string a, string b, string c, bool allowFailure)
    {
        if (allowFailure)
        {
            using var process = Process.Start(new ProcessStartInfo("ip", [a, b, c]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return;
        }

        Command("ip", [a, b, c], stdin: null);
    }

    public static string Command(string file, string[] args, string? stdin)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), file + " did not finish");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
        return output;
    }
}
