/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Who is traced. Every handler starts with current_proc() (or proc_of() on
 * the task an event is about) and returns at once on NULL: these handlers
 * run for every process of the machine, so the untraced path is one helper
 * call and one array index (the verifier inlines array lookups), with no
 * map update or probe read before it: procs, two bytes per pid (the slot,
 * ipctrace.h), then for a traced process a second index, slots[slot]. A hash keyed by tgid cost 30 to 40 ns
 * more per event (bpf_stats, `ipctrace probe --cost`). sys_exit tests procs
 * alone (current_has_slot()), then the thread's record (io.bpf.h), which
 * only traced threads have. The maps are in maps.bpf.h.
 */
#ifndef TRACK_BPF_H
#define TRACK_BPF_H

#include "maps.bpf.h"
#include <bpf/bpf_core_read.h>

/* Add @n to a counter: atomic, as two threads of a process may add at once. */
static __always_inline void count(__u64 *counter, __u64 n)
{
	__sync_fetch_and_add(counter, n);
}

/* The two bytes of procs that say which slot @tgid is (0: none), or NULL past the array. */
static __always_inline __u16 *pid_slot1(__u32 tgid)
{
	__u32 row = tgid / IPCT_PIDS_PER_ROW;
	struct ipct_pid_row *r = bpf_map_lookup_elem(&procs, &row);

	return r ? &r->slot1[tgid % IPCT_PIDS_PER_ROW] : NULL;
}

static __always_inline struct ipct_proc *proc_of(__u32 tgid)
{
	__u16 *s1 = pid_slot1(tgid);
	struct ipct_proc *p;
	__u32 slot;

	if (!s1 || !*s1)
		return NULL;
	slot = *s1 - 1;
	p = bpf_map_lookup_elem(&slots, &slot);
	return p && p->traced ? p : NULL;
}

static __always_inline struct ipct_proc *current_proc(void)
{
	return proc_of(bpf_get_current_pid_tgid() >> 32);
}

/*
 * Whether the current process has a slot: procs alone, without the slot's
 * row (a filter for sys_exit, whose thread record then decides).
 */
static __always_inline bool current_has_slot(void)
{
	__u16 *s1 = pid_slot1(bpf_get_current_pid_tgid() >> 32);

	return s1 && *s1;
}

/* The counters row of process @slot in @phase (an unknown phase counts as teardown). */
static __always_inline __u32 counters_idx(__u32 slot, __u32 phase)
{
	return slot * NR_PHASES + (phase < NR_PHASES ? phase : PHASE_TEARDOWN);
}

static __always_inline struct ipct_counters *counters_of(const struct ipct_proc *p)
{
	__u32 idx = counters_idx(p->slot, p->phase);

	return bpf_map_lookup_elem(&counters, &idx);
}

/* The counters of the process and phase a row key names. */
static __always_inline struct ipct_counters *key_counters(const struct ipct_io_key *key)
{
	__u32 idx = counters_idx(key->slot, key->phase);

	return bpf_map_lookup_elem(&counters, &idx);
}

/* Counters of the current process, or NULL when it is not traced. */
static __always_inline struct ipct_counters *current_counters(void)
{
	struct ipct_proc *p = current_proc();

	return p ? counters_of(p) : NULL;
}

/*
 * The next free slot, or IPCT_MAX_SLOTS. Without fetching atomics (5.10,
 * 5.11; !@fetch, a constant: fork_btf_v510's, as those kernels refuse the
 * instruction even in dead code), a slot is taken by inserting it into
 * slot_claims: of two callers that read the same next_slot, the second
 * finds it claimed and tries the next one; next_slot counts the claims, so
 * the slots stay 0 .. next_slot - 1 (user/tracer.c claims its own the same
 * way). 16 callers at once would make the last one an overflow, counted.
 */
static __always_inline __u32 slot_alloc(bool fetch)
{
	__u32 base, s;
	__u8 one = 1;

	if (fetch)
		return __sync_fetch_and_add(&next_slot, 1);
	base = *(volatile __u32 *)&next_slot;
	for (int i = 0; i < 16; i++) {
		s = base + i;
		if (s >= IPCT_MAX_SLOTS)
			break;
		if (!bpf_map_update_elem(&slot_claims, &s, &one, BPF_NOEXIST)) {
			__sync_fetch_and_add(&next_slot, 1); /* result unused: no fetch */
			return s;
		}
	}
	return IPCT_MAX_SLOTS;
}

