/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Syscalls: counts, the phase marker, and the data-movement table. Since
 * 5.17 one program does it all at sys_exit (sys_exit_one()): the syscall's
 * number (orig_ax) and arguments are still in pt_regs and its fds in the
 * file table, so a data syscall is classified and its return value added
 * to the row {op, fd kinds, flags} in one run, and other syscalls are
 * counted by number. What sys_enter alone saw comes from elsewhere: exit
 * and exit_group from sched_process_exit (exit_syscall_count()), "inside a
 * data syscall" from a task's pt_regs (task_in_data_syscall()), the file a
 * write inserts pages into from the same (pcache.bpf.h), MSG_ZEROCOPY
 * sockets from setsockopt(SO_ZEROCOPY) (zerocopy.bpf.h). Before 5.17
 * (sys_enter_v510) the call is classified at entry into the thread's
 * record (struct ipct_thread) and counted at exit.
 *
 * Counts add up per CPU and process (struct ipct_acc, maps.bpf.h: acc)
 * and reach the tables (io, sysnr, files) when a row changes: a 64-byte
 * pipe writer's writes are one row, one table update. Which ledger column
 * a row feeds (user->kernel copy, page references, ...) is decided in user
 * space (user/ledger.c), where it is unit-tested.
 */
#ifndef IO_BPF_H
#define IO_BPF_H

#include "maps.bpf.h"
#include "track.bpf.h"
#include "events.bpf.h"
#include "fdclass.bpf.h"
#include "files.bpf.h"
#include "zerocopy.bpf.h"
#include "remap.bpf.h"
#include <asm/unistd_64.h>

#define MSG_ZEROCOPY_FLAG 0x4000000
#define ENOSYS_ 38L /* in pt_regs->ax from syscall entry until the syscall returns */

