using System.Diagnostics;
using System.Security.Cryptography;

namespace FleetNet.Hub.Tls;

/// <summary>Writing key and certificate files atomically, and the lock that keeps hub replicas sharing a directory apart.</summary>
internal static class PemFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes through a temporary file and a rename, so a reader sees the old file or the new one, never half of one.</summary>
    public static void WriteAtomically(string path, string pem, bool secret)
    {
        var temporary = $"{path}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret ? OwnerOnly : OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(pem));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// An exclusive lock on <paramref name="path"/> (flock through FileShare.None), waited for up to
    /// <paramref name="timeout"/>: the first replica creates the CA, the others wait and then read it.
    /// </summary>
    public static FileStream Lock(string path, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < timeout)
            {
                // Another hub holds it for the few milliseconds certificate creation takes.
                Thread.Sleep(50);
            }
        }
    }
}
