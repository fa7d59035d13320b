/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Linux AIO (io_submit, io_getevents, io_pgetevents). fs/aio.c has no
 * tracepoint, so its ops are derived from syscall semantics:
 *
 *   io_submit(ctx, nr, iocbpp)   at entry, each iocb is read from user memory
 *                                (aio_lio_opcode, aio_fildes) and its fd
 *                                classified as a read's or a write's is, in
 *                                the submitter's file table; the row key is
 *                                recorded under (tgid, ctx, iocb address).
 *                                At exit, the iocbs the kernel did not take
 *                                (from the return value on) are forgotten.
 *   io_getevents(ctx, min, nr, events, ...)  at exit, each io_event returned
 *                                names its iocb (obj) and its result (res):
 *                                the op's bytes, added to the io table as an
 *                                io_uring op's are (attempts 0), in the
 *                                submitter's slot and phase.
 *
 * Recorded before the kernel sees the iocb, so no completion can be reaped
 * before its record exists. What the ledger then cannot count is counted as
 * not accounted (aio_unaccounted of the submitter), never dropped: iocbs past
 * AIO_MAX_OPS in one io_submit, or whose record could not be made; a record
 * replaced by a new submission of the same iocb before any io_getevents
 * reaped it (fio --userspace_reap reads the completion ring in user space);
 * records left at the end of the run (user/readback.c). Completions of ops
 * submitted before the trace began have no record and are not counted.
 */
#ifndef AIO_BPF_H
#define AIO_BPF_H

#include "maps.bpf.h"
#include "track.bpf.h"
#include "fdclass.bpf.h"
#include "files.bpf.h"
#include "io.bpf.h"
#include "uring.bpf.h"

/* uapi <linux/aio_abi.h>: stable numbers and layout */
#define IOCB_CMD_PREAD 0
#define IOCB_CMD_PWRITE 1
#define IOCB_CMD_PREADV 7
#define IOCB_CMD_PWRITEV 8
#define IOCB_OPCODE_OFF 16 /* struct iocb: __u16 aio_lio_opcode */
#define IOCB_FILDES_OFF 20 /* __u32 aio_fildes */

/* iocbs or events handled per call: the default fs.aio-max-nr, more than a context holds */
#define AIO_MAX_OPS 65536

struct aio_event { /* struct io_event */
	__u64 data;
	__u64 obj;
	__s64 res;
	__s64 res2;
};

/* One call's walk over its iocbs or events. */
struct aio_walk {
	struct ipct_aio_key k;
	__u64 vec;   /* the iocb pointer array or the io_event array */
	__u64 first; /* index of the first element walked */
	__u32 slot;  /* the submitter */
	__u8 phase;
};

/* What an iocb opcode does to bytes; IO_NONE: fsync, fdsync, poll, noop. */
static __always_inline __u8 aio_op(__u16 opcode)
{
	switch (opcode) {
	case IOCB_CMD_PREAD:
	case IOCB_CMD_PREADV:
		return IO_READ;
	case IOCB_CMD_PWRITE:
	case IOCB_CMD_PWRITEV:
		return IO_WRITE;
	}
	return IO_NONE;
}

/* @n AIO ops of @key's process whose completion the ledger will not count. */
static __always_inline void aio_unaccounted(const struct ipct_io_key *key, __u64 n)
{
	struct ipct_counters *c = key_counters(key);

	if (c)
		count(&c->aio_unaccounted, n);
}

/*
 * Keep @r under @k. An older record there was never reaped through a
 * syscall (its iocb is submitted again): its completion is not accounted.
 */
static __always_inline void aio_store(const struct ipct_aio_key *k, const struct ipct_aio_req *r)
{
	struct ipct_aio_req *old;

	if (!bpf_map_update_elem(&aio_reqs, k, r, BPF_NOEXIST))
		return;
	old = bpf_map_lookup_elem(&aio_reqs, k);
	if (!old) { /* the table is full */
		aio_unaccounted(&r->key, 1);
		return;
	}
	aio_unaccounted(&old->key, 1);
	*old = *r;
}

