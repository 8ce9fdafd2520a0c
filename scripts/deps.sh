#!/usr/bin/env bash
# Installs what FleetNet needs to build, test and run on Debian 12: PostgreSQL, clang + libbpf for the
# eBPF program, and the native toolchain Native AOT links with, and a libbpf >= 1.6 built from Debian's
# source package (see fleetnet_build_libbpf). The .NET 10 SDK must already be there.
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
    fleetnet_build_libbpf
}

# The agent links libbpf statically (src/Agent/FleetNet.Agent.csproj) from artifacts/libbpf. Debian 12
# ships libbpf 1.1, which copies the kernel's BTF (5.5 MB here) twice into the heap while loading the
# eBPF object, 11 MiB of the agent's peak RSS; libbpf 1.6 and later map it from sysfs instead. So the
# source package comes from Debian unstable through apt, which checks it against the archive's signed
# index, into a private apt state (the host's sources and lists are not touched), and is built here.
fleetnet_libbpf_dir=artifacts/libbpf

fleetnet_build_libbpf() {
    local version
    version=$(cat "$fleetnet_libbpf_dir/VERSION" 2>/dev/null || true)
    if [[ -f $fleetnet_libbpf_dir/libbpf.a && -n $version ]]; then
        return 0
    fi
    local work
    work=$(mktemp -d)
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" >"$work/sources.list"
    local apt=(apt-get -qq -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/nonexistent
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root)
    echo "fleetnet: building libbpf from Debian's source package (unstable) into $fleetnet_libbpf_dir"
    "${apt[@]}" update >/dev/null
    (cd "$work/src" && "${apt[@]}" source --download-only libbpf >/dev/null)
    tar -xzf "$work"/src/libbpf_*.orig.tar.gz -C "$work/src"
    local tree
    tree=$(ls -d "$work"/src/libbpf-*/)
    version=$(sed -n 's/^LIBBPF_\([0-9.]*\) {$/\1/p' "$tree/src/libbpf.map" | sort -V | tail -n 1)
    if [[ $(printf '%s\n' 1.6.0 "$version" | sort -V | head -n 1) != 1.6.0 || $version != 1.* ]]; then
        echo "fleetnet: Debian's libbpf source is $version; the agent needs 1.6 to 1.x" >&2
        rm -rf "$work"
        return 1
    fi
    make -s -C "$tree/src" -j "$(nproc)" OBJDIR="$work/build" >/dev/null
    rm -rf "$fleetnet_libbpf_dir"
    mkdir -p "$fleetnet_libbpf_dir"
    cp "$work/build/libbpf.a" "$fleetnet_libbpf_dir/"
    cp -L "$work/build/libbpf.so.1" "$fleetnet_libbpf_dir/"
    echo "$version" >"$fleetnet_libbpf_dir/VERSION"
    rm -rf "$work"
    echo "fleetnet: libbpf $version in $fleetnet_libbpf_dir"
}

# The newest installed PostgreSQL server's bin directory.
fleetnet_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
