namespace FleetNet.Agent.Tests.Processes;

/// <summary>
/// A private copy of Fixtures/proc with the exe symlinks git and the build copy cannot carry
/// (their targets need not exist), deleted afterwards.
/// </summary>
internal sealed class ProcFixture : IDisposable
{
    public ProcFixture()
    {
        Root = Directory.CreateTempSubdirectory("fleetnet-proc-").FullName;
        var source = Path.Combine(AppContext.BaseDirectory, "Fixtures", "proc");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.CreateSymbolicLink(Path.Combine(Root, "100", "exe"), "/usr/bin/curl");
    }

    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
