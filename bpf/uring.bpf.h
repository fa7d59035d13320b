/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * io_uring: its data ops move bytes without a syscall of their own, so the
 * syscall table cannot see them. Two tracepoints, on 6.1 and 6.18 alike:
 *
 *   io_uring_submit_req(req)          in the submitting thread (io_uring_enter,
 *                                     or the ring's SQPOLL thread), after the
 *                                     op's prep: opcode, fd (req->cqe.fd),
 *                                     splice's fd_in
 *   io_uring_complete(ctx, req, ...)  when the CQE is filled: req->cqe.res
 *
 * The arguments after req differ (6.1: user_data, res, cflags, extras;
 * 6.18: the cqe), so the result is read from req->cqe, which the kernel
 * copies into the CQE on both. At submission the op's fds are classified as
 * a syscall's are (classify_fd, in the submitter's file table; SQPOLL and
 * io-wq threads share it) and the row key, process slot and phase are
 * parked under the request's address; at completion its result is added to
 * the same io table as a syscall's, with attempts 0 (an op is not a
 * syscall), so user/ledger.c puts it in the column its op and fds say.
 * Registered (fixed) files (IOSQE_FIXED_FILE, a splice's
 * SPLICE_F_FD_IN_FIXED) are not in the file table: they are read from the
 * ring's table of registered files at submission (uring_fixed_lookup), so
 * their kinds and a write's page-cache inserts are known as a plain fd's.
 *
 * CQEs that name no request, found by (ring, user_data) in uring_ud:
 *   io_uring_complete(ctx, NULL, ...)  a multishot op's CQEs before its last
 *                                      (IORING_CQE_F_MORE): each carries bytes
 *   io_uring_cqe_overflow(ctx, user_data, res, ...)
 *                                      a CQE that found the ring full; since
 *                                      6.12 io_uring_complete fires only for
 *                                      CQEs in the ring (targ_uring_cqe), so
 *                                      this is the op's completion there. On
 *                                      6.1 io_uring_complete saw it first and
 *                                      the record is gone: nothing twice.
 * Two ops in flight on one ring with the same user_data: such a CQE goes to
 * the later one's row (the bytes are counted all the same). A record left
 * at the end, or replaced when its request's memory is submitted again
 * (IOSQE_CQE_SKIP_SUCCESS: no CQE), is not accounted, under io_uring_enter.
 */
#ifndef URING_BPF_H
#define URING_BPF_H

#include "maps.bpf.h"
#include "track.bpf.h"
#include "fdclass.bpf.h"
#include "files.bpf.h"
#include "io.bpf.h"

/* uapi <linux/io_uring.h>: stable numbers */
#define URING_OP_READV 1
#define URING_OP_WRITEV 2
#define URING_OP_READ_FIXED 4
#define URING_OP_WRITE_FIXED 5
#define URING_OP_SENDMSG 9
#define URING_OP_RECVMSG 10
#define URING_OP_READ 22
#define URING_OP_WRITE 23
#define URING_OP_SEND 26
#define URING_OP_RECV 27
#define URING_OP_SPLICE 30
#define URING_OP_TEE 33
#define URING_OP_SEND_ZC 47
#define URING_OP_SENDMSG_ZC 48
#define URING_OP_READV_FIXED 60
#define URING_OP_WRITEV_FIXED 61
#define URING_SQE_FIXED_FILE 1u           /* REQ_F_FIXED_FILE = IOSQE_FIXED_FILE */
#define URING_SPLICE_F_FD_IN_FIXED (1u << 31)
#define URING_OP_READ_MULTISHOT 49

/* What an opcode does to bytes (enum ipct_io_op); IO_NONE: no data. */
static __always_inline __u8 uring_op(__u8 opcode, __u32 *flags)
{
	switch (opcode) {
	case URING_OP_READV:
	case URING_OP_READ_FIXED:
	case URING_OP_READ:
	case URING_OP_READV_FIXED:
	case URING_OP_READ_MULTISHOT:
		return IO_READ;
	case URING_OP_WRITEV:
	case URING_OP_WRITE_FIXED:
	case URING_OP_WRITE:
	case URING_OP_WRITEV_FIXED:
		return IO_WRITE;
	case URING_OP_SEND_ZC:
	case URING_OP_SENDMSG_ZC:
		*flags |= IOF_ZEROCOPY;
		return IO_SEND;
	case URING_OP_SENDMSG:
	case URING_OP_SEND:
		return IO_SEND;
	case URING_OP_RECVMSG:
	case URING_OP_RECV:
		return IO_RECV;
	case URING_OP_SPLICE:
		return IO_SPLICE;
	case URING_OP_TEE:
		return IO_TEE;
	}
	return IO_NONE;
}