/*
 * A new process joins the trace in the kernel, at fork, before it runs a
 * single instruction: no race with short-lived children. It inherits the
 * parent's phase. True when @child is traced: a traced process's new
 * thread, or a child given a slot here.
 */
static __always_inline bool track_child(struct task_struct *parent, struct task_struct *child,
					bool fetch)
{
	__u32 ptgid = parent->tgid;
	__u32 ctgid = child->tgid;
	struct ipct_proc *pp, np = {};
	struct ipct_proc_info *info;
	__u16 *s1;

	pp = proc_of(ptgid);
	if (ptgid == ctgid) /* a new thread: its process is already known */
		return pp;
	if (!pp && ptgid != targ_launcher)
		return false;
	np.slot = slot_alloc(fetch);
	s1 = pid_slot1(ctgid);
	/* past the table, or a pid past the array (pid_max raised during the run) */
	if (np.slot >= IPCT_MAX_SLOTS || !s1) {
		__sync_fetch_and_add(&slot_overflow, 1);
		return false;
	}
	np.phase = pp ? pp->phase : PHASE_SETUP;
	np.traced = 1;
	info = bpf_map_lookup_elem(&procinfo, &np.slot);
	if (info) {
		info->tgid = ctgid;
		info->parent_slot = pp ? pp->slot : (__u32)-1;
		info->mark_ns = bpf_ktime_get_ns();
		BPF_CORE_READ_STR_INTO(&info->comm, child, comm);
	}
	/* the slot's row first: whoever finds the pid's two bytes finds it whole */
	bpf_map_update_elem(&slots, &np.slot, &np, BPF_ANY);
	*s1 = np.slot + 1;
	return true;
}

/*
 * The current thread's record where there is no task storage (5.10):
 * `threads` is then a hash by thread id, made from thread_zero if
 * @create, dropped by thread_forget() when the thread exits. Every caller
 * of thread_of() asks for the current thread's.
 */
static __always_inline struct ipct_thread *thread_by_tid(bool create)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	struct ipct_thread *th = bpf_map_lookup_elem(&threads, &tid), *z;

	if (th || !create || !(z = bpf_map_lookup_elem(&thread_zero, &zero)))
		return th;
	bpf_map_update_elem(&threads, &tid, z, BPF_NOEXIST);
	return bpf_map_lookup_elem(&threads, &tid);
}

/* A thread exits: its record goes (task storage frees its own). */
static __always_inline void thread_forget(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (targ_threads_by_tid)
		bpf_map_delete_elem(&threads, &tid);
}

/* Close the current phase's clock and start @next's. */
static __always_inline void phase_switch(struct ipct_proc *p, __u32 next)
{
	struct ipct_proc_info *info = bpf_map_lookup_elem(&procinfo, &p->slot);
	__u64 now = bpf_ktime_get_ns();

	if (info && p->phase < NR_PHASES) {
		info->phase_ns[p->phase] += now - info->mark_ns;
		info->mark_ns = now;
	}
	p->phase = next;
}

static __always_inline void track_exec(struct task_struct *task)
{
	struct ipct_proc *p = proc_of(task->tgid);
	struct ipct_proc_info *info;

	if (!p)
		return;
	if (targ_exec_starts_transfer && p->phase == PHASE_SETUP)
		phase_switch(p, PHASE_TRANSFER);
	info = bpf_map_lookup_elem(&procinfo, &p->slot);
	if (info)
		BPF_CORE_READ_STR_INTO(&info->comm, task, comm);
}

/* The last thread of a traced process leaves: keep its figures, drop the pid. */
static __always_inline void track_exit(struct task_struct *task)
{
	__u32 tgid = task->tgid;
	struct ipct_proc *p = proc_of(tgid);
	struct ipct_proc_info *info;
	__u16 *s1;

	if (!p)
		return;
	/* do_exit() drops signal->live before this tracepoint; 0 = group dead */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return;
	phase_switch(p, p->phase);
	info = bpf_map_lookup_elem(&procinfo, &p->slot);
	if (info) {
		info->exited = 1;
		info->exit_code = BPF_CORE_READ(task, exit_code);
		/* its name as it left: a worker names itself by its role (prctl) */
		BPF_CORE_READ_STR_INTO(&info->comm, task, group_leader, comm);
	}
	p->traced = 0;
	/* the pid is freed after this tracepoint: no new process has it yet */
	s1 = pid_slot1(tgid);
	if (s1)
		*s1 = 0;
}

#endif /* TRACK_BPF_H */