/* Record iocb @i of an io_submit: its op, and its fd as a read's or write's. */
static long aio_record_cb(__u64 i, void *ctx)
{
	struct ipct_thread *th = thread_of(bpf_get_current_task_btf(), true);
	struct aio_walk *w = ctx;
	struct ipct_aio_req r = {};
	__u64 obj = 0, mapping = 0;
	__u16 opcode = 0xffff;
	__u32 fd = 0, flags = 0;

	bpf_probe_read_user(&obj, sizeof(obj), (void *)(w->vec + i * sizeof(obj)));
	bpf_probe_read_user(&opcode, sizeof(opcode), (void *)(obj + IOCB_OPCODE_OFF));
	bpf_probe_read_user(&fd, sizeof(fd), (void *)(obj + IOCB_FILDES_OFF));
	w->k.obj = obj;
	r.key.slot = w->slot;
	r.key.phase = w->phase;
	r.key.op = aio_op(opcode);
	r.key.nr = IPCT_NR_AIO_BASE + opcode;
	if (r.key.op != IO_NONE)
		r.key.kin = uring_classify(fd, th, &r.in_inode, &r.in_key, &mapping, &flags, true);
	r.key.flags = flags;
	/* a buffered write copies into the page cache in io_submit: its inserts are no read misses */
	if (th && r.key.op == IO_WRITE && mapping)
		th->call.write_mapping = mapping;
	aio_store(&w->k, &r);
	return 0;
}

/* Forget iocb @first + @i: the kernel did not take it. */
static long aio_forget_cb(__u64 i, void *ctx)
{
	struct aio_walk *w = ctx;

	w->k.obj = 0;
	bpf_probe_read_user(&w->k.obj, sizeof(w->k.obj),
			    (void *)(w->vec + (w->first + i) * sizeof(w->k.obj)));
	bpf_map_delete_elem(&aio_reqs, &w->k);
	return 0;
}

/* A reaped op: its result into its row (the submitter's), as an io_uring completion. */
static __always_inline void aio_complete(struct ipct_aio_req *r, __s64 res)
{
	struct ipct_counters *c = key_counters(&r->key);
	struct ipct_io_val *v, zero = {};

	if (r->key.op == IO_NONE) {
		if (c)
			count(&c->aio_other_ops, 1);
		return;
	}
	if (c)
		count(&c->aio_ops, 1);
	if (res <= 0)
		return;
	if (c)
		count(&c->aio_bytes, res);
	if (r->key.phase == PHASE_TRANSFER)
		file_io(&r->in_key, r->in_inode, res, r->key.op == IO_WRITE);
	v = pcpu_hash_row(&io, &r->key, &zero);
	if (v) {
		v->bytes += res;
		v->calls++;
	}
}

/* Event @i of an io_getevents: its op's record, if it has one, counted and removed. */
static long aio_reap_cb(__u64 i, void *ctx)
{
	struct aio_walk *w = ctx;
	struct aio_event ev = {};
	struct ipct_aio_req *r;

	bpf_probe_read_user(&ev, sizeof(ev), (void *)(w->vec + i * sizeof(ev)));
	w->k.obj = ev.obj;
	r = bpf_map_lookup_elem(&aio_reqs, &w->k);
	if (!r) /* submitted before the trace began */
		return 0;
	aio_complete(r, ev.res);
	bpf_map_delete_elem(&aio_reqs, &w->k);
	return 0;
}

static __always_inline void aio_walk_init(struct aio_walk *w, const struct ipct_inflight *fl)
{
	w->k.tgid = bpf_get_current_pid_tgid() >> 32;
	w->k.ctx = fl->aio_ctx;
	w->vec = fl->aio_vec;
	w->slot = fl->key.slot;
	w->phase = fl->key.phase;
}

/*
 * io_submit (@nr iocbs at @vec) or io_getevents/io_pgetevents, described (at
 * sys_enter before 5.17, at sys_exit since: the iocbs are unchanged until the
 * caller runs again)
 * (events at @vec) on context @ctx, with @th's call parked. A global
 * function, as mmsg_bytes() is: verified once, with its loops.
 */
