#!/usr/bin/env bash
# Installs what FleetNet needs to build, test and run on Debian 12: PostgreSQL, clang + libbpf for the
# eBPF program, and the native toolchain Native AOT links with. The .NET 10 SDK must already be there.
# Sourced by run.sh and test.sh; installs only what is missing.
set -euo pipefail

fleetnet_packages=(postgresql clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool iproute2 procps curl nftables iperf3 nethogs python3 afl++)

fleetnet_install_deps() {
    local missing=()
    for p in "${fleetnet_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        if [[ $(id -u) -ne 0 ]]; then
            echo "fleetnet: missing packages: ${missing[*]}; run as root so they can be installed" >&2
            return 1
        fi
        echo "fleetnet: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    if ! command -v dotnet >/dev/null; then
        echo "fleetnet: the .NET 10 SDK (dotnet) is not on PATH" >&2
        return 1
    fi
}

# The newest installed PostgreSQL server's bin directory.
fleetnet_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