/* Classify @fd of the current task into the thread's cache; FD_NONE for no record. */
static __always_inline __u8 uring_classify(int fd, struct ipct_thread *th, __u64 *inode,
					   struct ipct_file_key *key, __u64 *mapping, __u32 *flags,
					   bool in)
{
	struct ipct_fd_class *c;
	__u8 kind;

	if (!th)
		return FD_NONE;
	c = &th->fdc[fd & (IPCT_FD_CACHE - 1)];
	kind = classify_fd(fd, c);
	*inode = c->inode;
	*key = c->key;
	*mapping = c->mapping;
	if (c->direct)
		*flags |= in ? IOF_IN_DIRECT : IOF_OUT_DIRECT;
	if (kind == FD_CHR)
		*flags |= (__u32)(c->chr & IOF_CHR_MASK) << (in ? IOF_IN_CHR_SHIFT : IOF_OUT_CHR_SHIFT);
	return kind;
}

/*
 * Kind, O_DIRECT, device class and per-file key of the registered file
 * @file into @r: of its source (@in) or of a splice's destination. A
 * global function, verified once: inlined at its four calls, its file
 * classification was verified again on every path to each
 * (uring_submit_btf: 9.3 ms to verify, 3.8 since; docs/performance.md).
 */
__noinline int uring_fixed_file(__u64 file, struct uring_req *r, int in)
{
	struct file *f = (struct file *)file;
	__u8 can_direct = 0, chr = CHR_UNKNOWN, kind;
	struct inode *inode;

	if (!r)
		return 0;
	kind = file_kind(f, &can_direct, &chr);
	if (in)
		r->key.kin = kind;
	else
		r->key.kout = kind;
	if (can_direct && (BPF_CORE_READ(f, f_flags) & O_DIRECT_X86))
		r->key.flags |= in ? IOF_IN_DIRECT : IOF_OUT_DIRECT;
	if (kind == FD_CHR)
		r->key.flags |= (__u32)(chr & IOF_CHR_MASK)
				<< (in ? IOF_IN_CHR_SHIFT : IOF_OUT_CHR_SHIFT);
	if (kind != FD_REG)
		return 0;
	inode = BPF_CORE_READ(f, f_inode);
	file_key(inode, in ? &r->in_key : &r->out_key);
	if (in)
		r->in_inode = (__u64)inode;
	else
		r->out_inode = (__u64)inode;
	if (!in || r->key.op == IO_WRITE)
		r->write_mapping = (__u64)BPF_CORE_READ(f, f_mapping);
	return 0;
}

/*
 * Registered file @idx of @req's ring (IOSQE_FIXED_FILE), from the ring's
 * table: 6.18 ctx->file_table.data.nodes[idx]->file_ptr, 6.1
 * ctx->file_table.files[idx].file_ptr (compat.bpf.h); the low bits of
 * file_ptr are flags (FFS_NOWAIT, FFS_ISREG). NULL where out of range.
 */
static __always_inline struct file *uring_fixed_lookup(struct io_kiocb *req, __u32 idx)
{
	struct io_ring_ctx *ctx = BPF_CORE_READ(req, ctx);
	unsigned long ptr = 0;
	void *slot;

	if (bpf_core_field_exists(ctx->file_table.data)) {
		if (idx >= BPF_CORE_READ(ctx, file_table.data.nr))
			return NULL;
		slot = BPF_CORE_READ(ctx, file_table.data.nodes);
		bpf_probe_read_kernel(&slot, sizeof(slot), slot + idx * sizeof(void *));
		if (slot)
			ptr = BPF_CORE_READ((struct io_rsrc_node *)slot, file_ptr);
	} else if (bpf_core_field_exists(((struct io_ring_ctx___v61 *)ctx)->file_data)) {
		struct io_ring_ctx___v61 *c = (void *)ctx;

		if (idx >= BPF_CORE_READ(c, nr_user_files))
			return NULL;
		slot = BPF_CORE_READ(c, file_table.files);
		bpf_probe_read_kernel(&ptr, sizeof(ptr), slot + idx * sizeof(ptr));
	}
	return (struct file *)(ptr & ~3UL);
}

