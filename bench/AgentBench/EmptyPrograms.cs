using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FleetNet.Bench.Agent;

/// <summary>
/// Two eBPF programs that return at once (empty.bpf.c), attached by hold.c to the two tracepoints the agent's
/// send and receive programs use, for as long as this object lives. What they cost is the kernel's dispatch of
/// a program on every socket call: the floor any per-call eBPF accounting pays on this kernel, measured beside
/// the agent so the agent's own share can be read off.
/// </summary>
internal sealed class EmptyPrograms : IDisposable
{
    private readonly Process _holder;

    public EmptyPrograms(Build build)
    {
        _holder = Process.Start(new ProcessStartInfo(build.Holder, [build.Object])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        if (_holder.StandardOutput.ReadLine() != "attached")
        {
            _holder.WaitForExit();
            throw new InvalidOperationException($"{build.Holder} could not attach {build.Object} (exit {_holder.ExitCode})");
        }
    }

    /// <summary>The compiled holder and object.</summary>
    public sealed record Build(string Holder, string Object);

    /// <summary>Compiles both (clang, libbpf); null, with the reason on stderr, where this machine cannot.</summary>
    public static Build? Compile()
    {
        var (multiarch, arch) = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? ("aarch64-linux-gnu", "arm64") : ("x86_64-linux-gnu", "x86");
        try
        {
            var obj = Native.Compile("clang", "empty.bpf.c", "empty.bpf.o", "-O2", "-g", "-target", "bpf", $"-D__TARGET_ARCH_{arch}", $"-I/usr/include/{multiarch}", "-c");
            var holder = Native.Compile("cc", "hold.c", "fleetnet-hold", "-O2", "-Wall", "-lbpf");
            return new Build(holder, obj);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            Console.Error.WriteLine($"AgentBench: no empty-program floor ({e.Message.Trim()})");
            return null;
        }
    }

    public void Dispose()
    {
        _holder.StandardInput.Close();
        _holder.WaitForExit();
        _holder.Dispose();
    }
}
