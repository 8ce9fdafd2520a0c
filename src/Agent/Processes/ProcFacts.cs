namespace FleetNet.Agent.Processes;

/// <summary>What the agent keeps of a BPF process record (<c>struct fn_proc</c>): whether BPF saw the exit, and the exe seen at exec.</summary>
internal readonly record struct ProcFacts(bool Exited, string Exe);
