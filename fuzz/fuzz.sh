#!/usr/bin/env bash
# Fuzz one target with AFL++ through SharpFuzz for a while, by hand:
#   fuzz/fuzz.sh TARGET [SECONDS]      targets: batch spool proc sysfs ctnetlink (default 600 s)
# Needs afl++ (apt-get install afl++) and the SharpFuzz instrumenter (dotnet tool install -g SharpFuzz.CommandLine).
# Findings land in artifacts/fuzz/TARGET/default/{crashes,hangs,queue}; copy new interesting queue entries
# into fuzz/corpus/TARGET so CI replays them (scripts/test.sh runs every corpus input through its target).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/fuzz.sh TARGET [SECONDS]}
seconds=${2:-600}
out=artifacts/fuzz/$target
build=artifacts/fuzz/bin

# FLEETNET_FUZZ_NOBUILD=1 reuses the instrumented build of a previous run (several targets at once).
if [[ ${FLEETNET_FUZZ_NOBUILD:-0} != 1 ]]; then
    dotnet build fuzz/FleetNet.Fuzz -c Release -nologo -clp:ErrorsOnly -o "$build"
    # Instrument a fresh copy of the assembly holding the parsers (the build may put back an uninstrumented one).
    rm -rf "$build-afl" && cp -r "$build" "$build-afl"
    "${HOME}/.dotnet/tools/sharpfuzz" "$build-afl/FleetNet.Fuzz.Targets.dll"
fi

mkdir -p "$out"
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export FLEETNET_FUZZ_TMP=${FLEETNET_FUZZ_TMP:-/dev/shm}
afl-fuzz -V "$seconds" -i "fuzz/corpus/$target" -o "$out" -t 5000 -m none -- \
    dotnet "$build-afl/fleetnet-fuzz.dll" "$target" --afl