/* @task's record (bpf/ipctrace.h: struct ipct_thread), made if @create. */
static __always_inline struct ipct_thread *thread_of(struct task_struct *task, bool create)
{
	if (targ_threads_by_tid) /* no task storage: by thread id (track.bpf.h) */
		return thread_by_tid(create);
	return bpf_task_storage_get(&threads, task, 0, create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

/* The data syscall @task is in, or NULL. */
static __always_inline struct ipct_inflight *in_data_syscall(struct task_struct *task)
{
	struct ipct_thread *th = thread_of(task, false);

	return th && th->call.key.op != IO_NONE ? &th->call : NULL;
}

/*
 * The value at @key of a per-CPU hash, made (zeroed) if missing. Another CPU
 * may make it first (BPF_NOEXIST fails): the second lookup finds theirs, so
 * no count is lost; only a full table loses one, and says so.
 */
static __always_inline void *pcpu_hash_row(void *map, const void *key, const void *zero)
{
	void *v = bpf_map_lookup_elem(map, key);

	if (v)
		return v;
	bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	v = bpf_map_lookup_elem(map, key);
	if (!v)
		__sync_fetch_and_add(&rows_lost, 1);
	return v;
}

/* @regs is a typed tracepoint argument: plain loads, no helper calls */
static __always_inline unsigned long sys_arg(struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	default: return regs->r10;
	}
}

/* syscall number -> op | (in arg + 1) << 8 | (out arg + 1) << 16 (bpf/syscalls.def) */
#define SYSDESC(OP, IN, OUT) ((OP) | ((IN) + 1) << 8 | ((OUT) + 1) << 16)
#define SYSDESC_MAX 512 /* above every x86_64 number (test_syscalls) */

static const __u32 sys_desc[SYSDESC_MAX] = {
#define DATA(NAME, OP, IN, OUT, RULE) [__NR_##NAME] = SYSDESC(OP, IN, OUT),
#define UNACCOUNTED(NAME, RULE) [__NR_##NAME] = SYSDESC(IO_UNACCOUNTED, -1, -1),
#include "syscalls.def"
};

/*
 * Which op a syscall number is, and which arguments hold its source and
 * destination fds (-1: none), from the table of every syscall
 * (bpf/syscalls.def). Only x86_64 numbers: vmlinux/ is per arch. A table
 * in .rodata read at a variable index: one load, and to the verifier one
 * unknown value, where a switch over the 100 data syscalls made it verify
 * what follows once per syscall (sys_exit took 57 ms to verify).
 */
static __always_inline __u8 io_op_of(long nr, int *in_arg, int *out_arg)
{
	__u32 d = (unsigned long)nr < SYSDESC_MAX ? sys_desc[nr] : 0;

	*in_arg = (int)((d >> 8) & 0xff) - 1;
	*out_arg = (int)((d >> 16) & 0xff) - 1;
	return d & 0xff;
}

/* struct mmsghdr: a struct msghdr (56 bytes on x86_64), then unsigned int msg_len */
#define MMSGHDR_SIZE 64
#define MMSGHDR_LEN_OFF 56
#define MMSG_MAX 1024 /* UIO_MAXIOV: the kernel caps vlen there */

struct mmsg_sum {
	__u64 vec;
	__u64 bytes;
};

static long mmsg_len_cb(__u64 i, void *ctx)
{
	struct mmsg_sum *m = ctx;
	__u32 len = 0;

	bpf_probe_read_user(&len, sizeof(len), (void *)(m->vec + i * MMSGHDR_SIZE + MMSGHDR_LEN_OFF));
	m->bytes += len;
	return 0;
}

/*
 * Bytes of the first @n messages of a sendmmsg/recvmmsg vector: their
 * msg_len fields. Out of line, a global function: inlined into sys_exit,
 * its bpf_loop callback was verified again for each of sys_exit's states,
 * 155070 instructions verified for sys_exit against 427 without it.
 */
__noinline long mmsg_bytes(__u64 vec, long n)
{
	struct mmsg_sum m = { .vec = vec };

	if (n <= 0)
		return n;
	bpf_loop(n < MMSG_MAX ? n : MMSG_MAX, mmsg_len_cb, &m, 0);
	return m.bytes;
}

/* Linux AIO: global functions of bpf/aio.bpf.h (its io_submit/io_getevents halves) */
long aio_enter(struct ipct_thread *th, __u64 ctx, __u64 nr, __u64 vec);
long aio_exit(struct ipct_thread *th, long ret);
long aio_without_loop(struct ipct_thread *th, long ret); /* no bpf_loop: 5.10 to 5.16 */

/*
 * mmsg_bytes() without bpf_loop (e6f2dd0f8067 "bpf: Add bpf_loop helper",
 * 5.17), for the 5.10 program sys_exit_btf_v510: a bounded loop, which a
 * global function has verified once.
 */
__noinline long mmsg_bytes_bounded(__u64 vec, long n)
{
	__u64 bytes = 0;
	__u32 len;

	if (n <= 0)
		return n;
	for (int i = 0; i < MMSG_MAX && i < n; i++) {
		len = 0;
		bpf_probe_read_user(&len, sizeof(len),
				    (void *)(vec + i * MMSGHDR_SIZE + MMSGHDR_LEN_OFF));
		bytes += len;
	}
	return bytes;
}

/* The current call runs at sys_exit alone (maps.bpf.h: targ_exit_only); a constant. */
static __always_inline bool exit_only(void)
{
	return targ_exit_only && has_task_pt_regs();
}

/*
 * @task's user register frame when it is inside a syscall (exit_only()
 * kernels: bpf_task_pt_regs), else NULL; *@nr: orig_ax, the syscall's
 * number. Inside: -ENOSYS still in ax, which the syscall's return
 * overwrites (a fault or an interrupt from user mode leaves the user's ax).
 */
static __always_inline struct pt_regs *task_in_syscall(struct task_struct *task, long *nr)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

	*nr = regs->orig_ax;
	return (long)regs->ax == -ENOSYS_ ? regs : NULL;
}

/* ---- what is pending per CPU and process (ipctrace.h: struct ipct_acc) -- */

