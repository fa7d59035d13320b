/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The copy ledger: which column a data-moving syscall's bytes belong in. */
#ifndef LEDGER_H
#define LEDGER_H

#include "figures.h"

/*
 * Column for the bytes of one row of the kernel's data-movement table:
 * syscall op, kinds of its source and destination fds, and flags. Derived
 * from what the syscall does with such fds on Linux 6.1 .. 6.18; the
 * reasoning for each case is in ledger.c and docs/architecture.md.
 */
enum column ledger_column(__u8 op, __u8 kin, __u8 kout, __u32 flags);

/*
 * Which observed copy caller (enum ipct_obs_site) the model says the bytes
 * of a row pass through, and what that caller's iov_iter points at (enum
 * ipct_iter_class): the prediction report.observed_copies is held against.
 * False when none of them does (TCP and UDP sends, page references, ...).
 */
bool ledger_site(const struct ipct_io_key *key, int *site, int *cls);

/*
 * Add one row to @f. Socket receives are the one copy a tracepoint sees
 * directly (skb:skb_copy_datagram_iovec); they are added by
 * ledger_add_observed_socket_rx() instead when that tracepoint is on.
 */
void ledger_add_row(struct figures *f, const struct ipct_io_key *key,
		    const struct ipct_io_val *val, bool skb_copy_observed);
void ledger_add_observed_socket_rx(struct figures *f);
/* Linux AIO ops not counted (k.aio_unaccounted) into not_accounted, under io_submit. */
void ledger_add_ops_unaccounted(struct figures *f);
/* MSG_ZEROCOPY bytes the kernel copied after all: from page references to user -> kernel. */
void ledger_zerocopy_copied(struct figures *f);

const char *fd_kind_name(__u8 kind);
const char *io_op_name(__u8 op);
bool fd_kind_is_socket(__u8 kind);

#endif /* LEDGER_H */
