using System.Diagnostics;

namespace FleetNet.Agent.Tests.Processes;

/// <summary>Child processes that move known bytes with bash builtins (so the bytes are the child's own).</summary>
internal static class Children
{
    /// <summary>bash -c script, run to completion; returns its pid.</summary>
    public static int Run(string file, params string[] args)
    {
        using var child = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var errors = child.StandardError.ReadToEnd();
        Assert.True(child.WaitForExit(30_000), "child did not exit");
        Assert.True(child.ExitCode == 0, file + " failed: " + errors);
        return child.Id;
    }

    /// <summary>A bash script that sends <paramref name="bytes"/> spaces to host:port over TCP and exits.</summary>
    public static string SendTcp(string host, int port, int bytes) =>
        $"exec 3<>/dev/tcp/{host}/{port}; printf '%*s' {bytes} '' >&3; exec 3>&-";

    public static ulong Inode(string path)
    {
        var output = Capture("stat", "-L", "-c", "%i", path);
        return ulong.Parse(output.Trim());
    }

    public static string Capture(string file, params string[] args)
    {
        using var child = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = child.StandardOutput.ReadToEnd();
        var errors = child.StandardError.ReadToEnd();
        child.WaitForExit();
        Assert.True(child.ExitCode == 0, file + " " + string.Join(' ', args) + " failed: " + errors);
        return output;
    }
}