/* Add @n calls of syscall @nr in @phase of process @slot to the tables: its counters and sysnr. */
static __always_inline void sysnr_add(__u32 slot, __u32 phase, __u64 nr, __u64 n)
{
	struct ipct_sys_key sk = { .slot = slot, .phase = phase, .nr = nr };
	__u32 idx = counters_idx(slot, phase);
	struct ipct_counters *c = bpf_map_lookup_elem(&counters, &idx);
	__u64 zero = 0, *v;

	if (c)
		count(&c->syscalls, n);
	/* per-CPU rows, summed in user space modulo 2^64: exec may have moved CPU */
	v = pcpu_hash_row(&sysnr, &sk, &zero);
	if (v)
		*v += n;
}

/*
 * Move @a's pending io row @i (masked) to the tables: the io row, and the
 * per-file rows of its files (transfer only). Out of line, verified once.
 */
__noinline int acc_flush_row(struct ipct_acc *a, __u32 i)
{
	struct ipct_io_val *v, zero = {};
	struct ipct_acc_row *r;
	struct ipct_io_key key;

	if (!a)
		return 0;
	r = &a->row[i & (IPCT_ACC_ROWS - 1)];
	if (r->key.op == IO_NONE)
		return 0;
	a->gen++; /* odd: user space reading now must read again */
	key = r->key;
	v = pcpu_hash_row(&io, &key, &zero);
	if (v) {
		v->bytes += r->val.bytes;
		v->calls += r->val.calls;
		v->attempts += r->val.attempts;
	}
	if (key.phase == PHASE_TRANSFER && r->val.calls) {
		file_account(&r->in_key, r->in_inode, key.op == IO_WRITE ? FF_WRITE : FF_READ,
			     r->val.bytes, r->val.calls);
		file_account(&r->out_key, r->out_inode, FF_WRITE, r->val.bytes, r->val.calls);
	}
	r->key.op = IO_NONE;
	r->val.bytes = 0;
	r->val.calls = 0;
	r->val.attempts = 0;
	a->gen++;
	return 0;
}

/* Move @a's pending count of syscalls @i (masked) to the tables. */
__noinline int acc_flush_sys(struct ipct_acc *a, __u32 i)
{
	struct ipct_acc_sys *e;

	if (!a || !a->tag)
		return 0;
	e = &a->sys[i & (IPCT_ACC_SYS - 1)];
	if (!e->n)
		return 0;
	a->gen++;
	sysnr_add(a->tag - 1, e->phase, e->nr, e->n);
	e->n = 0;
	a->gen++;
	return 0;
}

/* Move @a's pending page-cache lookups to the tables: the process's counters and the file's row. */
__noinline int acc_flush_lookup(struct ipct_acc *a)
{
	struct ipct_acc_lookup *l;
	struct ipct_counters *c;
	__u32 idx;

	if (!a || !a->tag || !a->lookup.calls)
		return 0;
	l = &a->lookup;
	a->gen++;
	idx = counters_idx(a->tag - 1, l->phase);
	c = bpf_map_lookup_elem(&counters, &idx);
	if (c) {
		count(&c->pc_lookup_pages, l->pages);
		count(&c->pc_lookup_calls, l->calls);
	}
	file_account(&l->key, l->inode, FF_PC_LOOKUP, l->pages, 0);
	l->pages = 0;
	l->calls = 0;
	a->gen++;
	return 0;
}

/* @a becomes process @slot's row: what another process had pending goes to the tables. */
__noinline int acc_retag(struct ipct_acc *a, __u32 slot)
{
	if (!a)
		return 0;
	for (__u32 i = 0; i < IPCT_ACC_ROWS; i++)
		acc_flush_row(a, i);
	for (__u32 i = 0; i < IPCT_ACC_SYS; i++)
		acc_flush_sys(a, i);
	acc_flush_lookup(a);
	a->lookup.mapping = 0;
	a->last.ok = 0;
	a->tag = slot + 1;
	return 0;
}

