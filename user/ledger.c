// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <asm/unistd_64.h>
#include "ledger.h"

static const char *const kind_names[NR_FD_KINDS] = {
	[FD_NONE] = "none", [FD_REG] = "file",   [FD_PIPE] = "pipe",
	[FD_FIFO] = "fifo", [FD_UNIX] = "unix",  [FD_TCP] = "tcp",
	[FD_UDP] = "udp",   [FD_SOCK] = "socket", [FD_CHR] = "chardev",
	[FD_BLK] = "blockdev", [FD_ANON] = "anon", [FD_OTHER] = "other",
};

static const char *const op_names[NR_IO_OPS] = {
	[IO_NONE] = "none",         [IO_READ] = "read",   [IO_WRITE] = "write",
	[IO_RECV] = "recv",         [IO_SEND] = "send",   [IO_SENDFILE] = "sendfile",
	[IO_SPLICE] = "splice",     [IO_TEE] = "tee",     [IO_VMSPLICE] = "vmsplice",
	[IO_COPY_RANGE] = "copy_file_range", [IO_PROCESS_VM] = "process_vm",
	[IO_MSG_SEND] = "msg_send",         [IO_MSG_RECV] = "msg_recv",
	[IO_AIO_SUBMIT] = "aio_submit",     [IO_AIO_REAP] = "aio_reap",
	[IO_UNACCOUNTED] = "not_accounted",
};

const char *fd_kind_name(__u8 kind)
{
	return kind < NR_FD_KINDS ? kind_names[kind] : "?";
}

const char *io_op_name(__u8 op)
{
	return op < NR_IO_OPS ? op_names[op] : "?";
}

bool fd_kind_is_socket(__u8 kind)
{
	return kind == FD_UNIX || kind == FD_TCP || kind == FD_UDP || kind == FD_SOCK;
}

static bool is_pipe(__u8 kind)
{
	return kind == FD_PIPE || kind == FD_FIFO;
}

/*
 * O_DIRECT on a device's file or on a block device (the flag is only set
 * where it is a device's: bpf/fdclass.bpf.h): the driver moves the bytes to
 * or from the user's pages, no CPU copy in the syscall.
 */
static bool is_direct(__u8 kind, __u32 flags, __u32 flag)
{
	return (kind == FD_REG || kind == FD_BLK) && (flags & flag);
}

/*
 * drivers/char/mem.c: /dev/null and /dev/zero take writes with
 * write_iter_null() (the iterator is advanced, nothing is read) and splices
 * with splice_write_null()/splice_write_zero() (the pipe buffers are
 * dropped): no byte is copied.
 */
static bool chr_is_sink(unsigned cls)
{
	return cls == CHR_NULL || cls == CHR_ZERO;
}

/* /dev/zero and /dev/full: reads zero-fill (read_iter_zero(): iov_iter_zero()) */
static bool chr_is_zero_fill(unsigned cls)
{
	return cls == CHR_ZERO || cls == CHR_FULL;
}

/*
 * Where the bytes of a splice-family call go. Into a socket or a pipe the
 * kernel passes page references: sendfile/splice to a socket goes through
 * ->sendpage (6.1) or splice_to_socket() with MSG_SPLICE_PAGES (6.5+);
 * file -> pipe is filemap_splice_read(), which takes references on page
 * cache folios. Into a regular file the data is copied in the kernel
 * (iter_file_splice_write() -> vfs_iter_write()); so is a source with no
 * ->splice_read of its own (copy_splice_read(): character devices).
 */
static enum column splice_column(__u8 kin, __u8 kout, __u32 flags)
{
	if (kout == FD_CHR && chr_is_sink(IOF_OUT_CHR(flags)))
		/* the sink drops the pipe buffers; only a copying source copied */
		return kin == FD_CHR && !chr_is_zero_fill(IOF_IN_CHR(flags)) ? COL_K2K : COL_DISCARD;
	if (is_direct(kout, flags, IOF_OUT_DIRECT))
		return COL_DIRECT;
	if (kout == FD_REG)
		return COL_K2K;
	if (kin == FD_CHR)
		return COL_K2K;
	if (fd_kind_is_socket(kout) || is_pipe(kout))
		return COL_PAGEREF;
	return COL_K2K;
}

/*
 * copy_file_range (bpf/remap.bpf.h): extents shared (XFS said so), or
 * spliced through the page cache (a copy inside the kernel), or, where a
 * remap or the file system's own copy may have served it and nothing
 * watched, either: never "copied" where nothing may have been.
 */
static enum column copy_range_column(__u32 flags)
{
	if (flags & IOF_REMAPPED)
		return COL_REMAP;
	if ((flags & IOF_MAY_REMAP) && !(flags & IOF_REMAP_WATCHED))
		return COL_COPY_OR_REMAP;
	return COL_K2K;
}

