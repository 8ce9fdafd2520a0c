/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Map key and value shared with the agent. The C# mirrors live in src/Agent/Interop/UsageKey.cs and
 * UsageValue.cs; a test compares their sizes and offsets with the BTF of the compiled object.
 * Every field is explicit (no implicit padding) because the hash map hashes the key's raw bytes.
 */
#ifndef __FLEETNET_H__
#define __FLEETNET_H__

#define FN_COMM_LEN 16

enum fn_proto {
    FN_PROTO_TCP = 1,
    FN_PROTO_UDP = 2,
    FN_PROTO_OTHER = 3,
};

/* One process (tgid + start time, so a reused pid is a new key) in one cgroup, one protocol. */
struct fn_key {
    __u32 tgid;
    __u32 proto;          /* enum fn_proto, same numbers as fleetnet.v1.Protocol */
    __u64 start_ns;       /* group leader's start_boottime: ns since boot, as /proc/<pid>/stat field 22 */
    __u64 cgroup_id;
};

/* Cumulative since the entry was created; the agent computes deltas and never resets them. */
struct fn_value {
    __u64 tx_bytes;
    __u64 rx_bytes;
    __u64 tx_calls;
    __u64 rx_calls;
    __u32 uid;
    __u32 pad;
    char comm[FN_COMM_LEN];
};

#endif /* __FLEETNET_H__ */
