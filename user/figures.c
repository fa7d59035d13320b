// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stddef.h>
#include "figures.h"
#include "u64sum.h"

static const char *const method_names[] = {
	[M_UNAVAILABLE] = "unavailable",
	[M_OBSERVED] = "observed",
	[M_DERIVED] = "derived",
	[M_MIXED] = "observed+derived",
	[M_NONE] = "none",
};

const char *method_name(enum method m)
{
	return m <= M_NONE ? method_names[m] : "?";
}

static const char *const column_names[] = {
	[COL_U2K] = "user_to_kernel",
	[COL_K2U] = "kernel_to_user",
	[COL_K2K] = "kernel_to_kernel",
	[COL_PAGEREF] = "page_refs",
	[COL_DIRECT] = "direct_io",
	[COL_DISCARD] = "discarded",
	[COL_U2U] = "user_to_user",
	[COL_REMAP] = "remapped",
	[COL_COPY_OR_REMAP] = "copied_or_remapped",
};

const char *column_name(enum column c)
{
	return c < NR_COLUMNS ? column_names[c] : "?";
}

void figures_add(struct figures *dst, const struct figures *src)
{
	u64_add_all(&dst->k, &src->k, sizeof(dst->k));
	for (int c = 0; c < NR_COLUMNS; c++) {
		dst->col[c].bytes += src->col[c].bytes;
		dst->col[c].ops += src->col[c].ops;
		dst->col[c].derived_bytes += src->col[c].derived_bytes;
		dst->col[c].methods |= src->col[c].methods;
	}
	for (int k = 0; k < NR_FD_KINDS; k++) {
		dst->by_kind[k].read_bytes += src->by_kind[k].read_bytes;
		dst->by_kind[k].reads += src->by_kind[k].reads;
		dst->by_kind[k].write_bytes += src->by_kind[k].write_bytes;
		dst->by_kind[k].writes += src->by_kind[k].writes;
	}
	for (int s = 0; s < NR_OBS_SITES; s++)
		for (int c = 0; c < NR_ITER_CLASSES; c++)
			dst->site_derived[s][c] += src->site_derived[s][c];
	for (int n = 0; n < MAX_SYSNR; n++)
		dst->sys_by_nr[n] += src->sys_by_nr[n];
	dst->sys_other += src->sys_other;
	dst->unacc_calls += src->unacc_calls;
	dst->sock_rx_derived += src->sock_rx_derived;
	dst->sock_rx_unseen += src->sock_rx_unseen;
	dst->zc_pageref += src->zc_pageref;
	dst->zc_pageref_ops += src->zc_pageref_ops;
	for (int n = 0; n < MAX_SYSNR; n++)
		dst->unacc_by_nr[n] += src->unacc_by_nr[n];
	for (int i = 0; i < MAX_VM_PEERS && src->vm_peers[i].pid; i++)
		vm_peer_add(dst, src->vm_peers[i].pid, src->vm_peers[i].read_bytes,
			    src->vm_peers[i].write_bytes);
}

void vm_peer_add(struct figures *f, __u32 pid, __u64 read, __u64 write)
{
	struct vm_peer *p = NULL;

	for (int i = 0; i < MAX_VM_PEERS && !p; i++)
		if (f->vm_peers[i].pid == pid || !f->vm_peers[i].pid)
			p = &f->vm_peers[i];
	if (!p) { /* the table is full: the last row takes the rest, named as such */
		p = &f->vm_peers[MAX_VM_PEERS - 1];
		p->pid = VM_PEER_OTHERS;
	}
	p->pid = p->pid ? p->pid : pid;
	p->read_bytes += read;
	p->write_bytes += write;
}

__u64 figures_mode_switches(const struct figures *f)
{
	return 2 * (f->k.syscalls + f->k.faults_user);
}

/*
 * Pages a read found in the cache: looked up minus brought in by reads
 * (bpf/pcache.bpf.h: inserts by writes, fadvise/readahead/madvise and
 * faults are not misses).
 */
__u64 figures_pc_hits(const struct figures *f)
{
	__u64 misses = f->k.pc_inserted_read_pages;

	return f->k.pc_lookup_pages > misses ? f->k.pc_lookup_pages - misses : 0;
}

enum method cell_method(const struct cell *c)
{
	unsigned m = c->methods & ~(1u << M_NONE);

	if (!c->ops && !c->bytes)
		return M_NONE;
	if (m == (1u << M_OBSERVED))
		return M_OBSERVED;
	if (m == (1u << M_DERIVED))
		return M_DERIVED;
	return M_MIXED;
}

double per_unit(__u64 value, __u64 units)
{
	return units ? (double)value / (double)units : 0.0;
}
