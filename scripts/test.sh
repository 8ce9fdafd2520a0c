#!/usr/bin/env bash
# The whole test suite: installs what is missing, checks the committed eBPF object is current, builds
# with warnings as errors, publishes the agent with Native AOT, and runs every test against a real
# PostgreSQL and the real kernel. Run as root (eBPF). Set FLEETNET_TEST_PG to use an existing server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
fleetnet_install_deps

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== build (Release, warnings are errors)"
dotnet build FleetNet.sln -c Release -nologo -clp:ErrorsOnly

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "== the committed eBPF object matches its source"
    if ! git diff --exit-code --stat -- src/Agent/Bpf/; then
        echo "fleetnet: src/Agent/Bpf/fleetnet.bpf.o is stale: rebuild with clang and commit it" >&2
        exit 1
    fi
fi

echo "== agent: Native AOT publish (any trim/AOT warning fails)"
dotnet publish src/Agent -c Release -r linux-x64 -nologo -clp:ErrorsOnly -o artifacts/agent
ls -l artifacts/agent/fleetnet-agent

echo "== fuzz corpus regression (every input in fuzz/corpus/TARGET through its harness; fuzz/fuzz.sh fuzzes for longer)"
dotnet build fuzz/FleetNet.Fuzz -c Release -nologo -clp:ErrorsOnly
for target in $(dotnet fuzz/FleetNet.Fuzz/bin/Release/net10.0/fleetnet-fuzz.dll --list); do
    timeout 120 dotnet fuzz/FleetNet.Fuzz/bin/Release/net10.0/fleetnet-fuzz.dll "$target" --corpus "fuzz/corpus/$target"
done

echo "== tests"
export FLEETNET_AGENT_BINARY="$PWD/artifacts/agent/fleetnet-agent"
mkdir -p artifacts/test-results
status=0
dotnet test FleetNet.sln -c Release --no-build -nologo \
    --logger "trx" --results-directory artifacts/test-results \
    --logger "console;verbosity=normal" | tee artifacts/test-results/console.log || status=$?

# One closing line for the whole suite.
passed=0 failed=0 skipped=0
for trx in artifacts/test-results/*.trx; do
    [[ -f $trx ]] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
echo "$passed passed, $failed failed, $skipped skipped"
if ((status == 0 && passed == 0)); then
    echo "fleetnet: no test ran" >&2
    exit 1
fi
exit "$status"