/* The counters' io_uring ops the ledger will not count (a record replaced, an op never completed). */
static __always_inline void uring_unaccounted(const struct ipct_io_key *key)
{
	struct ipct_counters *c = key_counters(key);

	if (c)
		count(&c->uring_unaccounted, 1);
}

/* Drop the record of @req (its writes in flight, its user_data index). */
static __always_inline void uring_forget(__u64 req, const struct uring_req *r)
{
	struct uring_ud_key k = { r->ctx, r->user_data };
	__u64 *n, *owner;

	if (r->write_mapping) {
		n = bpf_map_lookup_elem(&uring_wmaps, &r->write_mapping);
		if (n && __sync_fetch_and_add(n, -1) == 1)
			bpf_map_delete_elem(&uring_wmaps, &r->write_mapping);
	}
	owner = bpf_map_lookup_elem(&uring_ud, &k);
	if (owner && *owner == req)
		bpf_map_delete_elem(&uring_ud, &k);
	bpf_map_delete_elem(&uring_reqs, &req);
}

/*
 * Keep @r for @req. A record still there is of a request the kernel freed
 * without a CQE the ledger saw (IOSQE_CQE_SKIP_SUCCESS, a dropped CQE):
 * not accounted.
 */
static __always_inline void uring_store(__u64 req, struct uring_req *r)
{
	struct uring_ud_key k = { r->ctx, r->user_data };
	struct uring_req *old = bpf_map_lookup_elem(&uring_reqs, &req);
	__u64 one = 1, *n;

	if (old) {
		uring_unaccounted(&old->key);
		uring_forget(req, old);
	}
	if (r->write_mapping) {
		n = bpf_map_lookup_elem(&uring_wmaps, &r->write_mapping);
		if (n)
			__sync_fetch_and_add(n, 1);
		else
			bpf_map_update_elem(&uring_wmaps, &r->write_mapping, &one, BPF_NOEXIST);
	}
	if (bpf_map_update_elem(&uring_reqs, &req, r, BPF_ANY)) {
		__sync_fetch_and_add(&rows_lost, 1);
		return;
	}
	bpf_map_update_elem(&uring_ud, &k, &req, BPF_ANY);
}

static __always_inline void uring_submit(struct io_kiocb *req)
{
	struct ipct_proc *p = current_proc();
	struct uring_req r = {};
	struct ipct_thread *th;
	__u64 mapping = 0;
	__u32 flags = 0;
	struct file *f;
	int fd, fd_in;
	bool fixed;
	__u8 op;

	if (!p)
		return;
	op = uring_op(req->opcode, &flags);
	if (op == IO_NONE)
		return;
	r.key.slot = p->slot;
	r.key.phase = p->phase;
	r.key.op = op;
	r.key.nr = IPCT_NR_URING_BASE + req->opcode;
	r.ctx = (__u64)BPF_CORE_READ(req, ctx);
	r.user_data = BPF_CORE_READ(req, cqe.user_data);
	fd = req->cqe.fd;
	fixed = req->flags & URING_SQE_FIXED_FILE;
	th = thread_of(current_task(), true);
	if (op == IO_SPLICE || op == IO_TEE) {
		/* splice(fd_in, fd): the source is the op's own field, the destination the sqe's fd */
		struct io_splice *sp = (struct io_splice *)req;
		__u32 spf = BPF_CORE_READ(sp, flags);

		fd_in = BPF_CORE_READ(sp, splice_fd_in);
		if (!(spf & URING_SPLICE_F_FD_IN_FIXED))
			r.key.kin = uring_classify(fd_in, th, &r.in_inode, &r.in_key, &mapping,
						   &flags, true);
		if (!fixed)
			r.key.kout = uring_classify(fd, th, &r.out_inode, &r.out_key,
						   &r.write_mapping, &flags, false);
		r.key.flags = flags;
		if ((spf & URING_SPLICE_F_FD_IN_FIXED) && (f = uring_fixed_lookup(req, fd_in)))
			uring_fixed_file((__u64)f, &r, 1);
		if (fixed && (f = uring_fixed_lookup(req, fd)))
			uring_fixed_file((__u64)f, &r, 0);
	} else if (fixed) {
		r.key.flags = flags;
		if ((f = uring_fixed_lookup(req, fd)))
			uring_fixed_file((__u64)f, &r, 1);
		else
			r.in_fixed = 1; /* classified at completion, from req->file */
	} else {
		r.key.kin = uring_classify(fd, th, &r.in_inode, &r.in_key, &mapping, &flags, true);
		if (op == IO_WRITE)
			r.write_mapping = mapping;
		r.key.flags = flags;
	}
	if (flags & IOF_ZEROCOPY)
		zc_note_uring(req, &r.key);
	uring_store((__u64)req, &r);
}