/* Process @slot's row on this CPU (NULL: none, counted lost by the caller). */
static __always_inline struct ipct_acc *acc_of(__u32 slot)
{
	__u32 row = slot & targ_acc_mask;
	struct ipct_acc *a = bpf_map_lookup_elem(&acc, &row);

	if (a && a->tag != slot + 1)
		acc_retag(a, slot);
	return a;
}

/* One more call of syscall @nr (not a data syscall) in @phase, in @a. */
static __always_inline void acc_sys(struct ipct_acc *a, __u32 phase, __u32 nr)
{
	__u32 i = nr & (IPCT_ACC_SYS - 1);
	struct ipct_acc_sys *e = &a->sys[i];

	if (e->n && (e->nr != nr || e->phase != phase))
		acc_flush_sys(a, i);
	e->nr = nr;
	e->phase = phase;
	e->n++;
}

/*
 * @n pages of @mapping looked up in the page cache by process @p (in
 * @a): added up while the process reads the same file in the same phase.
 */
static __always_inline void acc_lookup(struct ipct_acc *a, __u64 mapping, __u32 phase, __u64 n)
{
	struct ipct_acc_lookup *l = &a->lookup;
	struct inode *host;

	if (l->mapping != mapping || l->phase != phase) {
		acc_flush_lookup(a);
		host = BPF_CORE_READ((struct address_space *)mapping, host);
		l->mapping = mapping;
		l->phase = phase;
		l->inode = (__u64)host;
		if (host)
			file_key(host, &l->key);
		/* the file's row now: user space adds what is pending to it */
		file_account(&l->key, l->inode, FF_PC_LOOKUP, 0, 0);
	}
	l->pages += n;
	l->calls++;
}

/* Whether the call @fl feeds the pending row @r. */
static __always_inline bool acc_same_row(const struct ipct_acc_row *r,
					 const struct ipct_inflight *fl)
{
	return r->key.op == fl->key.op && r->key.slot == fl->key.slot &&
	       r->key.phase == fl->key.phase && r->key.kin == fl->key.kin &&
	       r->key.kout == fl->key.kout && r->key.flags == fl->key.flags &&
	       r->key.nr == fl->key.nr && r->key.peer == fl->key.peer &&
	       r->in_inode == fl->in_inode && r->out_inode == fl->out_inode;
}

/*
 * The call @fl becomes @a's pending row @i, the one there moved to the
 * tables. Its files get their rows now (named while open), so that user
 * space finds a row to add what is pending to.
 */
__noinline int acc_start(struct ipct_acc *a, __u32 i, const struct ipct_inflight *fl)
{
	struct ipct_acc_row *r;

	if (!a || !fl)
		return 0;
	acc_flush_row(a, i);
	if (a->last.row == (i & (IPCT_ACC_ROWS - 1)))
		a->last.ok = 0; /* its row is another's now */
	r = &a->row[i & (IPCT_ACC_ROWS - 1)];
	r->key = fl->key;
	r->in_inode = fl->in_inode;
	r->out_inode = fl->out_inode;
	r->in_key = fl->in_key;
	r->out_key = fl->out_key;
	if (r->key.phase == PHASE_TRANSFER) {
		file_account(&r->in_key, r->in_inode, FF_READ, 0, 0);
		file_account(&r->out_key, r->out_inode, FF_WRITE, 0, 0);
	}
	return 0;
}

/* The data syscall @fl returned @bytes (its bytes, or < 0): into @a's row for its op. */
static __always_inline void acc_add(struct ipct_acc *a, const struct ipct_inflight *fl, long bytes)
{
	__u32 i = fl->key.op & (IPCT_ACC_ROWS - 1);
	struct ipct_acc_row *r = &a->row[i];

	if (!acc_same_row(r, fl))
		acc_start(a, i, fl);
	r->val.attempts++;
	if (bytes > 0) {
		r->val.bytes += bytes;
		r->val.calls++;
	}
}

/* ---- describing a data syscall ------------------------------------------ */

/*
 * Fill @th->call with data syscall @nr of process @p (op @op, its fds in
 * arguments @in_arg and @out_arg of @regs), classifying the fds through
 * @th's cache. At sys_exit (targ_exit_only) or, before 5.17, at sys_enter:
 * the arguments and the fd table are the same at both. Returns the source
 * fd's struct file (0: none).
 */
