namespace FleetNet.Agent.Tests.Interfaces;

/// <summary>A throwaway <c>/sys</c> tree: <c>class/net/{name}/{ifindex,speed,statistics/*}</c>.</summary>
internal sealed class SysfsTree : IDisposable
{
    public SysfsTree() => Directory.CreateDirectory(Path.Combine(Root, "class", "net"));

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "fleetnet-sys-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes every counter of one interface; rx counters get <paramref name="rx"/>, tx <paramref name="tx"/>.</summary>
    public void SetInterface(string name, int ifIndex, ulong rx, ulong tx, string speed = "1000")
    {
        var directory = InterfaceDirectory(name);
        Directory.CreateDirectory(Path.Combine(directory, "statistics"));
        File.WriteAllText(Path.Combine(directory, "ifindex"), ifIndex + "\n");
        File.WriteAllText(Path.Combine(directory, "speed"), speed + "\n");
        foreach (var kind in (string[])["bytes", "packets", "errors", "dropped"])
        {
            SetStatistic(name, "rx_" + kind, rx.ToString() + "\n");
            SetStatistic(name, "tx_" + kind, tx.ToString() + "\n");
        }
    }

    public void SetStatistic(string name, string file, string content) =>
        File.WriteAllText(Path.Combine(InterfaceDirectory(name), "statistics", file), content);

    public void RemoveFile(string name, string relativePath) =>
        File.Delete(Path.Combine(InterfaceDirectory(name), relativePath));

    public void RemoveInterface(string name) => Directory.Delete(InterfaceDirectory(name), recursive: true);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private string InterfaceDirectory(string name) => Path.Combine(Root, "class", "net", name);
}
