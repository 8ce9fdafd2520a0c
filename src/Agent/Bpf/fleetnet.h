/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Map keys and values shared with the agent. The C# mirrors live in src/Agent/Interop (UsageKey.cs and its neighbours); a test
 * compares their sizes and offsets with the BTF of the compiled object. Every field is explicit (no
 * implicit padding) because the hash maps hash the key's raw bytes.
 */
#ifndef __FLEETNET_H__
#define __FLEETNET_H__

#define FN_COMM_LEN 16
#define FN_EXE_LEN 256

enum fn_proto {
    FN_PROTO_TCP = 1,
    FN_PROTO_UDP = 2,
    FN_PROTO_OTHER = 3,
};

/* Indices of the per-CPU fn_counters array. */
enum fn_counter {
    FN_CTR_USAGE_FULL = 0,     /* fn_usage inserts refused: map full */
    FN_CTR_ENDPOINT_INSERTS = 1, /* fn_endpoints entries created (LRU: evictions = inserts - deletes - live) */
    FN_CTR_PROC_INSERTS = 2,   /* fn_procs entries created */
    FN_CTR_PROC_LOST = 3,      /* exec/exit/first-traffic records that could not be stored */
    FN_CTR_CGROUP_FULL = 4,    /* fn_cgroup_usage inserts refused: map full */
    FN_CTR_PROC_DELETES = 5,   /* fn_procs entries BPF removed (exit without traffic); LRU evictions = inserts - deletes - live */
    FN_CTR_COUNT = 8,
};

/* One process (tgid + start time, so a reused pid is a new key) in one cgroup and netns, one protocol. */
struct fn_key {
    __u32 tgid;
    __u32 proto;          /* enum fn_proto, same numbers as fleetnet.v1.IpProtocol */
    __u64 start_ns;       /* group leader's start_boottime: ns since boot, as /proc/<pid>/stat field 22 */
    __u64 cgroup_id;
    __u64 netns;          /* inode of the socket's network namespace */
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

/*
 * One process talking to one remote endpoint through one local port. An unconnected UDP socket has no
 * peer in the socket: sendto/recvfrom name it per call, in the msghdr the tracepoints do not see. The
 * cgroup sendmsg/recvmsg hooks see it (struct fn_udp_peer); without them (not attached, or a recv
 * that does not ask for the source address) the remote is all-zero with port 0.
 */
struct fn_ep_key {
    __u32 tgid;
    __u32 proto;
    __u64 start_ns;
    __u64 netns;
    __u8 raddr[16];       /* IPv4 in the first 4 bytes, network order */
    __u16 rport;          /* host order */
    __u16 lport;          /* host order */
    __u16 family;         /* AF_INET or AF_INET6 */
    __u16 pad;
};

struct fn_ep_value {
    __u64 tx_bytes;
    __u64 rx_bytes;
    __u64 tx_calls;
    __u64 rx_calls;
};

/*
 * The peer named by the current UDP sendmsg/recvmsg of one thread (key: pid_tgid), written by the cgroup
 * sock_addr hook inside udp_sendmsg/udp_recvmsg and taken by the sock_send_length/sock_recv_length of the
 * same call, which comes right after it on the same thread.
 */
struct fn_udp_peer {
    __u8 addr[16];        /* IPv4 in the first 4 bytes, network order */
    __u16 port;           /* host order */
    __u16 family;
    __u32 pad;
};

/* A process, recorded at exec (or at its first traffic) so its identity survives its exit. */
struct fn_proc_key {
    __u32 tgid;
    __u32 pad;
    __u64 start_ns;
};

struct fn_proc {
    __u32 ppid;
    __u32 uid;
    __u32 exited;         /* set by sched_process_exit of the last thread: the counters are final */
    __u32 traffic;        /* set at the first traffic; an exiting process without traffic is removed */
    char comm[FN_COMM_LEN];
    char exe[FN_EXE_LEN]; /* bprm->filename at exec as passed to execve (may be relative); empty if not seen */
};

/* Bytes of one cgroup and protocol from cgroup_skb (IP packet lengths, headers included). */
struct fn_cg_key {
    __u64 cgroup_id;
    __u32 proto;
    __u32 pad;
};

struct fn_cg_value {
    __u64 tx_bytes;
    __u64 rx_bytes;
    __u64 tx_packets;
    __u64 rx_packets;
};

#endif /* __FLEETNET_H__ */
