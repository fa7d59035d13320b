// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The floor under any tracer of these four events: `make bench` runs its
 * loads under these programs to show what attaching costs before a program
 * does anything (empty: return at once) and what the simplest useful work
 * costs (count: one per-CPU array increment, no filter). ipctrace's ratios
 * are read against these two. exit1 is one empty program on sys_exit alone:
 * a tracer that does a syscall's work in one program run, at sys_exit,
 * pays this for an untraced syscall, and less than the 4-event floor.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void count(__u32 i)
{
	__u64 *v = bpf_map_lookup_elem(&hits, &i);

	if (v)
		(*v)++;
}

SEC("tp_btf/sys_enter") int BPF_PROG(empty_enter) { return 0; }
SEC("tp_btf/sys_exit") int BPF_PROG(empty_exit) { return 0; }
SEC("tp_btf/page_fault_user") int BPF_PROG(empty_fault) { return 0; }
SEC("tp_btf/sched_switch") int BPF_PROG(empty_switch) { return 0; }

SEC("tp_btf/sys_enter") int BPF_PROG(count_enter) { count(0); return 0; }
SEC("tp_btf/sys_exit") int BPF_PROG(count_exit) { count(1); return 0; }
SEC("tp_btf/page_fault_user") int BPF_PROG(count_fault) { count(2); return 0; }
SEC("tp_btf/sched_switch") int BPF_PROG(count_switch) { count(3); return 0; }

SEC("tp_btf/sys_exit") int BPF_PROG(exit1_empty) { return 0; }
