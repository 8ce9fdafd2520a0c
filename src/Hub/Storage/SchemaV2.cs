namespace FleetNet.Hub.Storage;

/// <summary>
/// Migration 2: dimensions (cgroups, interfaces, endpoints), every raw sample table the wire carries,
/// rollups at 1 minute, 1 hour and 1 day, and the rollup bookkeeping. <c>{{partition_by_time}}</c> and
/// <c>{{partition_by_bucket}}</c> become <c>PARTITION BY RANGE (...)</c> on plain PostgreSQL and nothing on
/// TimescaleDB, where the plain tables become hypertables right after the migrations.
/// </summary>
internal static class SchemaV2
{
    public const string Sql = """
        -- Creates the missing range partitions of a partitioned table covering [from_time, to_time].
        -- Partitions are aligned to multiples of `days` since the Unix epoch and named <parent>_pYYYYMMDD.
        -- A table that is not partitioned (a hypertable) is left alone.
        CREATE FUNCTION fleetnet_ensure_partitions(parent text, days integer, from_time timestamptz, to_time timestamptz)
        RETURNS integer LANGUAGE plpgsql AS $fn$
        DECLARE
            step interval := make_interval(days => days);
            start timestamptz;
            part text;
            created integer := 0;
        BEGIN
            IF from_time IS NULL OR to_time IS NULL
               OR NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(parent)) THEN
                RETURN 0;
            END IF;
            start := to_timestamp(floor(extract(epoch FROM from_time) / (days * 86400.0)) * days * 86400);
            WHILE start <= to_time LOOP
                part := parent || '_p' || to_char(start AT TIME ZONE 'UTC', 'YYYYMMDD');
                IF to_regclass(part) IS NULL THEN
                    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                        part, parent, start, start + step);
                    created := created + 1;
                END IF;
                start := start + step;
            END LOOP;
            RETURN created;
        END $fn$;

        -- Dimensions: stored once per host, referred to by id from the sample rows.
        CREATE TABLE cgroups (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            host_id        bigint NOT NULL REFERENCES hosts (id),
            cgroup_id      bigint NOT NULL,
            path           text NOT NULL,
            unit           text NOT NULL,
            runtime        text NOT NULL,
            container_id   text NOT NULL,
            container_name text NOT NULL,
            pod_uid        text NOT NULL,
            UNIQUE (host_id, cgroup_id, path)
        );
        ALTER TABLE processes ADD COLUMN cgroup_ref bigint REFERENCES cgroups (id), ADD COLUMN netns bigint NOT NULL DEFAULT 0;
        CREATE INDEX processes_exe ON processes (exe, comm);

        CREATE TABLE interfaces (
            id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            host_id bigint NOT NULL REFERENCES hosts (id),
            name    text NOT NULL,
            UNIQUE (host_id, name)
        );

        -- Per host, so that concurrent writers for different hosts never race on the same row.
        -- address NULL is the agent's "other endpoints" bucket.
        CREATE TABLE endpoints (
            id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            host_id  bigint NOT NULL REFERENCES hosts (id),
            address  inet,
            port     integer NOT NULL,
            protocol smallint NOT NULL,
            UNIQUE NULLS NOT DISTINCT (host_id, address, port, protocol)
        );

        -- Raw samples. process_samples and interface_samples are rebuilt in the new layout, keeping their rows.
        DROP INDEX process_samples_time;
        DROP INDEX process_samples_host_time;
        DROP INDEX interface_samples_host_time;
        ALTER TABLE process_samples RENAME TO process_samples_v1;
        ALTER TABLE interface_samples RENAME TO interface_samples_v1;

        CREATE TABLE process_samples (
            time        timestamptz NOT NULL,
            host_id     bigint NOT NULL,
            process_id  bigint NOT NULL,
            protocol    smallint NOT NULL,
            interval_ms integer NOT NULL,
            tx_bytes    bigint NOT NULL,
            rx_bytes    bigint NOT NULL,
            tx_calls    bigint NOT NULL,
            rx_calls    bigint NOT NULL
        ) {{partition_by_time}};
        CREATE INDEX process_samples_time ON process_samples (time DESC);
        CREATE INDEX process_samples_host_time ON process_samples (host_id, time DESC);

        CREATE TABLE interface_samples (
            time         timestamptz NOT NULL,
            host_id      bigint NOT NULL,
            interface_id bigint NOT NULL,
            interval_ms  integer NOT NULL,
            rx_bytes     bigint NOT NULL,
            tx_bytes     bigint NOT NULL,
            rx_packets   bigint NOT NULL,
            tx_packets   bigint NOT NULL,
            rx_errors    bigint NOT NULL,
            tx_errors    bigint NOT NULL,
            rx_dropped   bigint NOT NULL,
            tx_dropped   bigint NOT NULL,
            speed_mbps   integer NOT NULL,
            reset        boolean NOT NULL
        ) {{partition_by_time}};
        CREATE INDEX interface_samples_host_time ON interface_samples (host_id, time DESC);

        SELECT fleetnet_ensure_partitions('process_samples', 1, min(time), max(time)) FROM process_samples_v1;
        SELECT fleetnet_ensure_partitions('interface_samples', 1, min(time), max(time)) FROM interface_samples_v1;
        INSERT INTO process_samples SELECT * FROM process_samples_v1;
        INSERT INTO interfaces (host_id, name) SELECT DISTINCT host_id, interface FROM interface_samples_v1;
        INSERT INTO interface_samples
        SELECT s.time, s.host_id, i.id, s.interval_ms, s.rx_bytes, s.tx_bytes, s.rx_packets, s.tx_packets,
               s.rx_errors, s.tx_errors, s.rx_dropped, s.tx_dropped, s.speed_mbps, s.reset
        FROM interface_samples_v1 s JOIN interfaces i ON i.host_id = s.host_id AND i.name = s.interface;
        DROP TABLE process_samples_v1;
        DROP TABLE interface_samples_v1;

        CREATE TABLE endpoint_samples (
            time            timestamptz NOT NULL,
            host_id         bigint NOT NULL,
            process_id      bigint NOT NULL,
            endpoint_id     bigint NOT NULL,
            local_port      integer NOT NULL,
            interval_ms     integer NOT NULL,
            tx_bytes        bigint NOT NULL,
            rx_bytes        bigint NOT NULL,
            tx_calls        bigint NOT NULL,
            rx_calls        bigint NOT NULL,
            other_endpoints integer NOT NULL
        ) {{partition_by_time}};
        CREATE INDEX endpoint_samples_host_time ON endpoint_samples (host_id, time DESC);

        CREATE TABLE conntrack_flows (
            time           timestamptz NOT NULL,
            host_id        bigint NOT NULL,
            interval_ms    integer NOT NULL,
            protocol       smallint NOT NULL,
            orig_src       inet,
            orig_dst       inet,
            orig_src_port  integer NOT NULL,
            orig_dst_port  integer NOT NULL,
            reply_src      inet,
            reply_dst      inet,
            reply_src_port integer NOT NULL,
            reply_dst_port integer NOT NULL,
            orig_bytes     bigint NOT NULL,
            orig_packets   bigint NOT NULL,
            reply_bytes    bigint NOT NULL,
            reply_packets  bigint NOT NULL,
            zone           integer NOT NULL,
            mark           bigint NOT NULL
        ) {{partition_by_time}};
        CREATE INDEX conntrack_flows_host_time ON conntrack_flows (host_id, time DESC);

        CREATE TABLE conntrack_table (
            time        timestamptz NOT NULL,
            host_id     bigint NOT NULL,
            available   boolean NOT NULL,
            reason      text NOT NULL,
            entries     bigint NOT NULL,
            max_entries bigint NOT NULL,
            accounting  boolean NOT NULL
        ) {{partition_by_time}};
        CREATE INDEX conntrack_table_host_time ON conntrack_table (host_id, time DESC);

        CREATE TABLE unattributed_samples (
            time        timestamptz NOT NULL,
            host_id     bigint NOT NULL,
            interval_ms integer NOT NULL,
            rx_bytes    bigint NOT NULL,
            tx_bytes    bigint NOT NULL
        ) {{partition_by_time}};
        CREATE INDEX unattributed_samples_host_time ON unattributed_samples (host_id, time DESC);

        -- Rollups. A bucket B holds the samples whose time (the end of their interval) lies in (B, B + size].
        -- process_*: per process (per-host questions, timelines); name_*: per (comm, exe) fleet-wide, so a
        -- fleet top-N reads one row per program instead of one per process; interface_*: totals and peaks.
        CREATE TABLE process_1m (bucket timestamptz NOT NULL, host_id bigint NOT NULL, process_id bigint NOT NULL,
            tx_bytes bigint NOT NULL, rx_bytes bigint NOT NULL, tx_calls bigint NOT NULL, rx_calls bigint NOT NULL) {{partition_by_bucket}};
        CREATE TABLE process_1h (LIKE process_1m) {{partition_by_bucket}};
        CREATE TABLE process_1d (LIKE process_1m) {{partition_by_bucket}};
        CREATE TABLE name_1m (bucket timestamptz NOT NULL, comm text NOT NULL, exe text NOT NULL,
            tx_bytes bigint NOT NULL, rx_bytes bigint NOT NULL, tx_calls bigint NOT NULL, rx_calls bigint NOT NULL) {{partition_by_bucket}};
        CREATE TABLE name_1h (LIKE name_1m) {{partition_by_bucket}};
        CREATE TABLE name_1d (LIKE name_1m) {{partition_by_bucket}};
        CREATE TABLE interface_1m (bucket timestamptz NOT NULL, host_id bigint NOT NULL, interface_id bigint NOT NULL,
            rx_bytes bigint NOT NULL, tx_bytes bigint NOT NULL, peak_bps bigint NOT NULL) {{partition_by_bucket}};
        CREATE TABLE interface_1h (LIKE interface_1m) {{partition_by_bucket}};
        CREATE TABLE interface_1d (LIKE interface_1m) {{partition_by_bucket}};
        CREATE INDEX process_1m_bucket ON process_1m (bucket);
        CREATE INDEX process_1m_host ON process_1m (host_id, bucket);
        CREATE INDEX process_1h_bucket ON process_1h (bucket);
        CREATE INDEX process_1h_host ON process_1h (host_id, bucket);
        CREATE INDEX process_1d_bucket ON process_1d (bucket);
        CREATE INDEX process_1d_host ON process_1d (host_id, bucket);
        CREATE INDEX name_1m_bucket ON name_1m (bucket);
        CREATE INDEX name_1h_bucket ON name_1h (bucket);
        CREATE INDEX name_1d_bucket ON name_1d (bucket);
        CREATE INDEX interface_1m_host ON interface_1m (host_id, bucket);
        CREATE INDEX interface_1h_host ON interface_1h (host_id, bucket);
        CREATE INDEX interface_1d_host ON interface_1d (host_id, bucket);

        -- Every bucket below a level's watermark has been claimed; claimed buckets wait in rollup_dirty
        -- until computed. Late samples mark their 1-minute buckets dirty again.
        CREATE TABLE rollup_watermarks (
            level     text PRIMARY KEY,
            watermark timestamptz NOT NULL
        );
        CREATE TABLE rollup_dirty (
            level  text NOT NULL,
            bucket timestamptz NOT NULL,
            PRIMARY KEY (level, bucket)
        );
        """;
}
