using System.Globalization;
using System.Runtime.InteropServices;
using FleetNet.Agent.Hosting;

namespace FleetNet.Agent.Tests.Hosting;

public sealed unsafe partial class FilePagesTests : IDisposable
{
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 2;
    private const int Length = 1 << 20;

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"fleetnet-filepages-{Guid.NewGuid():N}");

    public FilePagesTests()
    {
        var content = new byte[Length];
        for (var i = 0; i < content.Length; i++)
        {
            content[i] = (byte)(i * 7);
        }

        File.WriteAllBytes(_path, content);
    }

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Releasable_Smaps_OnlyResidentReadOnlyPrivateFileMappingsNeverWritten()
    {
        const string smaps = """
            55d000000000-55d000100000 r-xp 00000000 08:01 1234                       /usr/bin/agent
            Size:               1024 kB
            Rss:                 512 kB
            Anonymous:             0 kB
            VmFlags: rd ex mr mw me dw
            55d000100000-55d000200000 r--p 00100000 08:01 1234                       /usr/bin/agent
            Rss:                 256 kB
            Anonymous:            20 kB
            55d000200000-55d000300000 rw-p 00200000 08:01 1234                       /usr/bin/agent
            Rss:                 128 kB
            Anonymous:             0 kB
            7f0000000000-7f0000010000 r--s 00000000 08:01 99                         /var/lib/shared.db
            Rss:                  64 kB
            Anonymous:             0 kB
            7f0000010000-7f0000020000 r--p 00000000 08:01 77                         /usr/lib/x86_64-linux-gnu/libc.so.6
            Rss:                   0 kB
            Anonymous:             0 kB
            7f0000020000-7f0000030000 r--p 00000000 08:01 78                         /usr/lib/x86_64-linux-gnu/libm.so.6
            Rss:                  16 kB
            7f0000030000-7f0000040000 r-xp 00000000 08:01 79                         /usr/lib/x86_64-linux-gnu/libz.so.1 (deleted)
            Rss:                  64 kB
            Anonymous:             0 kB
            7f0000040000-7f0000050000 r--p 00000000 00:00 0                          [vvar]
            Rss:                   8 kB
            Anonymous:             0 kB
            7f0000050000-7f0000060000 rw-p 00000000 00:00 0                          [heap]
            Rss:                  64 kB
            Anonymous:            64 kB
            zzzz-7f0000070000 r-xp 00000000 08:01 80                                 /broken
            Rss:                  64 kB
            Anonymous:             0 kB
            """;

        var releasable = FilePages.Releasable(smaps.Split('\n'));

        Assert.Equal(
            [
                new FilePages.Mapping(0x55d000000000, 0x55d000100000, 512 * 1024),
                new FilePages.Mapping(0x7f0000030000, 0x7f0000040000, 64 * 1024),
            ],
            releasable);
    }

    [Fact]
    public void Release_ReadOnlyFileMapping_LeavesRssAndComesBackUnchanged()
    {
        var fd = open(_path, 0);
        Assert.True(fd >= 0);
        var map = mmap(0, Length, ProtRead, MapPrivate, fd, 0);
        close(fd);
        Assert.NotEqual(-1, map);
        try
        {
            var before = Checksum(map);
            Assert.Equal(Length, ResidentBytes(map));

            var released = FilePages.Release();

            Assert.True(released >= Length);
            Assert.Equal(0, ResidentBytes(map));
            Assert.Equal(before, Checksum(map));
            Assert.Equal(Length, ResidentBytes(map));
        }
        finally
        {
            munmap(map, Length);
        }
    }

    [Fact]
    public void Release_WrittenPrivateMapping_KeepsWhatWasWritten()
    {
        var fd = open(_path, 0);
        Assert.True(fd >= 0);
        var map = mmap(0, Length, ProtRead | ProtWrite, MapPrivate, fd, 0);
        close(fd);
        Assert.NotEqual(-1, map);
        try
        {
            ((byte*)map)[4096] = 0xAB;
            Assert.Equal(0, mprotect(map, Length, ProtRead));

            FilePages.Release();

            Assert.Equal(0xAB, ((byte*)map)[4096]);
            Assert.Equal(unchecked((byte)(4097 * 7)), ((byte*)map)[4097]);
        }
        finally
        {
            munmap(map, Length);
        }
    }

    private static long Checksum(nint map)
    {
        long sum = 0;
        for (var i = 0; i < Length; i += 512)
        {
            sum += ((byte*)map)[i] * (i + 1L);
        }

        return sum;
    }

    /// <summary>The Rss of the mapping that starts at <paramref name="map"/>, from /proc/self/smaps.</summary>
    private static long ResidentBytes(nint map)
    {
        var header = ((ulong)map).ToString("x", CultureInfo.InvariantCulture) + "-";
        var inMapping = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && line.AsSpan(0, dash).ContainsAnyExcept("0123456789abcdef") is false)
            {
                inMapping = line.StartsWith(header, StringComparison.Ordinal);
            }
            else if (inMapping && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                return long.Parse(line["Rss:".Length..^" kB".Length].Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no mapping at {header}");
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int munmap(nint address, nuint length);
}
