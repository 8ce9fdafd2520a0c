// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process socket bytes, per remote endpoint, from the sock_send_length / sock_recv_length
 * tracepoints, attached either as BTF tracepoints (tp_btf) or as raw tracepoints (raw_tp): the same
 * accounting, two attach types of the fidelity chain. Process identity is recorded at exec and marked
 * final at exit (sched_process_exec / sched_process_exit), so processes that live for milliseconds keep
 * their bytes and their name. cgroup_skb programs count bytes per cgroup where per-process hooks are
 * impossible. The agent loads only the programs of the level it runs at (autoload). At the BTF level a
 * TCP socket's later calls count in storage of the socket's own (fn_socks), which fleetnet_flush moves into
 * the maps before the agent reads them.
 *
 * On the per-call path (account) the tp_btf programs read the kernel with plain loads through their
 * BTF-typed pointers (a CO-RE relocated load each); the raw_tp programs, whose pointers are untyped, and
 * every colder path use BPF_CORE_READ (a bpf_probe_read_kernel call each). KREAD picks per attach type;
 * `btf` is a constant in each program, so only one side is compiled into it.
 */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "fleetnet.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define MSG_PEEK 2
#define EEXIST 17
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD

char LICENSE[] SEC("license") = "GPL";

/* The agent sizes every map from AgentOptions before loading. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, struct fn_key);
    __type(value, struct fn_value);
} fn_usage SEC(".maps");

/* LRU: a port scan evicts old endpoints instead of stopping the count; evictions are derived from inserts. */
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 65536);
    __type(key, struct fn_ep_key);
    __type(value, struct fn_ep_value);
} fn_endpoints SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 32768);
    __type(key, struct fn_proc_key);
    __type(value, struct fn_proc);
} fn_procs SEC(".maps");

/* Per thread; LRU, so entries of threads whose call failed before the tracepoint cannot fill it. */
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 4096);
    __type(key, __u64);
    __type(value, struct fn_udp_peer);
} fn_udp_peers SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct fn_cg_key);
    __type(value, struct fn_cg_value);
} fn_cgroup_usage SEC(".maps");

/*
 * Per TCP socket: the keys of its owner's fn_usage and fn_endpoints entries, and the bytes and calls not yet
 * moved into them. A call from the owner adds here and is done: one storage lookup instead of building two
 * keys and looking both up. The bytes move into the two maps (flush_socket) when the agent runs fleetnet_flush,
 * every interval before it reads them; when the socket closes; and when another process uses the socket.
 * fleetnet_flush iterates the TCP sockets of the agent's network namespace, so only those count here.
 */
struct fn_sock {
    struct fn_key key;
    struct fn_ep_key ep;
    __u64 fresh;          /* 1 while the keys are current; fleetnet_flush clears it, so each socket's next call rebuilds them */
    __u64 tx_bytes;
    __u64 rx_bytes;
    __u64 tx_calls;
    __u64 rx_calls;
};

struct {
    __uint(type, BPF_MAP_TYPE_SK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct fn_sock);
} fn_socks SEC(".maps");

/* [0]: the agent's network namespace (inode) once it runs fleetnet_flush every interval, else 0. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} fn_config SEC(".maps");

/* Per CPU so the counting paths never contend; enum fn_counter indexes it. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, FN_CTR_COUNT);
    __type(key, __u32);
    __type(value, __u64);
} fn_counters SEC(".maps");

/* Scratch for building an fn_proc (too large for the 512-byte stack next to the other locals). */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct fn_proc);
} fn_proc_scratch SEC(".maps");

static __always_inline void count(__u32 index)
{
    __u64 *counter = bpf_map_lookup_elem(&fn_counters, &index);
    if (counter)
        *counter += 1;
}

#define KREAD(btf, direct, ...) ((btf) ? (direct) : BPF_CORE_READ(__VA_ARGS__))

static __always_inline __u64 leader_start(struct task_struct *task)
{
    return BPF_CORE_READ(task, group_leader, start_boottime);
}