static __always_inline __u64 call_describe(struct ipct_thread *th, const struct ipct_proc *p,
					   struct pt_regs *regs, long nr, __u8 op, int in_arg,
					   int out_arg, struct task_struct *task, bool cast)
{
	struct ipct_inflight *fl = &th->call;
	struct ipct_fd_class *cin, *cout;
	struct file *fin;
	int fd;

	fl->key.slot = p->slot;
	fl->key.phase = p->phase;
	fl->key.op = op;
	fl->key.flags = 0;
	fl->key.nr = nr;
	fd = in_arg >= 0 ? sys_arg(regs, in_arg) : -1;
	cin = &th->fdc[fd & (IPCT_FD_CACHE - 1)];
	fl->key.kin = cast ? classify_fd_task(task, fd, cin) : classify_fd(fd, cin);
	fl->key.kout = FD_NONE;
	fl->in_inode = cin->inode;
	fl->in_key = cin->key;
	fl->in_mapping = cin->mapping;
	fl->out_inode = 0;
	/* page-cache inserts into this file are writes, not read misses */
	fl->write_mapping = op == IO_WRITE ? cin->mapping : 0;
	if (cin->direct)
		fl->key.flags |= IOF_IN_DIRECT;
	if (fl->key.kin == FD_CHR)
		fl->key.flags |= (__u32)(cin->chr & IOF_CHR_MASK) << IOF_IN_CHR_SHIFT;
	fl->mmsg_vec = nr == __NR_sendmmsg || nr == __NR_recvmmsg ? sys_arg(regs, 1) : 0;
	/* process_vm_*(pid, ...): the peer; msgsnd(id, msg, msgsz), mq_timedsend(mqd, msg, len) */
	fl->key.peer = op == IO_PROCESS_VM ? (__u32)sys_arg(regs, 0) : 0;
	fl->arg_bytes = op == IO_MSG_SEND ? sys_arg(regs, 2) : 0;
	if (out_arg >= 0) {
		fd = sys_arg(regs, out_arg);
		cout = &th->fdc[fd & (IPCT_FD_CACHE - 1)];
		fl->key.kout = cast ? classify_fd_task(task, fd, cout) : classify_fd(fd, cout);
		fl->out_inode = cout->inode;
		fl->out_key = cout->key;
		fl->write_mapping = cout->mapping;
		if (cout->direct)
			fl->key.flags |= IOF_OUT_DIRECT;
		if (fl->key.kout == FD_CHR)
			fl->key.flags |= (__u32)(cout->chr & IOF_CHR_MASK) << IOF_OUT_CHR_SHIFT;
		if (op == IO_COPY_RANGE)
			fl->key.flags |= remap_flags(cin->file, cout->file);
	}
	fin = (struct file *)cin->file;
	if (nr == __NR_vmsplice && fin && !(BPF_CORE_READ(fin, f_mode) & FMODE_WRITE_FLAG))
		fl->key.flags |= IOF_IN_RDONLY;
	if ((nr == __NR_sendto && (sys_arg(regs, 3) & MSG_ZEROCOPY_FLAG)) ||
	    (nr == __NR_sendmsg && (sys_arg(regs, 2) & MSG_ZEROCOPY_FLAG)) ||
	    (nr == __NR_sendmmsg && (sys_arg(regs, 3) & MSG_ZEROCOPY_FLAG)))
		fl->key.flags |= IOF_ZEROCOPY;
	return cin->file;
}

