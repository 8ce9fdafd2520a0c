using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using FleetNet.Agent.Interop;
using FleetNet.Agent.Processes;

namespace FleetNet.Agent.Tests.Interop;

/// <summary>The C# mirrors agree with the C structs as compiled into the embedded object (its BTF).</summary>
public sealed partial class StructLayoutTests
{
    [Theory]
    [InlineData("fn_key", typeof(UsageKey))]
    [InlineData("fn_value", typeof(UsageValue))]
    [InlineData("fn_ep_key", typeof(EndpointKey))]
    [InlineData("fn_ep_value", typeof(EndpointValue))]
    [InlineData("fn_proc_key", typeof(ProcKey))]
    [InlineData("fn_proc", typeof(ProcRecord))]
    [InlineData("fn_cg_key", typeof(CgroupKey))]
    [InlineData("fn_cg_value", typeof(CgroupValue))]
    public void Mirror_EmbeddedObjectBtf_SameSizeAndOffsets(string cName, Type mirror)
    {
        var (size, members) = ReadStruct(cName);

        Assert.Equal(size, Marshal.SizeOf(mirror));
        Assert.Equal(size, ManagedSize(mirror));
        Assert.NotEmpty(members);
        foreach (var (member, bitOffset) in members)
        {
            Assert.Equal(bitOffset / 8, (int)Marshal.OffsetOf(mirror, PascalCase(member)));
        }
    }

    private static int ManagedSize(Type mirror) =>
        mirror == typeof(UsageKey) ? Unsafe.SizeOf<UsageKey>()
        : mirror == typeof(UsageValue) ? Unsafe.SizeOf<UsageValue>()
        : mirror == typeof(EndpointKey) ? Unsafe.SizeOf<EndpointKey>()
        : mirror == typeof(EndpointValue) ? Unsafe.SizeOf<EndpointValue>()
        : mirror == typeof(ProcKey) ? Unsafe.SizeOf<ProcKey>()
        : mirror == typeof(ProcRecord) ? Unsafe.SizeOf<ProcRecord>()
        : mirror == typeof(CgroupKey) ? Unsafe.SizeOf<CgroupKey>()
        : Unsafe.SizeOf<CgroupValue>();

    private static (int Size, List<(string Name, int BitOffset)> Members) ReadStruct(string name)
    {
        var btf = DumpEmbeddedObjectBtf();
        var header = Regex.Match(btf, $@"STRUCT '{name}' size=(\d+) vlen=(\d+)\n((?:\t.*\n)*)");
        Assert.True(header.Success, $"struct {name} not in the BTF of the embedded object");
        var members = new List<(string, int)>();
        foreach (Match member in MemberPattern().Matches(header.Groups[3].Value))
        {
            members.Add((member.Groups[1].Value, int.Parse(member.Groups[2].Value)));
        }

        Assert.Equal(int.Parse(header.Groups[2].Value), members.Count);
        return (int.Parse(header.Groups[1].Value), members);
    }

    private static string DumpEmbeddedObjectBtf()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleetnet-{Environment.ProcessId}-{Guid.NewGuid():N}.bpf.o");
        File.WriteAllBytes(path, BpfLoader.ReadEmbeddedObject());
        try
        {
            var start = new ProcessStartInfo("bpftool", ["btf", "dump", "file", path, "format", "raw"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var bpftool = Process.Start(start)!;
            var output = bpftool.StandardOutput.ReadToEnd();
            var errors = bpftool.StandardError.ReadToEnd();
            bpftool.WaitForExit();
            Assert.True(bpftool.ExitCode == 0, "bpftool btf dump failed: " + errors);
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string PascalCase(string snake)
    {
        var parts = snake.Split('_');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = char.ToUpperInvariant(parts[i][0]) + parts[i][1..];
        }

        return string.Concat(parts);
    }

    [GeneratedRegex(@"\t'(\w+)' type_id=\d+ bits_offset=(\d+)")]
    private static partial Regex MemberPattern();
}
