/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The timeline's event stream. With targ_timeline false (every run without
 * --timeline or --svg) the verifier removes every emit() as dead code, its
 * arguments with it (a macro: they are evaluated behind the test), and
 * the ring buffer is one page: no cost. Only transfer-phase events go in.
 */
#ifndef EVENTS_BPF_H
#define EVENTS_BPF_H

#include "maps.bpf.h"

static __always_inline void emit_event(const struct ipct_proc *p, __u32 tid, __u32 type, __u32 a,
				       __s64 b, __u64 c)
{
	struct ipct_event *e;

	if (p->phase != PHASE_TRANSFER)
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

/*
 * A macro, so that its arguments are evaluated behind the test: as a
 * function, emit(p, current_tid(), ...) made the bpf_get_current_pid_tgid()
 * call of its argument on every traced event, timeline or not (a helper
 * call is not dead code to the verifier; only the branch after a false
 * targ_timeline is).
 */
#define emit(p, tid, type, a, b, c)                              \
	do {                                                     \
		if (targ_timeline)                               \
			emit_event((p), (tid), (type), (a), (b), (c)); \
	} while (0)

static __always_inline __u32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

#endif /* EVENTS_BPF_H */
