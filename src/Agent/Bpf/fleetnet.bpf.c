// SPDX-License-Identifier: GPL-2.0
/* Per-process socket bytes from the sock_send_length / sock_recv_length BTF tracepoints. */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "fleetnet.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define MSG_PEEK 2
#define EEXIST 17

char LICENSE[] SEC("license") = "GPL";

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536); /* the agent overrides this from AgentOptions.BpfMapEntries */
    __type(key, struct fn_key);
    __type(value, struct fn_value);
} fn_usage SEC(".maps");

/* Inserts that failed (map full); per CPU so the failure path never contends. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} fn_map_full SEC(".maps");

static __always_inline int account(struct sock *sk, int ret, bool tx)
{
    struct task_struct *task;
    struct fn_value *value;
    struct fn_key key = {};
    __u16 family, protocol;

    if (ret <= 0)
        return 0;

    family = sk->__sk_common.skc_family;
    if (family != AF_INET && family != AF_INET6)
        return 0;

    protocol = sk->sk_protocol;
    if (protocol == IPPROTO_TCP)
        key.proto = FN_PROTO_TCP;
    else if (protocol == IPPROTO_UDP)
        key.proto = FN_PROTO_UDP;
    else
        key.proto = FN_PROTO_OTHER;

    /* The leader's start time identifies the process for every thread, like /proc/<tgid>/stat. */
    task = bpf_get_current_task_btf();
    key.tgid = bpf_get_current_pid_tgid() >> 32;
    key.start_ns = task->group_leader->start_boottime;
    key.cgroup_id = bpf_get_current_cgroup_id();

    value = bpf_map_lookup_elem(&fn_usage, &key);
    if (!value) {
        struct fn_value init = {};
        long err;

        init.uid = (__u32)bpf_get_current_uid_gid();
        /* The leader's comm names the process (as /proc/<pid>/comm); the thread's may be "worker-3". */
        bpf_probe_read_kernel_str(&init.comm, sizeof(init.comm), task->group_leader->comm);
        /* NOEXIST: another CPU may have created the entry meanwhile; then add to theirs. */
        err = bpf_map_update_elem(&fn_usage, &key, &init, BPF_NOEXIST);
        if (err && err != -EEXIST) {
            __u32 zero = 0;
            __u64 *full = bpf_map_lookup_elem(&fn_map_full, &zero);
            if (full)
                *full += 1;
            return 0;
        }
        value = bpf_map_lookup_elem(&fn_usage, &key);
        if (!value)
            return 0;
    }

    if (tx) {
        __sync_fetch_and_add(&value->tx_bytes, ret);
        __sync_fetch_and_add(&value->tx_calls, 1);
    } else {
        __sync_fetch_and_add(&value->rx_bytes, ret);
        __sync_fetch_and_add(&value->rx_calls, 1);
    }
    return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(fleetnet_send, struct sock *sk, int ret, int flags)
{
    return account(sk, ret, true);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(fleetnet_recv, struct sock *sk, int ret, int flags)
{
    /* A peek leaves the data queued; the read that consumes it is counted then. */
    if (flags & MSG_PEEK)
        return 0;
    return account(sk, ret, false);
}
