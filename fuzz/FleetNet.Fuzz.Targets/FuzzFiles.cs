namespace FleetNet.Fuzz;

/// <summary>Turns one fuzz input into a small file tree for the readers that take a root path.</summary>
internal static class FuzzFiles
{
    private const byte Separator = 0xFF;

    /// <summary>A per-process scratch root under /tmp (or $FLEETNET_FUZZ_TMP), reused by every input.</summary>
    public static string Root(string name)
    {
        var baseDirectory = Environment.GetEnvironmentVariable("FLEETNET_FUZZ_TMP") is { Length: > 0 } custom ? custom : Path.GetTempPath();
        var root = Path.Combine(baseDirectory, $"fleetnet-fuzz-{Environment.ProcessId}", name);
        Directory.CreateDirectory(root);
        return root;
    }

    /// <summary>Splits <paramref name="data"/> on 0xFF into exactly <paramref name="count"/> parts (missing ones empty).</summary>
    public static byte[][] Split(byte[] data, int count)
    {
        var parts = new byte[count][];
        var rest = data.AsSpan();
        for (var i = 0; i < count; i++)
        {
            var end = i == count - 1 ? -1 : rest.IndexOf(Separator);
            parts[i] = (end < 0 ? rest : rest[..end]).ToArray();
            rest = end < 0 ? [] : rest[(end + 1)..];
        }

        return parts;
    }

    public static void Write(string root, string relativePath, byte[] content)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }
}
