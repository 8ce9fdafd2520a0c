#!/usr/bin/env bash
# Runs FleetNet on this host: PostgreSQL (a cluster of FleetNet's own unless FLEETNET_PG names a server),
# the hub, and an agent for this host; then shows the top talking processes until Ctrl-C, and stops
# what it started. Run as root (the agent loads eBPF programs). Secured: the hub generates its TLS CA and
# certificate in $FLEETNET_STATE/tls, the CLI uses an admin API key, the agent enrolls with a token; both
# trust the generated CA. Ports: FLEETNET_REST_PORT (5080), FLEETNET_GRPC_PORT (5081), FLEETNET_PG_PORT
# (55432); FLEETNET_LISTEN (0.0.0.0) is the address the hub listens on.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
fleetnet_install_deps

state=${FLEETNET_STATE:-/var/lib/fleetnet}
out=$PWD/artifacts/run
pg_port=${FLEETNET_PG_PORT:-55432}
rest_port=${FLEETNET_REST_PORT:-5080}
grpc_port=${FLEETNET_GRPC_PORT:-5081}
listen=${FLEETNET_LISTEN:-0.0.0.0}
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

for port in "$rest_port" "$grpc_port"; do
    if ss -Hltn "sport = :$port" | grep -q .; then
        echo "port $port is in use; set FLEETNET_REST_PORT / FLEETNET_GRPC_PORT" >&2
        exit 1
    fi
done

# The hub's settings, shared by the server and its one-shot commands (create-api-key, create-enrollment-token).
export Storage__ConnectionString=$connection
export Tls__Mode=Generate Tls__Directory=$state/tls
export Kestrel__Endpoints__Rest__Url=https://$listen:$rest_port Kestrel__Endpoints__Grpc__Url=https://$listen:$grpc_port
# One-shot hub commands (the command comes first: fleetnet-hub reads it from its first argument).
hub() { dotnet "$out/hub/fleetnet-hub.dll" "$@" --contentRoot "$out/hub"; }

echo "== starting the hub (https: REST :$rest_port, gRPC :$grpc_port; TLS CA $state/tls/ca.pem; log $out/hub.log)"
dotnet "$out/hub/fleetnet-hub.dll" --contentRoot "$out/hub" >"$out/hub.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
    [[ -f $state/tls/ca.pem ]] && curl -fs --cacert "$state/tls/ca.pem" "https://127.0.0.1:$rest_port/healthz" >/dev/null 2>&1 && break
    kill -0 "${pids[0]}" 2>/dev/null || { cat "$out/hub.log" >&2; exit 1; }
    sleep 1
done

# The CLI's admin key and the agent's identity are made once and kept in $state (0600).
if ! grep -qs '^fnk_' "$state/cli.key"; then
    (umask 077; hub create-api-key --role admin --name quick-start >"$state/cli.key.tmp" 2>>"$out/hub.log")
    mv "$state/cli.key.tmp" "$state/cli.key"
fi
agent_security=(FLEETNET_HUBCA="$state/tls/ca.pem" FLEETNET_CREDENTIALSFILE="$state/agent.secret")
if [[ ! -s $state/agent.secret ]]; then
    agent_security+=(FLEETNET_ENROLLMENTTOKEN="$(hub create-enrollment-token --uses 1 --valid-hours 1 2>>"$out/hub.log")")
fi

echo "== starting the agent (sample every 2 s; enrolled over TLS; log $out/agent.log)"
env "${agent_security[@]}" FLEETNET_HUBURL="https://127.0.0.1:$grpc_port" FLEETNET_INTERVALSECONDS=2 \
    FLEETNET_SPOOLDIRECTORY="$state/agent-spool" "$out/agent/fleetnet-agent" >"$out/agent.log" 2>&1 &
pids+=($!)
sleep 5
kill -0 "${pids[1]}" 2>/dev/null || { cat "$out/agent.log" >&2; exit 1; }

export FLEETNET_HUB=https://127.0.0.1:$grpc_port FLEETNET_CA=$state/tls/ca.pem
FLEETNET_API_KEY=$(cat "$state/cli.key")
export FLEETNET_API_KEY
"$out/cli/fleetnet" hosts
"$out/cli/fleetnet" top --window 5m "$@"
