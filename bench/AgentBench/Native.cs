using System.Diagnostics;

namespace FleetNet.Bench.Agent;

/// <summary>The bench's C helpers, compiled here at each run from the sources copied next to the bench.</summary>
internal static class Native
{
    /// <summary>Compiles <paramref name="source"/> into a temporary directory (flags after the source, so libraries link); returns the output's path.</summary>
    public static string Compile(string compiler, string source, string output, params string[] flags)
    {
        var sourcePath = Path.Combine(AppContext.BaseDirectory, source);
        var outputPath = Path.Combine(Directory.CreateTempSubdirectory("fleetnet-bench-").FullName, output);
        using var process = Process.Start(new ProcessStartInfo(compiler, [sourcePath, "-o", outputPath, .. flags]) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{compiler} failed on {sourcePath}: {errors}");
        }

        return outputPath;
    }
}