/* An io_uring write into @mapping is in flight (its inserts are not read misses). */
static __always_inline bool uring_writing(__u64 mapping)
{
	__u64 *n = bpf_map_lookup_elem(&uring_wmaps, &mapping);

	return n && *n;
}

/* A CQE of the op @r records gave @res: its bytes; @final: the op's last CQE. */
static __always_inline void uring_account(struct uring_req *r, __s32 res, bool final)
{
	struct ipct_counters *c = key_counters(&r->key);
	struct ipct_io_val *v, zero = {};

	if (res > 0 && r->key.phase == PHASE_TRANSFER) {
		file_io(&r->in_key, r->in_inode, res, r->key.op == IO_WRITE);
		file_io(&r->out_key, r->out_inode, res, true);
	}
	if (c && final)
		count(&c->uring_ops, 1);
	if (res <= 0)
		return;
	v = pcpu_hash_row(&io, &r->key, &zero);
	if (v) {
		v->bytes += res;
		v->calls++;
	}
	if (c)
		count(&c->uring_bytes, res);
}

/* The record of the op in flight on ring @ctx tagged @user_data; its request in *@req. */
static __always_inline struct uring_req *uring_by_tag(__u64 ctx, __u64 user_data, __u64 *req)
{
	struct uring_ud_key k = { ctx, user_data };
	__u64 *owner = bpf_map_lookup_elem(&uring_ud, &k);

	if (!owner)
		return NULL;
	*req = *owner;
	return bpf_map_lookup_elem(&uring_reqs, req);
}

/*
 * A CQE without its request, found by its ring and user_data: a multishot
 * op's CQEs before its last (recv with IORING_RECV_MULTISHOT,
 * READ_MULTISHOT: each carries IORING_CQE_F_MORE and bytes, and
 * io_uring_complete names no request for them), or (@final) an op's CQE
 * that overflowed the ring (io_uring_cqe_overflow: the request's last; a
 * multishot CQE that finds the ring full ends the op instead, its bytes in
 * the last CQE).
 */
static __always_inline void uring_tagged_cqe(__u64 ctx, __u64 user_data, __s32 res, bool final)
{
	struct uring_req *r;
	__u64 req = 0;

	r = uring_by_tag(ctx, user_data, &req);
	if (!r)
		return;
	uring_account(r, res, final);
	if (final)
		uring_forget(req, r);
}

static __always_inline void uring_complete(struct io_kiocb *req)
{
	__u64 key = (__u64)req;
	struct uring_req *r;
	struct file *f;

	r = bpf_map_lookup_elem(&uring_reqs, &key);
	if (!r)
		return;
	if (r->in_fixed && (f = BPF_CORE_READ(req, file))) {
		uring_fixed_file((__u64)f, r, 1);
		r->write_mapping = 0; /* too late to tell its inserts from reads: never counted */
	}
	/* the request's own CQE is its last (SEND_ZC's notification is another request's) */
	uring_account(r, BPF_CORE_READ(req, cqe.res), true); /* req: a void * in the tracepoint */
	uring_forget(key, r);
}

#endif /* URING_BPF_H */
