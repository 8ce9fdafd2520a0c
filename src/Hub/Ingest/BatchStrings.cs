namespace FleetNet.Hub.Ingest;

/// <summary>String-table look-ups for fields the validator does not check: a bad index reads as "".</summary>
internal static class BatchStrings
{
    public static string Get(Protocol.V1.Batch batch, uint index) => index < (uint)batch.Strings.Count ? batch.Strings[(int)index] : "";
}