/* What the call @fl moved, from its return value @ret (the bytes, or < 0). */
static __always_inline long call_bytes(struct ipct_inflight *fl, long ret, bool loop)
{
	if (fl->mmsg_vec) /* a message count: the bytes are in the vector */
		return loop ? mmsg_bytes(fl->mmsg_vec, ret) : mmsg_bytes_bounded(fl->mmsg_vec, ret);
	if (fl->key.op == IO_MSG_SEND && ret == 0) /* 0 on success: the message's size */
		return fl->arg_bytes;
	if (loop && (fl->key.op == IO_AIO_SUBMIT || fl->key.op == IO_AIO_REAP))
		return aio_exit((struct ipct_thread *)fl, ret); /* fl: the record's first member */
	if (fl->key.op == IO_AIO_SUBMIT || fl->key.op == IO_AIO_REAP)
		return aio_without_loop((struct ipct_thread *)fl, ret);
	return ret;
}

/*
 * xfs_reflink_remap_range in the current thread: XFS shares extents. True
 * when that is a copy_file_range, now marked (remap.bpf.h); since 5.17 the
 * call is known from pt_regs and the mark waits in the thread's record for
 * its sys_exit (remap_taken()).
 */
static __always_inline bool remap_in_call(void)
{
	struct task_struct *task = current_task();
	struct ipct_thread *th;
	long nr;

	if (!exit_only())
		return remap_mark(in_data_syscall(task));
	if (!task_in_syscall(task, &nr) || nr != __NR_copy_file_range)
		return false;
	th = thread_of(task, true);
	if (th)
		th->remapped = 1;
	return true;
}

/* At copy_file_range's sys_exit: whether XFS shared extents in it (the mark taken). */
static __always_inline bool remap_taken(void)
{
	struct ipct_thread *th = thread_of(current_task(), false);

	if (!th || !th->remapped)
		return false;
	th->remapped = 0;
	return true;
}

/* The phase marker (user/tracer.c: tracer_mark()): an unknown syscall number with a magic. */
static __always_inline void phase_mark(struct ipct_proc *p, struct pt_regs *regs)
{
	if (sys_arg(regs, 0) == IPCT_MARK_MAGIC)
		phase_switch(p, sys_arg(regs, 1) < NR_PHASES ? sys_arg(regs, 1) : PHASE_TEARDOWN);
}

/* ---- before 5.17: described at sys_enter, counted at sys_exit ---------- */

/* sys_enter_btf_v510: the call's record parked in the thread's storage. */
static __always_inline void sys_enter_v510(struct pt_regs *regs, long nr)
{
	struct ipct_proc *p = current_proc();
	struct ipct_thread *th;
	struct ipct_acc *a;
	int in_arg, out_arg;
	__u8 op;

	if (!p)
		return;
	if (nr == IPCT_MARK_NR) {
		phase_mark(p, regs);
		return;
	}
	emit(p, (__u32)bpf_get_current_pid_tgid(), EV_SYS_ENTER, nr, 0, 0);
	op = io_op_of(nr, &in_arg, &out_arg);
	th = op != IO_NONE ? thread_of(current_task(), true) : NULL;
	/*
	 * A data syscall with no record (task storage could not make it: no
	 * memory, or busy on this CPU): its bytes will not reach the table.
	 * Counted as lost, not dropped silently.
	 */
	if (op != IO_NONE && !th)
		__sync_fetch_and_add(&rows_lost, 1);
	/* the last data syscall's sys_exit did not find its record: its bytes were lost */
	if (th && th->call.key.op != IO_NONE)
		__sync_fetch_and_add(&rows_lost, 1);
	if (th) {
		zc_note_sender(&th->call, call_describe(th, p, regs, nr, op, in_arg, out_arg, NULL, false));
		return;
	}
	/* not a data syscall (or no record for it): counted here */
	a = acc_of(p->slot);
	if (a)
		acc_sys(a, p->phase, nr);
	else
		__sync_fetch_and_add(&rows_lost, 1);
}

