/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Observed copies: fexit programs on the callers of the copy routines
 * (lib/ itself takes no fentry on any kernel). Each adds the bytes its
 * caller really moved to the calling process's current phase, if it is
 * traced, by what the call's iov_iter points at: user memory (a copy
 * across the user boundary), kernel memory (a copy inside the kernel), or
 * on 6.1 .. 6.4 a pipe, which a splice read fills with references to page
 * cache pages instead of copies. At fexit the iov_iter has been advanced,
 * but its type is what it was at entry.
 */
#ifndef OBSERVE_BPF_H
#define OBSERVE_BPF_H

#include "maps.bpf.h"
#include "compat.bpf.h"
#include "track.bpf.h"

/* The class of @it, or -1 when nothing is copied (ITER_DISCARD) or unknown. */
static __always_inline int iter_class(const struct iov_iter *it)
{
	unsigned int t = iter_flavour(it);

	if (t == bpf_core_enum_value(enum iter_type, ITER_IOVEC))
		return IC_USER;
	if (iter_is_ubuf(t))
		return IC_USER;
	if (iter_is_pipe(t))
		return IC_PAGEREF;
	if (t == bpf_core_enum_value(enum iter_type, ITER_DISCARD))
		return -1;
	return IC_KERNEL;
}

/* @bytes moved by observed caller @site through @it, in the current process. */
static __always_inline void observe_copy(enum ipct_obs_site site, const struct iov_iter *it,
					 __s64 bytes)
{
	struct ipct_counters *c = current_counters();
	int cls;

	if (!c || bytes <= 0)
		return;
	cls = iter_class(it);
	if (cls >= 0 && cls < NR_ITER_CLASSES && site < NR_OBS_FEXIT)
		count(&c->obs_bytes[site][cls], bytes);
}

#endif /* OBSERVE_BPF_H */
