/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The gate: sys_exit turns an untraced thread away without a helper call.
 *
 * sys_exit runs for every syscall of every process of the machine, and
 * asking whose syscall it is costs a helper call (bpf_get_current_task_btf),
 * whose return pays the SRSO thunk on this kind of CPU. But sys_exit's first
 * argument already names the thread: its user register frame, at the top of
 * its kernel stack, one address per live thread. gate_regs holds, in the
 * entry that address hashes to, the frame of each traced thread, put there
 * before the thread can end a syscall:
 *   - at fork (gate_fork(): sched_process_fork comes before the child is
 *     woken), for a traced process's new threads and traced children;
 *   - for the threads of a process user space adds (-p), by the task
 *     iterator gate_threads, while gate_hold keeps the gate open (every
 *     thread then takes the full lookup).
 * An entry that is neither the frame at hand nor GATE_SHARED says that
 * thread is not traced. Two traced threads on one entry make it GATE_SHARED,
 * which stays (its threads take the full lookup); a traced thread's exit
 * gives its entry back (gate_forget()). A frame left behind, by a thread
 * that was no longer traced when it exited, only sends the threads on its
 * entry to the full lookup: the gate can say "look it up" wrongly, never
 * "not traced" for a traced thread.
 *
 * Frames are compared as numbers: root's programs may (allow_ptr_leaks), a
 * 32-bit move of a pointer gives a number to hash. Since 5.17 (exit_only():
 * sys_exit alone counts a syscall, and bpf_task_pt_regs is there), with
 * fork_btf and exit_btf, whose compare-and-exchange 5.10 refuses.
 */
#ifndef GATE_BPF_H
#define GATE_BPF_H

#include "maps.bpf.h"
#include "track.bpf.h"
#include "io.bpf.h"

#define GATE_SHARED 1ULL

/* The gate is kept (maps.bpf.h: targ_gate, and exit_only()); a constant. */
static __always_inline bool gate_on(void)
{
	return targ_gate && exit_only();
}

/* The entry of frame @regs: its low 32 bits (a 32-bit move, a number), hashed. */
static __always_inline __u32 gate_idx(const void *regs)
{
	__u32 lo;

	asm volatile("%0 = %1" : "=w"(lo) : "w"(regs));
	return (__u32)((lo >> 4) * 2654435761u) >> (32 - IPCT_GATE_BITS);
}

/* sys_exit: whether the thread whose frame is @regs is surely not traced. */
static __always_inline bool gate_untraced(const struct pt_regs *regs)
{
	__u64 e;

	if (!gate_on() || *(volatile __u32 *)&gate_hold)
		return false;
	e = gate_regs[gate_idx(regs) & (IPCT_GATE_ENTRIES - 1)];
	return e != (__u64)regs && e != GATE_SHARED;
}

/* Traced thread @task joins the gate's table. */
static __always_inline void gate_register(struct task_struct *task)
{
	struct pt_regs *regs;
	__u64 *e, old;

	if (!gate_on())
		return;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	e = &gate_regs[gate_idx(regs) & (IPCT_GATE_ENTRIES - 1)];
	old = __sync_val_compare_and_swap(e, 0, (__u64)regs);
	if (old && old != (__u64)regs)
		*(volatile __u64 *)e = GATE_SHARED;
}

/* sched_process_fork: @child is traced (a traced process's thread, or a child track_child() took). */
static __always_inline void gate_fork(struct task_struct *child)
{
	if (gate_on() && proc_of(child->tgid))
		gate_register(child);
}

/* sched_process_exit, in exiting thread @task: its entry is free again, unless shared. */
static __always_inline void gate_forget(struct task_struct *task)
{
	struct pt_regs *regs;
	__u64 *e;

	if (!gate_on())
		return;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	e = &gate_regs[gate_idx(regs) & (IPCT_GATE_ENTRIES - 1)];
	__sync_val_compare_and_swap(e, (__u64)regs, 0);
}

#endif /* GATE_BPF_H */
