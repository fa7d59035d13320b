/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * `ipctrace trace -- CMD`: the command's process is in setup from its fork
 * until it execs CMD (track.bpf.h: track_exec). That execve entered in
 * setup, so sys_enter counted it there before 5.17 (since, it is counted at
 * its exit, in transfer already); it is a syscall the command made,
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

/* sched_process_exec of @task: track_exec(), and the command's execve moved to transfer. */
static __always_inline void track_exec_counted(struct task_struct *task)
{
	struct ipct_proc *p = proc_of(task->tgid);
	bool in_setup = p && p->phase == PHASE_SETUP;
	struct pt_regs *regs;
	__u64 nr;

	track_exec(task);
	/* since 5.17 syscalls are counted at their exit, this one's now in transfer */
	if (!in_setup || p->phase != PHASE_TRANSFER || exit_only())
		return;
	/*
	 * execve or execveat; without bpf_task_pt_regs (before 5.15,
	 * compat.bpf.h) execve, the call user/trace.c's launcher makes
	 */
	nr = __NR_execve;
	if (has_task_pt_regs()) {
		regs = (struct pt_regs *)bpf_task_pt_regs(task);
		nr = regs->orig_ax;
	}
	sysnr_add(p->slot, PHASE_SETUP, nr, (__u64)-1);
	sysnr_add(p->slot, PHASE_TRANSFER, nr, 1);
}

#endif /* EXEC_BPF_H */
