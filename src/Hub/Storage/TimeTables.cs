namespace FleetNet.Hub.Storage;

/// <summary>Every time-series table of the schema; table names here are constants, never input.</summary>
internal static class TimeTables
{
    public static readonly IReadOnlyList<TimeTable> All =
    [
        new("process_samples", "time", 1, RetentionClass.Raw, Compress: true),
        new("interface_samples", "time", 1, RetentionClass.Raw, Compress: true),
        new("endpoint_samples", "time", 1, RetentionClass.Raw, Compress: true),
        new("conntrack_flows", "time", 1, RetentionClass.Raw, Compress: true),
        new("conntrack_table", "time", 1, RetentionClass.Raw, Compress: true),
        new("unattributed_samples", "time", 1, RetentionClass.Raw, Compress: true),
        new("process_1m", "bucket", 1, RetentionClass.Minute, Compress: true),
        new("name_1m", "bucket", 1, RetentionClass.Minute, Compress: true),
        new("interface_1m", "bucket", 1, RetentionClass.Minute, Compress: true),
        new("process_1h", "bucket", 30, RetentionClass.Hour, Compress: false),
        new("name_1h", "bucket", 30, RetentionClass.Hour, Compress: false),
        new("interface_1h", "bucket", 30, RetentionClass.Hour, Compress: false),
        new("process_1d", "bucket", 360, RetentionClass.Day, Compress: false),
        new("name_1d", "bucket", 360, RetentionClass.Day, Compress: false),
        new("interface_1d", "bucket", 360, RetentionClass.Day, Compress: false),
    ];
}
