namespace FleetNet.Hub.Storage;

/// <summary>
/// The schema, as an ordered list of migrations. Never edit one that has shipped; add the next.
/// Sample tables carry no unique index so that TimescaleDB can turn them into hypertables as they are.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "initial", """
            CREATE TABLE hosts (
                id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name          text NOT NULL UNIQUE,
                machine_id    text NOT NULL DEFAULT '',
                boot_id       text NOT NULL DEFAULT '',
                kernel        text NOT NULL DEFAULT '',
                agent_version text NOT NULL DEFAULT '',
                fidelity      text NOT NULL DEFAULT '',
                collectors    text[] NOT NULL DEFAULT '{}',
                labels        jsonb NOT NULL DEFAULT '{}',
                first_seen    timestamptz NOT NULL,
                last_seen     timestamptz NOT NULL
            );

            CREATE TABLE processes (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                host_id    bigint NOT NULL REFERENCES hosts (id),
                pid        integer NOT NULL,
                start_time timestamptz NOT NULL,
                comm       text NOT NULL,
                exe        text NOT NULL,
                cmdline    text NOT NULL,
                cgroup     text NOT NULL,
                uid        bigint NOT NULL,
                UNIQUE (host_id, pid, start_time)
            );

            -- One row per stored batch: replays of (host, epoch, seq) are recognised and absorbed.
            CREATE TABLE ingest_ledger (
                host_id     bigint NOT NULL REFERENCES hosts (id),
                epoch       bigint NOT NULL,
                seq         bigint NOT NULL,
                received_at timestamptz NOT NULL,
                samples     integer NOT NULL,
                PRIMARY KEY (host_id, epoch, seq)
            );

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
            );
            CREATE INDEX process_samples_time ON process_samples (time DESC);
            CREATE INDEX process_samples_host_time ON process_samples (host_id, time DESC);

            CREATE TABLE interface_samples (
                time        timestamptz NOT NULL,
                host_id     bigint NOT NULL,
                interface   text NOT NULL,
                interval_ms integer NOT NULL,
                rx_bytes    bigint NOT NULL,
                tx_bytes    bigint NOT NULL,
                rx_packets  bigint NOT NULL,
                tx_packets  bigint NOT NULL,
                rx_errors   bigint NOT NULL,
                tx_errors   bigint NOT NULL,
                rx_dropped  bigint NOT NULL,
                tx_dropped  bigint NOT NULL,
                speed_mbps  integer NOT NULL,
                reset       boolean NOT NULL
            );
            CREATE INDEX interface_samples_host_time ON interface_samples (host_id, time DESC);
            """),

        new(2, "fleet scale: dimensions, all raw samples, partitions, rollups", SchemaV2.Sql),
        new(3, "ingest at fleet scale: BRIN on raw process time, name_1m kept by the writer", SchemaV3.Sql),
        // The ledger's host always comes from the stream's registered host; the foreign key cost a row lock on
        // hosts (a check query and a WAL record) for every stored batch.
        new(4, "ingest ledger without a foreign key to hosts", "ALTER TABLE ingest_ledger DROP CONSTRAINT IF EXISTS ingest_ledger_host_id_fkey;"),

        // 100+: delivery accounting and security (issue 5), numbered apart from the storage migrations.
        new(100, "agent delivery accounting", """
            -- The agent's own running totals (AgentCounters), latest per (host, epoch).
            CREATE TABLE agent_epoch_counters (
                host_id          bigint NOT NULL REFERENCES hosts (id),
                epoch            bigint NOT NULL,
                seq              bigint NOT NULL,
                batches_sent     bigint NOT NULL,
                batches_rejected bigint NOT NULL,
                batches_lost     bigint NOT NULL,
                samples_lost     bigint NOT NULL,
                updated_at       timestamptz NOT NULL,
                PRIMARY KEY (host_id, epoch)
            );

            -- Losses the agent reported (Gap), once per (batch, position) however often the batch is replayed.
            CREATE TABLE agent_gaps (
                host_id      bigint NOT NULL REFERENCES hosts (id),
                epoch        bigint NOT NULL,
                seq          bigint NOT NULL,
                ordinal      integer NOT NULL,
                start_time   timestamptz NOT NULL,
                end_time     timestamptz NOT NULL,
                batches_lost bigint NOT NULL,
                samples_lost bigint NOT NULL,
                reason       text NOT NULL,
                received_at  timestamptz NOT NULL,
                PRIMARY KEY (host_id, epoch, seq, ordinal)
            );

            -- What the hub refused or recognised as a replay (stored batches are counted from ingest_ledger).
            CREATE TABLE agent_delivery (
                host_id           bigint PRIMARY KEY REFERENCES hosts (id),
                batches_duplicate bigint NOT NULL DEFAULT 0,
                batches_rejected  bigint NOT NULL DEFAULT 0,
                last_rejection    text NOT NULL DEFAULT '',
                last_rejected_at  timestamptz
            );
            """),
        new(101, "agent identities, enrollment tokens, api keys", """
            CREATE TABLE enrollment_tokens (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                token_hash bytea NOT NULL UNIQUE,
                uses_left  integer NOT NULL,
                expires_at timestamptz NOT NULL,
                created_at timestamptz NOT NULL,
                note       text NOT NULL DEFAULT ''
            );

            CREATE TABLE agent_identities (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                host_name   text NOT NULL,
                secret_hash bytea NOT NULL,
                token_id    bigint REFERENCES enrollment_tokens (id),
                enrolled_at timestamptz NOT NULL,
                revoked_at  timestamptz
            );
            CREATE INDEX agent_identities_host_name ON agent_identities (host_name);

            CREATE TABLE api_keys (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                key_hash   bytea NOT NULL UNIQUE,
                role       text NOT NULL CHECK (role IN ('read', 'admin')),
                name       text NOT NULL DEFAULT '',
                created_at timestamptz NOT NULL,
                revoked_at timestamptz
            );
            """),
    ];

    /// <summary>Tables that hold time series; hypertables when TimescaleDB is used.</summary>
    public static readonly IReadOnlyList<string> SampleTables = ["process_samples", "interface_samples"];

    /// <summary>The SQL of a migration for the layout the database uses.</summary>
    public static string SqlFor(Migration migration, StorageLayout layout) => layout == StorageLayout.Partitioned
        ? migration.Sql.Replace("{{partition_by_time}}", "PARTITION BY RANGE (time)", StringComparison.Ordinal)
            .Replace("{{partition_by_bucket}}", "PARTITION BY RANGE (bucket)", StringComparison.Ordinal)
        : migration.Sql.Replace("{{partition_by_time}}", "", StringComparison.Ordinal)
            .Replace("{{partition_by_bucket}}", "", StringComparison.Ordinal);
}
