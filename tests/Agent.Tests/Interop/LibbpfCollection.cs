namespace FleetNet.Agent.Tests.Interop;

/// <summary>
/// Tests that start BPF sources run one at a time: libbpf's log callback is process-wide, so a
/// concurrent start would redirect another test's libbpf messages.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LibbpfCollection
{
    public const string Name = "libbpf";
}
