/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The timeline's event stream. With targ_timeline false (every run without
 * --timeline or --svg) the verifier removes every emit() as dead code and
 * the ring buffer is one page: no cost. Only transfer-phase events go in.
 */
#ifndef EVENTS_BPF_H
#define EVENTS_BPF_H

#include "maps.bpf.h"

static __always_inline void emit(const struct ipct_proc *p, __u32 tid, __u32 type, __u32 a,
				 __s64 b, __u64 c)
{
	struct ipct_event *e;

	if (!targ_timeline || p->phase != PHASE_TRANSFER)
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&events_dropped, 1);
		return;
	}
	e->ts = bpf_ktime_get_ns();
	e->slot = p->slot;
	e->tid = tid;
	e->type = type;
	e->a = a;
	e->b = b;
	e->c = c;
	bpf_ringbuf_submit(e, 0);
}

static __always_inline __u32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

#endif /* EVENTS_BPF_H */
