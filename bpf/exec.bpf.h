/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * `ipctrace trace -- CMD`: the command's process is in setup from its fork
 * until it execs CMD (track.bpf.h: track_exec). That execve entered in
 * setup, so sys_enter counted it there; it is a syscall the command made,
 * so once it has succeeded (sched_process_exec runs inside it) its count
 * moves to the transfer phase: exactly once, and only the execve that
 * succeeded (a PATH search's failed attempts stay ipctrace's setup).
 */
#ifndef EXEC_BPF_H
#define EXEC_BPF_H

#include "maps.bpf.h"
#include "track.bpf.h"
#include "io.bpf.h"
#include "compat.bpf.h"
#include <asm/unistd_64.h>

/* Add @delta (two's complement: -1 subtracts) to @phase's count of syscall @nr. */
static __always_inline void sysnr_add(const struct ipct_proc *p, __u32 phase, __u64 nr, __u64 delta)
{
	struct ipct_sys_key sk = { .slot = p->slot, .phase = phase, .nr = nr };
	__u32 idx = counters_idx(p->slot, phase);
	struct ipct_counters *c = bpf_map_lookup_elem(&counters, &idx);
	__u64 zero = 0, *n;

	if (c)
		count(&c->syscalls, delta);
	/* per-CPU rows, summed in user space modulo 2^64: exec may have moved CPU */
	n = pcpu_hash_row(&sysnr, &sk, &zero);
	if (n)
		*n += delta;
}

/* sched_process_exec of @task: track_exec(), and the command's execve moved to transfer. */
static __always_inline void track_exec_counted(struct task_struct *task)
{
	struct ipct_proc *p = proc_of(task->tgid);
	bool in_setup = p && p->phase == PHASE_SETUP;
	struct pt_regs *regs;
	__u64 nr;

	track_exec(task);
	if (!in_setup || p->phase != PHASE_TRANSFER)
		return;
	/*
	 * execve or execveat; without bpf_task_pt_regs (before 5.15,
	 * compat.bpf.h) execve, the call user/trace.c's launcher makes
	 */
	nr = __NR_execve;
	if (has_task_pt_regs()) {
		regs = (struct pt_regs *)bpf_task_pt_regs(task);
		nr = BPF_CORE_READ(regs, orig_ax);
	}
	sysnr_add(p, PHASE_SETUP, nr, (__u64)-1);
	sysnr_add(p, PHASE_TRANSFER, nr, 1);
}

#endif /* EXEC_BPF_H */