/* Creates or refreshes the process record; at exec (exe != NULL) the exe and comm are replaced. */
static __always_inline struct fn_proc *record_process(struct task_struct *task, const char *exe, bool traffic)
{
    struct fn_proc_key key = {};
    struct fn_proc *proc, *scratch;
    __u32 zero = 0;
    long err;

    key.tgid = bpf_get_current_pid_tgid() >> 32;
    key.start_ns = leader_start(task);
    proc = bpf_map_lookup_elem(&fn_procs, &key);
    if (proc && !exe) {
        if (traffic && !proc->traffic)
            proc->traffic = 1;
        return proc;
    }

    scratch = bpf_map_lookup_elem(&fn_proc_scratch, &zero);
    if (!scratch)
        return 0;
    scratch->ppid = BPF_CORE_READ(task, real_parent, tgid);
    scratch->uid = (__u32)bpf_get_current_uid_gid();
    scratch->exited = 0;
    scratch->traffic = proc ? proc->traffic : traffic;
    /* The leader's comm names the process (as /proc/<pid>/comm); the thread's may be "worker-3". */
    BPF_CORE_READ_STR_INTO(&scratch->comm, task, group_leader, comm);
    if (exe)
        bpf_probe_read_kernel_str(&scratch->exe, sizeof(scratch->exe), exe);
    else
        scratch->exe[0] = 0;

    err = bpf_map_update_elem(&fn_procs, &key, scratch, proc ? BPF_ANY : BPF_NOEXIST);
    if (err && err != -EEXIST) {
        count(FN_CTR_PROC_LOST);
        return 0;
    }
    if (!err && !proc)
        count(FN_CTR_PROC_INSERTS);
    return bpf_map_lookup_elem(&fn_procs, &key);
}

static __always_inline void on_exec(struct linux_binprm *bprm)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    record_process(task, BPF_CORE_READ(bprm, filename), false);
}

/* The last thread's exit makes the counters final; a process that never used a socket is forgotten. */
static __always_inline void on_exit(void)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    struct fn_proc_key key = {};
    struct fn_proc *proc;

    if (BPF_CORE_READ(task, signal, live.counter) != 0)
        return;
    key.tgid = bpf_get_current_pid_tgid() >> 32;
    key.start_ns = leader_start(task);
    proc = bpf_map_lookup_elem(&fn_procs, &key);
    if (!proc)
        return;
    if (proc->traffic)
        proc->exited = 1;
    else if (bpf_map_delete_elem(&fn_procs, &key) == 0)
        count(FN_CTR_PROC_DELETES);
}

#define ADD_CALL(value, ret, tx)                                  \
    do {                                                          \
        if (tx) {                                                 \
            __sync_fetch_and_add(&(value)->tx_bytes, (ret));      \
            __sync_fetch_and_add(&(value)->tx_calls, 1);          \
        } else {                                                  \
            __sync_fetch_and_add(&(value)->rx_bytes, (ret));      \
            __sync_fetch_and_add(&(value)->rx_calls, 1);          \
        }                                                         \
    } while (0)

/* The process's entry, created at its first traffic (task NULL: created without comm and uid, see flush_socket). */
static __always_inline struct fn_value *usage_entry(struct fn_key *key, struct task_struct *task)
{
    struct fn_value *value = bpf_map_lookup_elem(&fn_usage, key);
    struct fn_value init = {};
    long err;

    if (value)
        return value;
    if (task) {
        record_process(task, 0, true);
        init.uid = (__u32)bpf_get_current_uid_gid();
        BPF_CORE_READ_STR_INTO(&init.comm, task, group_leader, comm);
    }
    /* NOEXIST: another CPU may have created the entry meanwhile; then add to theirs. */
    err = bpf_map_update_elem(&fn_usage, key, &init, BPF_NOEXIST);
    if (err && err != -EEXIST) {
        count(FN_CTR_USAGE_FULL);
        return 0;
    }
    return bpf_map_lookup_elem(&fn_usage, key);
}

static __always_inline struct fn_ep_value *endpoint_entry(struct fn_ep_key *ep)
{
    struct fn_ep_value *value = bpf_map_lookup_elem(&fn_endpoints, ep);
    struct fn_ep_value init = {};

    if (value)
        return value;
    if (!bpf_map_update_elem(&fn_endpoints, ep, &init, BPF_NOEXIST))
        count(FN_CTR_ENDPOINT_INSERTS);
    return bpf_map_lookup_elem(&fn_endpoints, ep);
}