/* sys_exit_btf_v510: the data syscall the thread's record holds, if any. */
static __always_inline void sys_exit_v510(struct pt_regs *regs, long ret)
{
	struct ipct_inflight *fl = NULL;
	struct ipct_proc *p;
	struct ipct_acc *a;
	int in_arg, out_arg;

	if (!current_has_slot())
		return;
	/* only a data syscall has a record: its number is still in orig_ax */
	if (io_op_of(regs->orig_ax, &in_arg, &out_arg) != IO_NONE)
		fl = in_data_syscall(current_task());
	if (targ_timeline && (p = current_proc()))
		emit(p, current_tid(), EV_SYS_EXIT, regs->orig_ax, ret,
		     fl ? fl->key.op | fl->key.kin << 8 | fl->key.kout << 16 |
				  (__u64)fl->key.flags << 24
			: 0);
	if (!fl)
		return;
	a = acc_of(fl->key.slot);
	if (a)
		acc_add(a, fl, call_bytes(fl, ret, false));
	else
		__sync_fetch_and_add(&rows_lost, 1);
	fl->key.op = IO_NONE;
}

/*
 * The call @fl just added to its row (op @op, source fd @fd) is remembered
 * when that row depends on nothing but its number, the fd's open file (as
 * the fd cache's entry describes it) and the phase: a read, write or recv
 * (vectors included), one fd, no other argument in its key.
 */
static __always_inline void acc_note_last(struct ipct_acc *a, const struct ipct_inflight *fl,
					  __u8 op, int fd)
{
	struct ipct_acc_last *l = &a->last;

	l->ok = (op == IO_READ || op == IO_WRITE || op == IO_RECV) && !fl->mmsg_vec &&
		fl->key.kin != FD_NONE && fl->key.kout == FD_NONE;
	l->nr = fl->key.nr;
	l->fd = fd;
	l->phase = fl->key.phase;
	l->row = fl->key.op & (IPCT_ACC_ROWS - 1);
}

/*
 * The same call as the last one remembered (acc_note_last()), on the same
 * open file (same struct file and inode, O_DIRECT as it was) in the same
 * phase: @ret goes to its row as it is, without describing the call again
 * (the describing, 25 stores, and the row's compare were a fifth of a
 * 64-byte pipe write's sys_exit). True when done.
 */
static __always_inline bool acc_repeat(struct ipct_acc *a, struct task_struct *task,
				       const struct ipct_proc *p, struct pt_regs *regs, long nr,
				       long ret)
{
	struct ipct_acc_last *l = &a->last;
	struct ipct_fd_class *c;
	struct ipct_acc_row *r;
	struct file *f;
	int fd;

	if (targ_timeline || !l->ok || l->nr != nr || l->phase != p->phase)
		return false;
	fd = sys_arg(regs, 0); /* the fd of every call acc_note_last() keeps */
	if (fd != l->fd)
		return false;
	c = &a->th.fdc[fd & (IPCT_FD_CACHE - 1)];
	f = fd_cached(task, fd, c);
	if (!f || (c->can_direct && !!(f->f_flags & O_DIRECT_X86) != c->direct))
		return false;
	r = &a->row[l->row & (IPCT_ACC_ROWS - 1)];
	r->val.attempts++;
	if (ret > 0) {
		r->val.bytes += ret;
		r->val.calls++;
	}
	return true;
}

/* ---- since 5.17: one program, at sys_exit ------------------------------- */

/*
 * Calls that are no data syscall, at their exit: counted by number. The
 * clone family returns twice, 0 in the child: counted once, in the parent
 * (as strace counts it). orig_ax is -1 after rt_sigreturn, which restores
 * the interrupted context's registers. setsockopt(SO_ZEROCOPY) marks the
 * socket for the receive path (zerocopy.bpf.h), before any send on it.
 */
static __always_inline void sys_exit_other(struct ipct_acc *a, struct ipct_proc *p,
					   struct pt_regs *regs, long nr, long ret)
{
	if (nr < 0)
		nr = __NR_rt_sigreturn;
	else if (ret == 0 && (nr == __NR_clone || nr == __NR_clone3 || nr == __NR_fork ||
			      nr == __NR_vfork))
		return;
	else if (nr == __NR_setsockopt && ret == 0)
		zc_setsockopt(p, sys_arg(regs, 0), sys_arg(regs, 1), sys_arg(regs, 2));
	acc_sys(a, p->phase, nr);
}

