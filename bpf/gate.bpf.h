/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The gate: sys_exit finds whose syscall ended without a helper call.
 *
 * sys_exit runs for every syscall of every process of the machine, and
 * asking whose syscall it is costs a helper call (bpf_get_current_task_btf),
 * whose return pays the SRSO thunk on this kind of CPU. But sys_exit's first
 * argument already names the thread: its user register frame, at the top of
 * its kernel stack, one address per live thread. gate_regs holds, in the
 * entry that address hashes to, the frame and the task of each traced
 * thread, put there before the thread can end a syscall:
 *   - at fork (sched_process_fork comes before the child is woken), for
 *     a traced process's new threads and traced children (track_child()
 *     says which);
 *   - for the threads of a process user space adds (-p), by the task
 *     iterator gate_threads, while gate_hold keeps the gate open (every
 *     thread then takes the helper call).
 * Every thread's exit takes its frame out (gate_forget()), traced or not by
 * then, before its stack can serve another thread: a frame in the table is
 * a live thread's, so the task beside it is the current one. An entry that
 * is neither the frame at hand nor GATE_SHARED says that thread is not
 * traced. Two traced threads on one entry make it GATE_SHARED, which stays:
 * its threads take the helper call.
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

/*
 * An entry of gate_regs (maps.bpf.h: two numbers, the skeleton's types
 * are plain): the thread's user register frame (0: none, GATE_SHARED),
 * and its task_struct, written after the frame is claimed.
 */
struct ipct_gate_entry {
	__u64 frame;
	__u64 task;
};
#define PF_EXITING_ 0x00000004 /* include/linux/sched.h, a define: not in BTF */

/* The gate is kept (maps.bpf.h: targ_gate, and exit_only()); a constant. */
static __always_inline bool gate_on(void)
{
	return targ_gate && exit_only();
}

/* The low 32 bits of pointer @p as a number (a 32-bit move: root's programs may). */
static __always_inline __u32 gate_lo(const void *p)
{
	__u32 lo;

	asm volatile("%0 = %1" : "=w"(lo) : "w"(p));
	return lo;
}

/* The entry of frame @regs: its low 32 bits, hashed. */
static __always_inline struct ipct_gate_entry *gate_entry(const void *regs)
{
	__u32 h = (gate_lo(regs) >> 4) * 2654435761u;

	return (struct ipct_gate_entry *)gate_regs[(h >> (32 - IPCT_GATE_BITS)) &
						    (IPCT_GATE_ENTRIES - 1)];
}

enum gate_verdict {
	GATE_LOOK_UP,  /* ask the helper */
	GATE_UNTRACED, /* not a traced thread */
	GATE_TRACED,   /* a traced thread's, *task its task_struct */
};

/* sys_exit: what the gate knows of the thread whose frame is @regs. */
static __always_inline enum gate_verdict gate_check(const struct pt_regs *regs, __u64 *task)
{
	struct ipct_gate_entry *e;
	__u64 f;

	if (!gate_on() || *(volatile __u32 *)&gate_hold)
		return GATE_LOOK_UP; /* held, or for good: a frame not where gate_forget() looks */
	e = gate_entry(regs);
	f = e->frame;
	if (f == GATE_SHARED)
		return GATE_LOOK_UP;
	if (f != (__u64)regs)
		return GATE_UNTRACED;
	*task = e->task;
	return GATE_TRACED;
}

/*
 * Whether @task's frame @regs is its stack's base plus gate_frame_off,
 * where gate_forget() will look for it; the first registration sets the
 * offset. A frame elsewhere (no kernel lays its stacks out so) would stay
 * in the table after its thread: the gate is then held for good.
 */
static __always_inline bool gate_frame_checked(struct task_struct *task, const void *regs)
{
	__u32 off = gate_lo(regs) - (__u32)(__u64)task->stack;

	if (!off || (__sync_val_compare_and_swap(&gate_frame_off, 0, off) ?: off) != off) {
		__sync_fetch_and_or(&gate_hold, GATE_HOLD_BROKEN);
		return false;
	}
	return true;
}

/*
 * Traced thread @task joins the table: the frame claimed first, then the
 * task written (only @task itself reads it, and it is not running yet, or
 * gate_hold is up). An exiting thread gives its frame back at once.
 */
static __always_inline void gate_register(struct task_struct *task)
{
	struct pt_regs *regs;
	struct ipct_gate_entry *e;
	__u64 old;

	if (!gate_on())
		return;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	if (!gate_frame_checked(task, regs))
		return;
	e = gate_entry(regs);
	old = __sync_val_compare_and_swap(&e->frame, 0, (__u64)regs);
	if (old && old != (__u64)regs) {
		*(volatile __u64 *)&e->frame = GATE_SHARED;
		return;
	}
	e->task = (__u64)task;
	/*
	 * The iterator may meet a thread past its exit's gate_forget(): its
	 * frame then stays for good. PF_EXITING is set before that tracepoint,
	 * and the compare-and-exchange above orders this read after the
	 * claim: if it is not set yet, gate_forget() will find the frame.
	 */
	if (task->flags & PF_EXITING_)
		__sync_val_compare_and_swap(&e->frame, (__u64)regs, 0);
}

/*
 * sched_process_exit, in exiting thread @task, traced or not: its frame
 * leaves the table. Every thread of the machine comes here: its frame is
 * its stack's base plus the offset every registration checked, plain
 * loads, and the locked compare-and-exchange only for a frame that is
 * there.
 */
static __always_inline void gate_forget(struct task_struct *task)
{
	__u32 off = *(volatile __u32 *)&gate_frame_off;
	struct ipct_gate_entry *e;
	__u64 frame;

	if (!gate_on() || !off)
		return;
	frame = (__u64)task->stack + off;
	e = gate_entry((const void *)frame);
	if (e->frame == frame)
		__sync_val_compare_and_swap(&e->frame, frame, 0);
}

#endif /* GATE_BPF_H */
