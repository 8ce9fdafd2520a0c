/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types fleetnet.bpf.c touches, instead of a generated vmlinux.h (tens of thousands
 * of lines, tied to one kernel). preserve_access_index makes every field access a CO-RE relocation,
 * so libbpf fixes the offsets against the running kernel's BTF at load time.
 */
#ifndef __VMLINUX_MIN_H__
#define __VMLINUX_MIN_H__

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
enum { false = 0, true = 1 };

/* uapi values bpf_helpers.h and the map definitions need. */
enum bpf_map_type {
    BPF_MAP_TYPE_HASH = 1,
    BPF_MAP_TYPE_ARRAY = 2,
    BPF_MAP_TYPE_PERCPU_ARRAY = 6,
    BPF_MAP_TYPE_LRU_HASH = 9,
    BPF_MAP_TYPE_SK_STORAGE = 24,
};

enum {
    BPF_ANY = 0,
    BPF_NOEXIST = 1,
};

enum {
    BPF_F_NO_PREALLOC = 1,
};

enum {
    BPF_SK_STORAGE_GET_F_CREATE = 1,
};

/* uapi (not CO-RE: the verifier rewrites context accesses): what cgroup_skb programs see. */
struct __sk_buff {
    __u32 len;
    __u32 pkt_type;
    __u32 mark;
    __u32 queue_mapping;
    __u32 protocol;
};

/* uapi (not CO-RE): what cgroup sock_addr programs (sendmsg/recvmsg hooks) see; fields up to protocol. */
struct bpf_sock_addr {
    __u32 user_family;
    __u32 user_ip4;       /* network order */
    __u32 user_ip6[4];    /* network order */
    __u32 user_port;      /* network order, in the low 16 bits */
    __u32 family;
    __u32 type;
    __u32 protocol;
};

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

typedef struct {
    int counter;
} atomic_t;

struct in6_addr {
    __u8 s6_addr[16];
};

struct ns_common {
    unsigned int inum;
};

struct net {
    struct ns_common ns;
};

typedef struct {
    struct net *net;
} possible_net_t;

struct sock_common {
    __be32 skc_daddr;
    __be16 skc_dport;
    __u16 skc_num;
    unsigned short skc_family;
    possible_net_t skc_net;
    struct in6_addr skc_v6_daddr;
};

struct sock {
    struct sock_common __sk_common;
    __u16 sk_protocol;
};

struct signal_struct {
    atomic_t live;
};

struct task_struct {
    struct task_struct *group_leader;
    struct task_struct *real_parent;
    struct signal_struct *signal;
    int tgid;
    __u64 start_boottime;
    char comm[16];
};

struct linux_binprm {
    const char *filename;
};

/* The context of the TCP socket iterator: each TCP socket of the reader's network namespace. */
struct bpf_iter_meta;

struct bpf_iter__tcp {
    struct bpf_iter_meta *meta;
    struct sock_common *sk_common;
    __u32 uid;
};

#pragma clang attribute pop

#endif /* __VMLINUX_MIN_H__ */
