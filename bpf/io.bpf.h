/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Syscalls: counts, the phase marker, and the data-movement table. At entry
 * a data-moving syscall has its fds classified and parked per thread; at
 * exit its return value is added to the row {op, fd kinds, flags}. The
 * thread's record (struct ipct_thread) holds the call in flight and the
 * fds it classified last. Which
 * ledger column a row feeds (user->kernel copy, page references, ...) is
 * decided in user space (user/ledger.c), where it is unit-tested.
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

/*
 * Which op a syscall number is, and which arguments hold its source and
 * destination fds (-1: none), from the table of every syscall
 * (bpf/syscalls.def). Only x86_64 numbers: vmlinux/ is per arch.
 */
static __always_inline __u8 io_op_of(long nr, int *in_arg, int *out_arg)
{
	switch (nr) {
#define DATA(NAME, OP, IN, OUT, RULE) \
	case __NR_##NAME:             \
		*in_arg = IN;         \
		*out_arg = OUT;       \
		return OP;
#define UNACCOUNTED(NAME, RULE) \
	case __NR_##NAME:       \
		*in_arg = -1;   \
		*out_arg = -1;  \
		return IO_UNACCOUNTED;
#include "syscalls.def"
	}
	*in_arg = -1;
	*out_arg = -1;
	return IO_NONE;
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

/* @loop: bpf_loop() is there (a constant: sys_enter_btf_v510 passes false). */
static __always_inline void sys_enter(struct pt_regs *regs, long nr, bool loop)
{
	struct ipct_proc *p = current_proc();
	struct ipct_counters *c;
	struct ipct_fd_class *cin, *cout;
	struct ipct_thread *th;
	struct ipct_inflight *fl;
	struct file *fin;
	__u8 op;
	int fd;
	struct ipct_sys_key sk;
	__u64 zero = 0, *n;
	int in_arg, out_arg;

	if (!p)
		return;
	if (nr == IPCT_MARK_NR) {
		if (sys_arg(regs, 0) == IPCT_MARK_MAGIC)
			phase_switch(p, sys_arg(regs, 1) < NR_PHASES ? sys_arg(regs, 1)
								     : PHASE_TEARDOWN);
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
	if (!th) { /* not a data syscall (or no record for it): counted here */
		c = counters_of(p);
		if (c)
			count(&c->syscalls, 1);
		sk.slot = p->slot;
		sk.phase = p->phase;
		sk.nr = nr;
		n = pcpu_hash_row(&sysnr, &sk, &zero);
		if (n)
			*n += 1;
		return;
	}
	fl = &th->call;
	fl->key.slot = p->slot;
	fl->key.phase = p->phase;
	fl->key.op = op;
	fl->key.flags = 0;
	fl->key.nr = nr;
	fd = in_arg >= 0 ? sys_arg(regs, in_arg) : -1;
	cin = &th->fdc[fd & (IPCT_FD_CACHE - 1)];
	fl->key.kin = classify_fd(fd, cin);
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
	/* io_submit(ctx, nr, iocbpp), io_getevents(ctx, min_nr, nr, events, ...) */
	if (loop && (op == IO_AIO_SUBMIT || op == IO_AIO_REAP))
		aio_enter(th, sys_arg(regs, 0), sys_arg(regs, 1),
			  sys_arg(regs, op == IO_AIO_SUBMIT ? 2 : 3));
	if (out_arg >= 0) {
		fd = sys_arg(regs, out_arg);
		cout = &th->fdc[fd & (IPCT_FD_CACHE - 1)];
		fl->key.kout = classify_fd(fd, cout);
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
	zc_note_sender(fl, cin->file);
}

/*
 * Only a thread with a data syscall in flight has work here, and its record
 * holds the whole row key. "Traced?" is answered first by procs' two bytes
 * (one helper call and one inlined array index, as in every other program):
 * the task-storage lookup that answered it before cost an untraced syscall
 * two helper calls (bpf_get_current_task_btf, bpf_task_storage_get):
 * untraced 122 -> 70 ns per event, traced 154 -> 156, medians of 9
 * `probe --cost` runs each (cost_floor 58).
 * @loop: bpf_loop() is there (a constant: sys_exit_btf_v510 passes false).
 */
static __always_inline void sys_exit(struct pt_regs *regs, long ret, bool loop)
{
	struct ipct_inflight *fl = NULL;
	struct ipct_io_val *v, zero = {};
	struct ipct_proc *p;
	int in_arg, out_arg;

	if (!current_has_slot())
		return;
	/*
	 * Only a data syscall has a record to look up: its number is still in
	 * orig_ax (what sys_enter saw, after ptrace and seccomp; rt_sigreturn's
	 * -1 is no data syscall). Other syscalls skip the task-storage lookup.
	 */
	if (io_op_of(regs->orig_ax, &in_arg, &out_arg) != IO_NONE)
		fl = in_data_syscall(current_task());
	if (targ_timeline && (p = current_proc()))
		emit(p, current_tid(), EV_SYS_EXIT, regs->orig_ax, ret,
		     fl ? fl->key.op | fl->key.kin << 8 | fl->key.kout << 16 |
				  (__u64)fl->key.flags << 24
			: 0);
	if (!fl)
		return;
	if (fl->mmsg_vec) /* a message count: the bytes are in the vector */
		ret = loop ? mmsg_bytes(fl->mmsg_vec, ret) : mmsg_bytes_bounded(fl->mmsg_vec, ret);
	else if (fl->key.op == IO_MSG_SEND && ret == 0) /* 0 on success: the message's size */
		ret = fl->arg_bytes;
	else if (loop && (fl->key.op == IO_AIO_SUBMIT || fl->key.op == IO_AIO_REAP))
		ret = aio_exit((struct ipct_thread *)fl, ret); /* fl: the record's first member */
	else if (fl->key.op == IO_AIO_SUBMIT || fl->key.op == IO_AIO_REAP)
		ret = aio_without_loop((struct ipct_thread *)fl, ret);
	if (ret > 0 && fl->key.phase == PHASE_TRANSFER) {
		/* a write's fd, or a splice-family call's source and destination */
		file_io(&fl->in_key, fl->in_inode, ret, fl->key.op == IO_WRITE);
		file_io(&fl->out_key, fl->out_inode, ret, true);
	}
	v = pcpu_hash_row(&io, &fl->key, &zero);
	fl->key.op = IO_NONE;
	if (!v)
		return;
	v->attempts++;
	if (ret > 0) {
		v->bytes += ret;
		v->calls++;
	}
}

#endif /* IO_BPF_H */