enum column ledger_column(__u8 op, __u8 kin, __u8 kout, __u32 flags)
{
	switch (op) {
	case IO_READ:
		return is_direct(kin, flags, IOF_IN_DIRECT) ? COL_DIRECT : COL_K2U;
	case IO_WRITE:
		if (kin == FD_CHR && chr_is_sink(IOF_IN_CHR(flags)))
			return COL_DISCARD;
		return is_direct(kin, flags, IOF_IN_DIRECT) ? COL_DIRECT : COL_U2K;
	case IO_RECV:
		return COL_K2U;
	case IO_SEND:
		/* MSG_ZEROCOPY pins the user pages into the skb */
		return (flags & IOF_ZEROCOPY) ? COL_PAGEREF : COL_U2K;
	case IO_SENDFILE:
	case IO_SPLICE:
		return splice_column(kin, kout, flags);
	case IO_TEE:
		return COL_PAGEREF; /* duplicates pipe buffers, no data touched */
	case IO_VMSPLICE:
		/* into a pipe: references to the user's pages; out of one: a copy */
		return (flags & IOF_IN_RDONLY) ? COL_K2U : COL_PAGEREF;
	case IO_PROCESS_VM:
		/* mm/process_vm_access.c: copy_page_to_iter/from_iter on the peer's pinned pages */
		return COL_U2U;
	case IO_MSG_SEND:
		return COL_U2K; /* ipc/msgutil.c: load_msg() copies into kmalloc'd segments */
	case IO_MSG_RECV:
		return COL_K2U; /* store_msg() copies them out */
	case IO_COPY_RANGE:
		return copy_range_column(flags);
	default:
		return COL_K2K;
	}
}

/*
 * Linux 6.1 .. 6.18: read(2) of a regular file copies in filemap_read()
 * into a user iov_iter (disk file systems: ext4, xfs, btrfs; tmpfs reads
 * with shmem_file_read_iter(), which no observer watches), write(2) in
 * generic_perform_write(); pipes and FIFOs in pipe_read/pipe_write; every
 * AF_UNIX send in skb_copy_datagram_from_iter() (TCP and UDP have copy
 * loops of their own); every socket receive in skb_copy_datagram_iter().
 * sendfile, splice and copy_file_range into a regular file write through
 * iter_file_splice_write() -> generic_perform_write() with a bvec: a copy
 * inside the kernel. The reads of the splice family (page references into
 * a pipe) are not predicted: 6.1 makes them with filemap_read() on a pipe
 * iov_iter, later kernels (about 6.4 on) with filemap_splice_read(), which
 * no observer watches.
 */
bool ledger_site(const struct ipct_io_key *key, int *site, int *cls)
{
	enum column col = ledger_column(key->op, key->kin, key->kout, key->flags);
	bool in = key->op == IO_READ || key->op == IO_RECV;
	bool out = key->op == IO_WRITE || key->op == IO_SEND;

	*cls = IC_USER;
	if (in && col == COL_K2U && fd_kind_is_socket(key->kin))
		*site = OBS_SOCK_RECV;
	else if (in && col == COL_K2U && key->kin == FD_REG)
		*site = OBS_FILE_READ;
	else if (in && is_pipe(key->kin))
		*site = OBS_PIPE_READ;
	else if (out && col == COL_U2K && key->kin == FD_REG)
		*site = OBS_FILE_WRITE;
	else if (out && is_pipe(key->kin))
		*site = OBS_PIPE_WRITE;
	else if (out && col == COL_U2K && key->kin == FD_UNIX)
		*site = OBS_SOCK_SEND;
	else if (col == COL_K2K && key->kout == FD_REG && key->op != IO_READ) {
		*site = OBS_FILE_WRITE;
		*cls = IC_KERNEL;
	} else
		return false;
	return true;
}

static void cell_add(struct cell *c, __u64 bytes, __u64 ops, __u64 derived, enum method m)
{
	c->bytes += bytes;
	c->ops += ops;
	c->derived_bytes += derived;
	c->methods |= 1u << m;
}

static void kind_add(struct figures *f, __u8 kind, bool write, const struct ipct_io_val *val)
{
	struct kind_io *k;

	if (kind >= NR_FD_KINDS || kind == FD_NONE)
		return;
	k = &f->by_kind[kind];
	if (write) {
		k->write_bytes += val->bytes;
		k->writes += val->calls;
	} else {
		k->read_bytes += val->bytes;
		k->reads += val->calls;
	}
}

