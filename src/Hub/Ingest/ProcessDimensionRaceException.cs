namespace FleetNet.Hub.Ingest;

/// <summary>A concurrent writer inserted a process row our snapshot cannot see; retrying the batch resolves it.</summary>
internal sealed class ProcessDimensionRaceException() : Exception("a process row was inserted concurrently; retry the batch");