static __always_inline void endpoint_key(struct sock *sk, struct fn_key *key, __u16 family, bool btf, struct fn_ep_key *ep)
{
    ep->tgid = key->tgid;
    ep->proto = key->proto;
    ep->start_ns = key->start_ns;
    ep->netns = key->netns;
    ep->family = family;
    ep->lport = KREAD(btf, sk->__sk_common.skc_num, sk, __sk_common.skc_num);
    ep->rport = bpf_ntohs(KREAD(btf, sk->__sk_common.skc_dport, sk, __sk_common.skc_dport));
    if (btf && family == AF_INET)
        *(__be32 *)ep->raddr = sk->__sk_common.skc_daddr;
    else if (btf)
        __builtin_memcpy(ep->raddr, &sk->__sk_common.skc_v6_daddr, sizeof(ep->raddr));
    else if (family == AF_INET)
        BPF_CORE_READ_INTO((__be32 *)ep->raddr, sk, __sk_common.skc_daddr);
    else
        BPF_CORE_READ_INTO((struct in6_addr *)ep->raddr, sk, __sk_common.skc_v6_daddr);

    /* An unconnected UDP socket: the peer this call named, if the cgroup hook saw it. */
    if (ep->proto == FN_PROTO_UDP && ep->rport == 0) {
        __u64 id = bpf_get_current_pid_tgid();
        struct fn_udp_peer *peer = bpf_map_lookup_elem(&fn_udp_peers, &id);
        if (peer && peer->family == family) {
            __builtin_memcpy(ep->raddr, peer->addr, sizeof(ep->raddr));
            ep->rport = peer->port;
        }
        if (peer)
            bpf_map_delete_elem(&fn_udp_peers, &id);
    }
}

/*
 * Moves a socket's pending bytes and calls into its owner's two entries. Each counter goes down by what was
 * read, not to zero, so a call that adds meanwhile is kept for the next move. An entry the agent has already
 * taken out (an endpoint idle for an interval) is made again; the process's, which the agent takes out only
 * after its exit, when its sockets have nothing pending, is made without comm and uid.
 */
static __always_inline void flush_socket(struct fn_sock *s)
{
    __u64 tx_bytes = s->tx_bytes, rx_bytes = s->rx_bytes, tx_calls = s->tx_calls, rx_calls = s->rx_calls;
    struct fn_value *usage;
    struct fn_ep_value *endpoint;

    if (!tx_calls && !rx_calls)
        return;
    usage = usage_entry(&s->key, 0);
    if (usage) {
        __sync_fetch_and_add(&usage->tx_bytes, tx_bytes);
        __sync_fetch_and_add(&usage->rx_bytes, rx_bytes);
        __sync_fetch_and_add(&usage->tx_calls, tx_calls);
        __sync_fetch_and_add(&usage->rx_calls, rx_calls);
    }
    endpoint = endpoint_entry(&s->ep);
    if (endpoint) {
        __sync_fetch_and_add(&endpoint->tx_bytes, tx_bytes);
        __sync_fetch_and_add(&endpoint->rx_bytes, rx_bytes);
        __sync_fetch_and_add(&endpoint->tx_calls, tx_calls);
        __sync_fetch_and_add(&endpoint->rx_calls, rx_calls);
    }
    __sync_fetch_and_add(&s->tx_bytes, -tx_bytes);
    __sync_fetch_and_add(&s->rx_bytes, -rx_bytes);
    __sync_fetch_and_add(&s->tx_calls, -tx_calls);
    __sync_fetch_and_add(&s->rx_calls, -rx_calls);
}

/* Whether this (BTF-typed) socket's calls count in fn_socks: it is in the namespace fleetnet_flush iterates. */
static __always_inline bool socket_counters(struct sock *sk)
{
    __u32 zero = 0;
    __u64 *netns = bpf_map_lookup_elem(&fn_config, &zero);

    return netns && *netns && *netns == sk->__sk_common.skc_net.net->ns.inum;
}