/*
 * A syscall ends: counted, and if it moves data, described (its fds
 * classified as they are now, as sys_enter would have found them) and its
 * bytes added to its row. One program run per syscall; sys_exit's gate
 * (gate.bpf.h) turned an untraced thread away before, and gives
 * @gate_task, the current task as a number, for a traced one it knows
 * (else 0: the helper call). @cast: bpf_rdonly_cast is there (6.2; a
 * constant: sys_exit_btf_v61 passes false, and no @gate_task).
 */
static __always_inline void sys_exit_one(struct pt_regs *regs, long ret, __u64 gate_task,
					 bool cast)
{
	struct task_struct *task;
	struct ipct_proc *p;
	struct ipct_inflight *fl;
	int in_arg, out_arg;
	struct ipct_acc *a;
	__u64 file;
	long nr;
	__u8 op;

	/* walked to the fd table, never given to a helper, where there is the cast */
	if (cast && gate_task)
		task = rdonly_cast((void *)gate_task, targ_task_btf_id);
	else if (cast)
		task = task_plain(bpf_get_current_task_btf());
	else
		task = bpf_get_current_task_btf();
	if (!(p = proc_of(task->tgid)))
		return;

	nr = regs->orig_ax;
	if (nr == IPCT_MARK_NR) {
		phase_mark(p, regs);
		return;
	}
	a = acc_of(p->slot);
	if (!a) {
		__sync_fetch_and_add(&rows_lost, 1);
		return;
	}
	op = io_op_of(nr, &in_arg, &out_arg);
	if (op == IO_NONE) {
		emit(p, current_tid(), EV_SYS_EXIT, nr, ret, 0);
		sys_exit_other(a, p, regs, nr, ret);
		return;
	}
	if (cast && acc_repeat(a, task, p, regs, nr, ret))
		return;
	fl = &a->th.call;
	file = call_describe(&a->th, p, regs, nr, op, in_arg, out_arg, task, cast);
	zc_note_sender(fl, file);
	if (op == IO_COPY_RANGE && remap_taken())
		fl->key.flags |= IOF_REMAPPED;
	/* io_submit(ctx, nr, iocbpp), io_getevents(ctx, min_nr, nr, events, ...) */
	if (op == IO_AIO_SUBMIT || op == IO_AIO_REAP)
		aio_enter(&a->th, sys_arg(regs, 0), sys_arg(regs, 1),
			  sys_arg(regs, op == IO_AIO_SUBMIT ? 2 : 3));
	emit(p, current_tid(), EV_SYS_EXIT, nr, ret,
	     op | fl->key.kin << 8 | fl->key.kout << 16 | (__u64)fl->key.flags << 24);
	acc_add(a, fl, call_bytes(fl, ret, true));
	if (cast && in_arg == 0)
		acc_note_last(a, fl, op, sys_arg(regs, 0));
}

/*
 * exit and exit_group never return: counted when the thread that called
 * one exits (sched_process_exit, in that thread), where its pt_regs still
 * hold the call (-ENOSYS in ax: it has not returned). A thread another's
 * exit_group kills left its own syscall first (its ax is that one's result).
 */
static __always_inline void exit_syscall_count(struct task_struct *task)
{
	struct ipct_proc *p = proc_of(task->tgid);
	struct ipct_acc *a;
	long nr;

	if (!exit_only() || !p || !task_in_syscall(task, &nr) ||
	    (nr != __NR_exit && nr != __NR_exit_group))
		return;
	a = acc_of(p->slot);
	if (a)
		acc_sys(a, p->phase, nr);
}

/*
 * Whether @task is inside a data syscall: its record says so before 5.17;
 * since, its pt_regs (task_in_syscall()).
 */
static __always_inline bool task_in_data_syscall(struct task_struct *task)
{
	int in_arg, out_arg;
	long nr;

	if (!exit_only())
		return in_data_syscall(task) != NULL;
	return task_in_syscall(task, &nr) && io_op_of(nr, &in_arg, &out_arg) != IO_NONE;
}

#endif /* IO_BPF_H */
