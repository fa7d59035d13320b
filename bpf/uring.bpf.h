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
 * Registered (fixed) files are not in the file table: their kind is read
 * from req->file at completion (splice's fixed fd_in stays unknown).
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

/* What an opcode does to bytes (enum ipct_io_op); IO_NONE: no data. */
static __always_inline __u8 uring_op(__u8 opcode, __u32 *flags)
{
	switch (opcode) {
	case URING_OP_READV:
	case URING_OP_READ_FIXED:
	case URING_OP_READ:
	case URING_OP_READV_FIXED:
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

static __always_inline void uring_submit(struct io_kiocb *req)
{
	struct ipct_proc *p = current_proc();
	struct uring_req r = {};
	struct ipct_thread *th;
	__u64 key = (__u64)req, mapping = 0, one = 1, *n;
	__u32 flags = 0;
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
	} else if (fixed) {
		r.in_fixed = 1;
	} else {
		r.key.kin = uring_classify(fd, th, &r.in_inode, &r.in_key, &mapping, &flags, true);
		if (op == IO_WRITE)
			r.write_mapping = mapping;
	}
	r.key.flags = flags;
	if (flags & IOF_ZEROCOPY)
		zc_note_uring(req, &r.key);
	if (r.write_mapping) {
		n = bpf_map_lookup_elem(&uring_wmaps, &r.write_mapping);
		if (n)
			__sync_fetch_and_add(n, 1);
		else
			bpf_map_update_elem(&uring_wmaps, &r.write_mapping, &one, BPF_NOEXIST);
	}
	if (bpf_map_update_elem(&uring_reqs, &key, &r, BPF_ANY))
		__sync_fetch_and_add(&rows_lost, 1);
}

/* An io_uring write into @mapping is in flight (its inserts are not read misses). */
static __always_inline bool uring_writing(__u64 mapping)
{
	__u64 *n = bpf_map_lookup_elem(&uring_wmaps, &mapping);

	return n && *n;
}

static __always_inline void uring_complete(struct io_kiocb *req)
{
	__u64 key = (__u64)req, *n;
	struct ipct_io_val *v, zero = {};
	struct ipct_counters *c;
	struct uring_req *r;
	struct file *f;
	__u32 idx;
	__s32 res;

	if (!req)
		return;
	r = bpf_map_lookup_elem(&uring_reqs, &key);
	if (!r)
		return;
	res = BPF_CORE_READ(req, cqe.res); /* req is a void * in the tracepoint: no typed loads */
	if (r->write_mapping) {
		n = bpf_map_lookup_elem(&uring_wmaps, &r->write_mapping);
		if (n && __sync_fetch_and_add(n, -1) == 1)
			bpf_map_delete_elem(&uring_wmaps, &r->write_mapping);
	}
	if (r->in_fixed && (f = BPF_CORE_READ(req, file))) {
		__u8 can_direct = 0, chr = CHR_UNKNOWN;

		r->key.kin = file_kind(f, &can_direct, &chr);
		if (can_direct && (BPF_CORE_READ(f, f_flags) & O_DIRECT_X86))
			r->key.flags |= IOF_IN_DIRECT;
		if (r->key.kin == FD_CHR)
			r->key.flags |= (__u32)(chr & IOF_CHR_MASK) << IOF_IN_CHR_SHIFT;
		if (r->key.kin == FD_REG) {
			r->in_inode = (__u64)BPF_CORE_READ(f, f_inode);
			file_key((struct inode *)r->in_inode, &r->in_key);
		}
	}
	if (res > 0 && r->key.phase == PHASE_TRANSFER) {
		file_io(&r->in_key, r->in_inode, res, r->key.op == IO_WRITE);
		file_io(&r->out_key, r->out_inode, res, true);
	}
	idx = r->key.slot * NR_PHASES + (r->key.phase < NR_PHASES ? r->key.phase : PHASE_TEARDOWN);
	c = bpf_map_lookup_elem(&counters, &idx);
	if (c)
		count(&c->uring_ops, 1);
	if (res > 0) {
		v = pcpu_hash_row(&io, &r->key, &zero);
		if (v) {
			v->bytes += res;
			v->calls++;
		}
		if (c)
			count(&c->uring_bytes, res);
	}
	bpf_map_delete_elem(&uring_reqs, &key);
}

#endif /* URING_BPF_H */
