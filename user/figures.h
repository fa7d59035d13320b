/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Report figures: raw kernel counters turned into what a report shows. */
#ifndef FIGURES_H
#define FIGURES_H

#include <linux/types.h>
#include <stdbool.h>
#include "ipctrace.h"

/* How a figure was obtained. */
enum method {
	M_UNAVAILABLE = 0, /* this kernel cannot show it */
	M_OBSERVED,        /* counted on the operation itself (tracepoint/fexit) */
	M_DERIVED,         /* from syscall return values and the semantics of the fds */
	M_MIXED,           /* part observed, part derived */
	M_NONE,            /* nothing of this kind happened (no method needed) */
};

const char *method_name(enum method m);

/* Columns of the copy ledger. */
enum column {
	COL_U2K = 0,   /* CPU copy user -> kernel */
	COL_K2U,       /* CPU copy kernel -> user */
	COL_K2K,       /* CPU copy kernel -> kernel */
	COL_PAGEREF,   /* pages passed by reference, no CPU copy of the data */
	COL_DIRECT,    /* O_DIRECT: device DMA to/from user pages, no CPU copy */
	COL_DISCARD,   /* taken by a sink device (/dev/null, /dev/zero) without reading: no copy */
	COL_U2U,       /* CPU copy from one address space into another (process_vm_readv/writev) */
	COL_REMAP,     /* copy_file_range served by sharing extents (reflink): nothing copied */
	COL_COPY_OR_REMAP, /* copy_file_range that a remap or the file system may have served: unknown */
	NR_COLUMNS,
};

const char *column_name(enum column c);

struct cell {
	__u64 bytes;
	__u64 ops;
	__u64 derived_bytes; /* the syscall-derived figure, kept as a cross-check */
	unsigned methods;    /* bit (1 << enum method) for each contribution */
};

#define MAX_SYSNR 512
#define MAX_VM_PEERS 16
#define VM_PEER_OTHERS ((__u32)-1) /* the peers that did not fit, together */

/* process_vm_readv/writev of one process with one peer (the pid it passed). */
struct vm_peer {
	__u32 pid;       /* 0: free slot */
	__u64 read_bytes;  /* copied from the peer into the caller (process_vm_readv) */
	__u64 write_bytes; /* copied from the caller into the peer (process_vm_writev) */
};

/* Data moved through fds of one kind (enum ipct_fd_kind). */
struct kind_io {
	__u64 read_bytes, reads;   /* out of fds of this kind */
	__u64 write_bytes, writes; /* into fds of this kind */
};

/* Everything a report shows for one process (or a sum) in one phase. */
struct figures {
	struct ipct_counters k;       /* raw counters from the kernel */
	struct cell col[NR_COLUMNS];  /* the copy ledger */
	struct kind_io by_kind[NR_FD_KINDS];
	/* what the ledger says each observed copy caller moved (ledger_site()) */
	__u64 site_derived[NR_OBS_SITES][NR_ITER_CLASSES];
	__u64 sys_by_nr[MAX_SYSNR];   /* syscalls by number */
	__u64 sys_other;              /* numbers past MAX_SYSNR */
	/* data syscalls the ledger cannot account for yet (bpf/syscalls.def): calls */
	__u64 unacc_calls;
	__u64 unacc_by_nr[MAX_SYSNR];
	/*
	 * Socket receives where skb_copy_datagram_iovec is on: their bytes by
	 * return values, and what of them the tracepoint did not see (UDP copies
	 * with copy_linear_skb(), past it), summed per process.
	 */
	__u64 sock_rx_derived;
	__u64 sock_rx_unseen;
	/* MSG_ZEROCOPY sends counted as page references: bytes and calls (ledger_zerocopy_copied()) */
	__u64 zc_pageref;
	__u64 zc_pageref_ops;
	/* process_vm_* by peer; past MAX_VM_PEERS the last row becomes VM_PEER_OTHERS */
	struct vm_peer vm_peers[MAX_VM_PEERS];
};

/* Add @read and @write bytes to the row of @pid. */
void vm_peer_add(struct figures *f, __u32 pid, __u64 read, __u64 write);

void figures_add(struct figures *dst, const struct figures *src);

/*
 * Mode switches: every syscall and every user-mode page fault is one round
 * trip user -> kernel -> user, that is two switches. Interrupts are not
 * traced and not counted; the phase marker is not counted.
 */
__u64 figures_mode_switches(const struct figures *f);
__u64 figures_pc_hits(const struct figures *f);
enum method cell_method(const struct cell *c);

/* Per unit of work: value / units (0 units gives 0). */
double per_unit(__u64 value, __u64 units);

#endif /* FIGURES_H */