__noinline long aio_enter(struct ipct_thread *th, __u64 ctx, __u64 nr, __u64 vec)
{
	struct aio_walk w = {};

	if (!th)
		return 0;
	th->call.aio_ctx = ctx;
	th->call.aio_vec = vec;
	th->call.aio_nr = 0;
	if (th->call.key.op != IO_AIO_SUBMIT || (long)nr <= 0)
		return 0;
	th->call.aio_nr = nr < AIO_MAX_OPS ? nr : AIO_MAX_OPS;
	aio_walk_init(&w, &th->call);
	bpf_loop(th->call.aio_nr, aio_record_cb, &w, 0);
	return 0;
}

/*
 * sys_exit of the same calls, @ret their return value. io_submit: the
 * iocbs not taken are forgotten, those taken past AIO_MAX_OPS are not
 * accounted; io_getevents: the events returned are reaped. Returns 0: the
 * calls themselves move no bytes (their row counts attempts only).
 */
__noinline long aio_exit(struct ipct_thread *th, long ret)
{
	struct aio_walk w = {};
	__u64 taken;

	if (!th)
		return 0;
	aio_walk_init(&w, &th->call);
	if (th->call.key.op == IO_AIO_REAP) {
		if (ret > 0)
			bpf_loop(ret < AIO_MAX_OPS ? ret : AIO_MAX_OPS, aio_reap_cb, &w, 0);
		return 0;
	}
	if (th->call.key.op != IO_AIO_SUBMIT)
		return 0;
	taken = ret > 0 ? ret : 0;
	if (taken > AIO_MAX_OPS)
		aio_unaccounted(&th->call.key, taken - AIO_MAX_OPS);
	if (taken < th->call.aio_nr) {
		w.first = taken;
		bpf_loop(th->call.aio_nr - taken, aio_forget_cb, &w, 0);
	}
	return 0;
}

struct aio_wscan {
	__u64 vec;     /* the iocb pointer array */
	__u64 mapping; /* the address_space sought */
	bool found;
};

static long aio_writes_cb(__u64 i, void *ctx)
{
	struct aio_wscan *w = ctx;
	__u64 obj = 0;
	__u16 opcode = 0xffff;
	__u32 fd = 0;

	bpf_probe_read_user(&obj, sizeof(obj), (void *)(w->vec + i * sizeof(obj)));
	bpf_probe_read_user(&opcode, sizeof(opcode), (void *)(obj + IOCB_OPCODE_OFF));
	bpf_probe_read_user(&fd, sizeof(fd), (void *)(obj + IOCB_FILDES_OFF));
	if (aio_op(opcode) == IO_WRITE && fd_reg_mapping(fd, NULL) == w->mapping) {
		w->found = true;
		return 1;
	}
	return 0;
}

/*
 * Whether an io_submit of @nr iocbs at @vec, still running, writes into
 * @mapping (since 5.17, where io_submit is described at its exit: a page
 * it inserts before is told from a read miss here).
 */
__noinline long aio_writes_to(__u64 vec, __u64 nr, __u64 mapping)
{
	struct aio_wscan w = { .vec = vec, .mapping = mapping };

	if ((long)nr <= 0)
		return 0;
	bpf_loop(nr < AIO_MAX_OPS ? nr : AIO_MAX_OPS, aio_writes_cb, &w, 0);
	return w.found;
}

/*
 * Without bpf_loop (5.10 to 5.16: sys_enter_btf_v510, sys_exit_btf_v510 run
 * instead, and a program that names a loop callback does not load there):
 * the iocbs are not read, so every op io_submit took is counted as not
 * accounted, under io_submit. Returns 0, as aio_exit() does.
 */
__noinline long aio_without_loop(struct ipct_thread *th, long ret)
{
	if (th && th->call.key.op == IO_AIO_SUBMIT && ret > 0)
		aio_unaccounted(&th->call.key, ret);
	return 0;
}

#endif /* AIO_BPF_H */