/* Which fds the bytes of a row left and entered, for the by-kind breakdown. */
static void kinds_add(struct figures *f, const struct ipct_io_key *key,
		      const struct ipct_io_val *val)
{
	switch (key->op) {
	case IO_READ:
	case IO_RECV:
		kind_add(f, key->kin, false, val);
		break;
	case IO_WRITE:
	case IO_SEND:
		kind_add(f, key->kin, true, val);
		break;
	case IO_VMSPLICE:
		kind_add(f, key->kin, !(key->flags & IOF_IN_RDONLY), val);
		break;
	default: /* sendfile, splice, tee, copy_file_range: from one fd into another */
		kind_add(f, key->kin, false, val);
		kind_add(f, key->kout, true, val);
	}
}

void ledger_add_row(struct figures *f, const struct ipct_io_key *key,
		    const struct ipct_io_val *val, bool skb_copy_observed)
{
	enum column col = ledger_column(key->op, key->kin, key->kout, key->flags);
	bool socket_rx = col == COL_K2U && fd_kind_is_socket(key->kin);

	int site, cls;

	if (key->op == IO_UNACCOUNTED) { /* every call, whatever it returned */
		f->unacc_calls += val->attempts;
		if (key->nr < MAX_SYSNR)
			f->unacc_by_nr[key->nr] += val->attempts;
		return;
	}
	if (key->op == IO_AIO_SUBMIT || key->op == IO_AIO_REAP)
		return; /* no bytes of their own: their ops come as read and write rows */
	if (key->op == IO_PROCESS_VM)
		vm_peer_add(f, key->peer, key->nr == __NR_process_vm_readv ? val->bytes : 0,
			    key->nr == __NR_process_vm_writev ? val->bytes : 0);
	kinds_add(f, key, val);
	if (ledger_site(key, &site, &cls))
		f->site_derived[site][cls] += val->bytes;
	if (socket_rx && skb_copy_observed) {
		/* the bytes are added once per process, observed or derived: see below */
		cell_add(&f->col[col], 0, val->calls, val->bytes, M_NONE);
		f->sock_rx_derived += val->bytes;
		return;
	}
	if (col == COL_PAGEREF && (key->flags & IOF_ZEROCOPY)) {
		f->zc_pageref += val->bytes;
		f->zc_pageref_ops += val->calls;
	}
	cell_add(&f->col[col], val->bytes, val->calls, val->bytes, M_DERIVED);
}

/*
 * MSG_ZEROCOPY sends whose skbs came back into the receive path
 * (bpf/zerocopy.bpf.h: loopback, any local delivery), which copies the
 * sender's pages into kernel pages before delivering them: a CPU copy of
 * the user's bytes into the kernel, as a plain send makes, only later.
 * Those bytes leave page references for user -> kernel (observed, on the
 * skbs). The calls move with them when all their bytes were copied; when
 * only some were, the calls stay page references (which call was copied
 * is not known).
 */
void ledger_zerocopy_copied(struct figures *f)
{
	__u64 n = f->k.zc_copied_bytes < f->zc_pageref ? f->k.zc_copied_bytes : f->zc_pageref;
	__u64 ops = n == f->zc_pageref ? f->zc_pageref_ops : 0;
	struct cell *pr = &f->col[COL_PAGEREF];

	if (!n)
		return;
	pr->bytes -= n;
	pr->derived_bytes -= n;
	pr->ops -= ops;
	cell_add(&f->col[COL_U2K], n, ops, 0, M_OBSERVED);
}

/*
 * A process's socket receive copies: the bytes skb_copy_datagram_iovec saw,
 * unless it saw less than the receives returned. UDP's recvmsg copies with
 * copy_linear_skb() (a plain copy_to_iter), which the tracepoint does not
 * pass: an observation that sees less must not replace the count. Then the
 * derived bytes stand, the observed ones stay in sockets.recv_copied_bytes
 * and the difference in sockets.recv_unseen_bytes.
 */
void ledger_add_observed_socket_rx(struct figures *f)
{
	__u64 seen = f->k.skb_copy_bytes, derived = f->sock_rx_derived;

	if (seen >= derived) {
		if (seen)
			cell_add(&f->col[COL_K2U], seen, 0, 0, M_OBSERVED);
		return;
	}
	cell_add(&f->col[COL_K2U], derived, 0, 0, M_DERIVED);
	f->sock_rx_unseen += derived - seen;
}

/*
 * Linux AIO ops whose completion the ledger did not count (the submitter's
 * aio_unaccounted, bpf/aio.bpf.h, plus what user space found still in
 * flight): not accounted, one each, under io_submit; io_uring ops likewise
 * (uring_unaccounted, bpf/uring.bpf.h) under io_uring_enter.
 */
void ledger_add_ops_unaccounted(struct figures *f)
{
	f->unacc_calls += f->k.aio_unaccounted + f->k.uring_unaccounted;
	f->unacc_by_nr[__NR_io_submit] += f->k.aio_unaccounted;
	f->unacc_by_nr[__NR_io_uring_enter] += f->k.uring_unaccounted;
}
