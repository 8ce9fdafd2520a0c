// SPDX-License-Identifier: GPL-2.0
// The floor for AgentBench: two programs that return at once, on the two tracepoints the agent's send and
// receive programs use. What they cost is the kernel's own dispatch of a program per socket call, which any
// per-call eBPF accounting pays, whatever it does inside.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sock_send_length")
int BPF_PROG(empty_send)
{
    return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(empty_recv)
{
    return 0;
}
