#!/usr/bin/env bash
# Runs FleetNet on this host: PostgreSQL (a cluster of FleetNet's own unless FLEETNET_PG names a server),
# the hub, and an agent for this host; then shows the top talking processes until Ctrl-C, and stops
# what it started. Run as root (the agent loads eBPF programs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
fleetnet_install_deps

state=${FLEETNET_STATE:-/var/lib/fleetnet}
out=$PWD/artifacts/run
pg_port=${FLEETNET_PG_PORT:-55432}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$state" "$out"

echo "== building hub, CLI and the Native AOT agent (first run takes a few minutes)"
dotnet publish src/Hub -c Release -nologo -clp:ErrorsOnly -o "$out/hub" >/dev/null
dotnet publish src/Cli -c Release -nologo -clp:ErrorsOnly -o "$out/cli" >/dev/null
dotnet publish src/Agent -c Release -r linux-x64 -nologo -clp:ErrorsOnly -o "$out/agent" >/dev/null

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ -z ${FLEETNET_PG:-} && -f $state/pg/postmaster.pid ]]; then
        runuser -u postgres -- "$(fleetnet_pg_bin)/pg_ctl" -D "$state/pg" -m fast stop >/dev/null || true
    fi
}
trap cleanup EXIT

if [[ -n ${FLEETNET_PG:-} ]]; then
    connection=$FLEETNET_PG
else
    bin=$(fleetnet_pg_bin)
    if [[ ! -f $state/pg/PG_VERSION ]]; then
        echo "== creating a PostgreSQL cluster in $state/pg"
        install -d -o postgres -g postgres "$state/pg"
        runuser -u postgres -- "$bin/initdb" -D "$state/pg" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    echo "== starting PostgreSQL on 127.0.0.1:$pg_port"
    runuser -u postgres -- "$bin/pg_ctl" -D "$state/pg" -w -l "$state/pg/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k /tmp" start >/dev/null
    runuser -u postgres -- "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'fleetnet'" | grep -q 1 \
        || runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres fleetnet
    connection="Host=127.0.0.1;Port=$pg_port;Database=fleetnet;Username=postgres"
fi

echo "== starting the hub (REST :5080, gRPC :5081; log $out/hub.log)"
# The quick start runs the hub open (no agent identities, no API keys): see README "Security" to secure it.
Security__RequireAgentIdentity=false Security__RequireApiKeys=false \
Storage__ConnectionString=$connection dotnet "$out/hub/fleetnet-hub.dll" --contentRoot "$out/hub" >"$out/hub.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
    curl -fs http://127.0.0.1:5080/healthz >/dev/null 2>&1 && break
    kill -0 "${pids[0]}" 2>/dev/null || { cat "$out/hub.log" >&2; exit 1; }
    sleep 1
done

echo "== starting the agent (sample every 2 s; log $out/agent.log)"
FLEETNET_HUBURL=http://127.0.0.1:5081 FLEETNET_INTERVALSECONDS=2 "$out/agent/fleetnet-agent" >"$out/agent.log" 2>&1 &
pids+=($!)
sleep 5
kill -0 "${pids[1]}" 2>/dev/null || { cat "$out/agent.log" >&2; exit 1; }

"$out/cli/fleetnet" hosts
"$out/cli/fleetnet" top --window 5m "$@"
