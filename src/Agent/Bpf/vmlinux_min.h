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
    BPF_MAP_TYPE_PERCPU_ARRAY = 6,
};

enum {
    BPF_ANY = 0,
    BPF_NOEXIST = 1,
};

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct sock_common {
    unsigned short skc_family;
};

struct sock {
    struct sock_common __sk_common;
    __u16 sk_protocol;
};

struct task_struct {
    struct task_struct *group_leader;
    __u64 start_boottime;
    char comm[16];
};

#pragma clang attribute pop

#endif /* __VMLINUX_MIN_H__ */
