namespace FleetNet.Hub.Rollups;

/// <summary>Advisory lock keys: writers hold <see cref="Key"/> shared; a watermark move takes it exclusively.</summary>
internal static class RollupLock
{
    public const long Key = 0x466c6565744e6574 + 1;

    /// <summary>Held for a whole rollup run, so one replica rolls up at a time.</summary>
    public const long RunKey = 0x466c6565744e6574 + 2;
}