static __always_inline int account(struct sock *sk, int ret, bool tx, bool btf)
{
    struct task_struct *task;
    struct fn_value *value;
    struct fn_ep_value *endpoint;
    struct fn_sock *sock = 0;
    struct fn_key key = {};
    struct fn_ep_key ep = {};
    __u16 family, protocol;

    if (ret <= 0)
        return 0;

    family = KREAD(btf, sk->__sk_common.skc_family, sk, __sk_common.skc_family);
    if (family != AF_INET && family != AF_INET6)
        return 0;

    protocol = KREAD(btf, sk->sk_protocol, sk, sk_protocol);
    if (protocol == IPPROTO_TCP)
        key.proto = FN_PROTO_TCP;
    else if (protocol == IPPROTO_UDP)
        key.proto = FN_PROTO_UDP;
    else
        key.proto = FN_PROTO_OTHER;

    /* The leader's start time identifies the process for every thread, like /proc/<tgid>/stat. */
    task = btf ? bpf_get_current_task_btf() : (struct task_struct *)bpf_get_current_task();
    key.tgid = bpf_get_current_pid_tgid() >> 32;
    key.start_ns = KREAD(btf, task->group_leader->start_boottime, task, group_leader, start_boottime);

    /* A TCP socket's owner: the per-socket counters (a closing TCP socket moves them on; UDP has no such hook). */
    if (btf && protocol == IPPROTO_TCP && socket_counters(sk)) {
        sock = bpf_sk_storage_get(&fn_socks, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
        if (sock && sock->fresh && sock->key.tgid == key.tgid && sock->key.start_ns == key.start_ns) {
            ADD_CALL(sock, ret, tx);
            return 0;
        }
    }

    key.cgroup_id = bpf_get_current_cgroup_id();
    key.netns = KREAD(btf, sk->__sk_common.skc_net.net->ns.inum, sk, __sk_common.skc_net.net, ns.inum);
    value = usage_entry(&key, task);
    if (!value)
        return 0;
    ADD_CALL(value, ret, tx);

    endpoint_key(sk, &key, family, btf, &ep);
    endpoint = endpoint_entry(&ep);
    if (endpoint)
        ADD_CALL(endpoint, ret, tx);

    if (sock) {
        /*
         * First call, another process, or the first since the agent's flush: what is pending goes to the old
         * keys. A call of the old owner that races this change of hands (a socket two processes use at the
         * same moment) can land on the new keys.
         */
        flush_socket(sock);
        sock->key = key;
        sock->ep = ep;
        sock->fresh = 1;
    }
    return 0;
}

/* Level 1: BTF tracepoints. */

SEC("tp_btf/sock_send_length")
int BPF_PROG(fleetnet_send, struct sock *sk, int ret, int flags)
{
    return account(sk, ret, true, true);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(fleetnet_recv, struct sock *sk, int ret, int flags)
{
    /* A peek leaves the data queued; the read that consumes it is counted then. */
    if (flags & MSG_PEEK)
        return 0;
    return account(sk, ret, false, true);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(fleetnet_exec, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
    on_exec(bprm);
    return 0;
}

/* Only the first argument: kernels before 6.16 have no group_dead argument. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(fleetnet_exit, struct task_struct *p)
{
    on_exit();
    return 0;
}

#define TCP_CLOSE 7

/* A TCP socket's last state: what it still holds for its owner goes into the maps before the storage goes. */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(fleetnet_sock_close, struct sock *sk, int oldstate, int newstate)
{
    struct fn_sock *sock;

    if (newstate != TCP_CLOSE)
        return 0;
    sock = bpf_sk_storage_get(&fn_socks, sk, 0, 0);
    if (sock)
        flush_socket(sock);
    return 0;
}

/*
 * Run by the agent (reading the iterator's fd) every interval, before it reads fn_usage and fn_endpoints,
 * over the TCP sockets of its network namespace. (An iterator over fn_socks itself would reach every
 * namespace, but some kernels refuse map-element iterators: 6.18 here, with lockdown in integrity mode.)
 */
SEC("iter/tcp")
int fleetnet_flush(struct bpf_iter__tcp *ctx)
{
    struct sock_common *common = ctx->sk_common;
    struct tcp_sock *tcp;
    struct fn_sock *sock;

    if (!common)
        return 0;
    tcp = bpf_skc_to_tcp_sock(common);
    if (!tcp)
        return 0;
    sock = bpf_sk_storage_get(&fn_socks, tcp, 0, 0);
    if (!sock)
        return 0;
    flush_socket(sock);
    sock->fresh = 0;
    return 0;
}

/* Level 2: the same tracepoints as raw tracepoints (no BTF-typed arguments needed at attach). */

SEC("raw_tp/sock_send_length")
int BPF_PROG(fleetnet_send_raw, struct sock *sk, int ret, int flags)
{
    return account(sk, ret, true, false);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(fleetnet_recv_raw, struct sock *sk, int ret, int flags)
{
    if (flags & MSG_PEEK)
        return 0;
    return account(sk, ret, false, false);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(fleetnet_exec_raw, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
    on_exec(bprm);
    return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(fleetnet_exit_raw, struct task_struct *p)
{
    on_exit();
    return 0;
}

/*
 * The peer of an unconnected UDP sendto / recvfrom (see struct fn_udp_peer). These cgroup sock_addr hooks
 * run only for calls that carry a msg_name; they never change the address and always allow the call.
 */

static __always_inline int remember_peer4(struct bpf_sock_addr *ctx)
{
    struct fn_udp_peer peer = {};
    __u64 id = bpf_get_current_pid_tgid();

    if (ctx->protocol != IPPROTO_UDP)
        return 1;
    *(__u32 *)peer.addr = ctx->user_ip4;
    peer.port = bpf_ntohs((__u16)ctx->user_port);
    peer.family = AF_INET;
    bpf_map_update_elem(&fn_udp_peers, &id, &peer, BPF_ANY);
    return 1;
}

static __always_inline int remember_peer6(struct bpf_sock_addr *ctx)
{
    struct fn_udp_peer peer = {};
    __u64 id = bpf_get_current_pid_tgid();
    __u32 *words = (__u32 *)peer.addr;

    if (ctx->protocol != IPPROTO_UDP)
        return 1;
    words[0] = ctx->user_ip6[0];
    words[1] = ctx->user_ip6[1];
    words[2] = ctx->user_ip6[2];
    words[3] = ctx->user_ip6[3];
    peer.port = bpf_ntohs((__u16)ctx->user_port);
    peer.family = AF_INET6;
    bpf_map_update_elem(&fn_udp_peers, &id, &peer, BPF_ANY);
    return 1;
}

SEC("cgroup/sendmsg4")
int fleetnet_cgroup_sendmsg4(struct bpf_sock_addr *ctx)
{
    return remember_peer4(ctx);
}

SEC("cgroup/sendmsg6")
int fleetnet_cgroup_sendmsg6(struct bpf_sock_addr *ctx)
{
    return remember_peer6(ctx);
}

SEC("cgroup/recvmsg4")
int fleetnet_cgroup_recvmsg4(struct bpf_sock_addr *ctx)
{
    return remember_peer4(ctx);
}

SEC("cgroup/recvmsg6")
int fleetnet_cgroup_recvmsg6(struct bpf_sock_addr *ctx)
{
    return remember_peer6(ctx);
}

/* Level 3: per-cgroup packet bytes, attached to the cgroup v2 root; always lets the packet pass. */

static __always_inline int account_cgroup(struct __sk_buff *skb, bool tx)
{
    struct fn_cg_key key = {};
    struct fn_cg_value *value;
    __u8 proto = 0;

    if (skb->protocol == bpf_htons(ETH_P_IP))
        bpf_skb_load_bytes(skb, 9, &proto, 1);
    else if (skb->protocol == bpf_htons(ETH_P_IPV6))
        bpf_skb_load_bytes(skb, 6, &proto, 1);
    else
        return 1;

    key.proto = proto == IPPROTO_TCP ? FN_PROTO_TCP : proto == IPPROTO_UDP ? FN_PROTO_UDP : FN_PROTO_OTHER;
    /* The cgroup of the socket that owns the packet, not of whatever runs the softirq. */
    key.cgroup_id = bpf_skb_cgroup_id(skb);
    value = bpf_map_lookup_elem(&fn_cgroup_usage, &key);
    if (!value) {
        struct fn_cg_value init = {};
        long err = bpf_map_update_elem(&fn_cgroup_usage, &key, &init, BPF_NOEXIST);
        if (err && err != -EEXIST) {
            count(FN_CTR_CGROUP_FULL);
            return 1;
        }
        value = bpf_map_lookup_elem(&fn_cgroup_usage, &key);
        if (!value)
            return 1;
    }

    if (tx) {
        __sync_fetch_and_add(&value->tx_bytes, skb->len);
        __sync_fetch_and_add(&value->tx_packets, 1);
    } else {
        __sync_fetch_and_add(&value->rx_bytes, skb->len);
        __sync_fetch_and_add(&value->rx_packets, 1);
    }
    return 1;
}

SEC("cgroup_skb/egress")
int fleetnet_cgroup_egress(struct __sk_buff *skb)
{
    return account_cgroup(skb, true);
}

SEC("cgroup_skb/ingress")
int fleetnet_cgroup_ingress(struct __sk_buff *skb)
{
    return account_cgroup(skb, false);
}
