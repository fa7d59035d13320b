// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace's kernel side: tracepoints only (tp_btf, no tracefs needed).
 * Logic lives in the headers below (docs/architecture.md: "The BPF
 * object's headers"; maps and globals in maps.bpf.h, kernel-version shims
 * in compat.bpf.h); each program is a thin wrapper that hands its
 * tracepoint arguments to one helper. User
 * space switches off, before load, every program whose tracepoint this
 * kernel lacks (user/probe.c), so one object serves 6.1 and 6.18.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ipctrace.h"
#include "maps.bpf.h"
#include "compat.bpf.h"
#include "track.bpf.h"
#include "fdclass.bpf.h"
#include "events.bpf.h"
#include "files.bpf.h"
#include "io.bpf.h"
#include "uring.bpf.h"
#include "aio.bpf.h"
#include "pcache.bpf.h"
#include "observe.bpf.h"
#include "exec.bpf.h"
#include "faultaround.bpf.h"
#include "gate.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* x86 page fault error code bits (arch/x86/include/asm/trap_pf.h) */
#define X86_PF_PROT 0x1
#define X86_PF_WRITE 0x2
#define REQ_OP_MASK 0xff /* (1 << REQ_OP_BITS) - 1, a define: not in BTF */

/* @rbtree: find mappings without bpf_find_vma (files.bpf.h: find_mapping()) */
static __always_inline void on_fault(unsigned long address, unsigned long error_code, bool user,
				     bool rbtree)
{
	struct ipct_proc *p = current_proc();
	struct ipct_counters *c = p ? counters_of(p) : NULL;

	if (!c)
		return;
	emit(p, current_tid(), EV_FAULT, error_code, user, address);
	if (user) {
		/* the thread's record keeps its last mapping, where it can be trusted */
		struct ipct_thread *th = thread_of(current_task(), true);

		/* only a read fault on a file maps around (do_read_fault) */
		if (fault_mapping(c, address, p->phase == PHASE_TRANSFER,
				  th && mm_has_seq() ? &th->vma : NULL, rbtree) &&
		    !(error_code & X86_PF_WRITE))
			fault_around_arm(th);
		else
			fault_disarm(th);
		count(&c->faults_user, 1);
		if (error_code & X86_PF_WRITE)
			count(&c->faults_user_write, 1);
		if (error_code & X86_PF_PROT)
			count(&c->faults_user_prot, 1);
	} else {
		/*
		 * a kernel-mode read fault on a user file mapping (copy_from_user)
		 * maps around too; a write fault never does (do_fault: only
		 * do_read_fault maps around), so no RSS sums for it
		 */
		struct ipct_thread *th = thread_of(current_task(), true);

		if (error_code & X86_PF_WRITE)
			fault_disarm(th);
		else
			fault_around_arm(th);
		count(&c->faults_kernel, 1);
		if (error_code & X86_PF_WRITE)
			count(&c->faults_kernel_write, 1);
	}
}

/*
 * Voluntary/involuntary as the kernel counts nvcsw/nivcsw in __schedule():
 * voluntary when not preempted and prev left the runnable state.
 */
static __always_inline void on_switch(bool preempt, struct task_struct *prev,
				      struct task_struct *next, unsigned int prev_state)
{
	struct ipct_proc *p = proc_of(prev->tgid), *n;
	struct ipct_counters *c;

	if (targ_timeline && (n = proc_of(next->tgid)))
		emit(n, next->pid, EV_SWITCH_IN, 0, 0, 0);
	if (!p || !(c = counters_of(p)))
		return;
	emit(p, prev->pid, EV_SWITCH_OUT, prev_state, preempt, 0);
	if (preempt || prev_state == 0) {
		count(&c->csw_involuntary, 1);
		return;
	}
	count(&c->csw_voluntary, 1);
	if (task_in_data_syscall(prev))
		count(&c->csw_in_syscall, 1);
}

/* signal_generate's result (include/trace/events/signal.h: an anonymous enum, stable) */
#define TRACE_SIGNAL_ALREADY_PENDING_ 2

static __always_inline void on_signal_generate(struct task_struct *target, int result)
{
	struct ipct_proc *p = proc_of(target->tgid);
	struct ipct_counters *c;

	if (!p || !(c = counters_of(p)))
		return;
	count(&c->sig_generated, 1);
	if (result == TRACE_SIGNAL_ALREADY_PENDING_)
		count(&c->sig_merged, 1);
}

/* Page-cache page ranges are inclusive [first, last]. */
static __always_inline __u64 range_pages(unsigned long first, unsigned long last)
{
	return last >= first ? last - first + 1 : 0;
}

/* Each insert by its cause (bpf/pcache.bpf.h): only a read's inserts are its misses. */
/* @loop: bpf_loop() is there (a constant: pc_add_btf_v510 passes false) */
static __always_inline void on_pc_add(struct folio *folio, bool loop)
{
	struct ipct_proc *p = current_proc();
	struct ipct_counters *c = p ? counters_of(p) : NULL;

	if (c)
		pc_insert(p, c, folio, pc_pages(folio), loop);
}

static __always_inline void on_bio(struct bio *bio)
{
	struct ipct_proc *p = current_proc();
	struct ipct_counters *c = p ? counters_of(p) : NULL;
	__u32 opf, size;
	bool write;

	if (!c)
		return;
	opf = BPF_CORE_READ(bio, bi_opf);
	size = BPF_CORE_READ(bio, bi_iter.bi_size);
	write = bio_op_is(opf & REQ_OP_MASK, true);
	emit(p, current_tid(), EV_BIO, write, size, 0);
	if (bio_op_is(opf & REQ_OP_MASK, false)) {
		count(&c->disk_read_bytes, size);
		count(&c->disk_read_ios, 1);
		if (opf & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_RAHEAD)))
			count(&c->disk_read_ra_bytes, size);
	} else if (write) {
		count(&c->disk_write_bytes, size);
		count(&c->disk_write_ios, 1);
	}
}

/* Add @n to one counter of the current process, if it is traced. */
#define COUNT_CURRENT(field, n)                                                \
	({                                                                     \
		struct ipct_counters *__c = current_counters();                \
		if (__c)                                                       \
			count(&__c->field, (n));                              \
	})

/* ---- attach wrappers ---------------------------------------------------- */

/*
 * Since 5.17 only the timeline's: a syscall's start (sys_exit_btf does the
 * rest). user/kfeatures.c loads it with --timeline alone.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf, struct pt_regs *regs, long id)
{
	struct ipct_proc *p;

	if (targ_timeline && id != IPCT_MARK_NR && (p = current_proc()))
		emit(p, current_tid(), EV_SYS_ENTER, id, 0, 0);
	return 0;
}

/* 5.10 to 5.16: no bpf_loop: the call described at its entry (user/kfeatures.c) */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf_v510, struct pt_regs *regs, long id)
{
	sys_enter_v510(regs, id);
	return 0;
}

/* ipctrace probe --cost only: the floor under every program's cost per event */
SEC("tp_btf/sys_enter")
int BPF_PROG(cost_floor)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_btf, struct pt_regs *regs, long ret)
{
	__u64 task = 0;

	if (gate_check(regs, &task) != GATE_UNTRACED)
		sys_exit_one(regs, ret, task, true);
	return 0;
}

/* 5.17 to 6.1: no bpf_rdonly_cast (user/kfeatures.c loads this one instead) */
SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_btf_v61, struct pt_regs *regs, long ret)
{
	__u64 task = 0;

	if (gate_check(regs, &task) != GATE_UNTRACED)
		sys_exit_one(regs, ret, 0, false);
	return 0;
}

/* 5.10 to 5.16: no bpf_loop (user/kfeatures.c loads this one instead) */
SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_btf_v510, struct pt_regs *regs, long ret)
{
	sys_exit_v510(regs, ret);
	return 0;
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(fault_user_btf, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	on_fault(address, error_code, true, false);
	return 0;
}

/* before 5.17: no bpf_find_vma (user/kfeatures.c loads this one instead) */
SEC("tp_btf/page_fault_user")
int BPF_PROG(fault_user_btf_v510, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	on_fault(address, error_code, true, true);
	return 0;
}

SEC("tp_btf/page_fault_kernel")
int BPF_PROG(fault_kernel_btf, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	on_fault(address, error_code, false, false);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	on_switch(preempt, prev, next, prev_state);
	return 0;
}

/* before 5.18: no prev_state argument (compat.bpf.h: task_state()) */
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf_v510, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	on_switch(preempt, prev, next, task_state(prev));
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
	if (track_child(parent, child, true))
		gate_register(child);
	return 0;
}

/*
 * Before 5.12 no fetching atomic (5ca419f2864a "bpf: Add BPF_FETCH field /
 * create atomic_fetch_add instruction"): user/kfeatures.c loads this one.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf_v510, struct task_struct *parent, struct task_struct *child)
{
	track_child(parent, child, false);
	return 0;
}

/*
 * -p: the threads of the processes user space has just added join sys_exit's
 * gate (gate.bpf.h). Attached to no event: user space runs it once per
 * batch of -p (user/tracer.c: tracer_pids_added()).
 */
SEC("iter/task")
int gate_threads(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;

	if (task && proc_of(task->tgid))
		gate_register(task);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_btf, struct task_struct *task)
{
	track_exec_counted(task);
	return 0;
}

/* A thread exits (@gate: it leaves sys_exit's gate, a compare-and-exchange). */
static __always_inline void on_exit(struct task_struct *task, bool gate)
{
	thread_forget();
	if (gate) /* traced or not: a frame in the gate is a live thread's */
		gate_forget(task);
	if (!current_proc())
		return;
	exit_syscall_count(task);
	track_exit(task);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_btf, struct task_struct *task)
{
	on_exit(task, true);
	return 0;
}

/* before 5.12: no atomic compare-and-exchange, refused even in dead code (user/kfeatures.c) */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_btf_v510, struct task_struct *task)
{
	on_exit(task, false);
	return 0;
}

SEC("tp_btf/signal_generate")
int BPF_PROG(signal_generate_btf, int sig, struct kernel_siginfo *info, struct task_struct *task,
	     int group, int result)
{
	on_signal_generate(task, result);
	return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(signal_deliver_btf, int sig)
{
	struct ipct_proc *p = current_proc();
	struct ipct_counters *c = p ? counters_of(p) : NULL;

	if (!c)
		return 0;
	count(&c->sig_delivered, 1);
	emit(p, current_tid(), EV_SIGNAL, sig, 0, 0);
	return 0;
}

/* Only recorded for the timeline: who woke a traced thread, and when. */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup_btf, struct task_struct *task)
{
	struct ipct_proc *p;

	if (!targ_timeline || !(p = proc_of(task->tgid)))
		return 0;
	emit(p, BPF_CORE_READ(task, pid), EV_WAKEUP, 0, 0, 0);
	return 0;
}

SEC("tp_btf/mm_filemap_add_to_page_cache")
int BPF_PROG(pc_add_btf, struct folio *folio)
{
	on_pc_add(folio, true);
	return 0;
}

/* 5.10 to 5.16: no bpf_loop, which an io_submit's iocbs are read with (user/kfeatures.c) */
SEC("tp_btf/mm_filemap_add_to_page_cache")
int BPF_PROG(pc_add_btf_v510, struct folio *folio)
{
	on_pc_add(folio, false);
	return 0;
}

SEC("tp_btf/mm_filemap_delete_from_page_cache")
int BPF_PROG(pc_delete_btf, struct folio *folio)
{
	COUNT_CURRENT(pc_evicted_pages, pc_pages(folio));
	return 0;
}

SEC("tp_btf/mm_filemap_get_pages")
int BPF_PROG(pc_get_pages_btf, struct address_space *mapping, unsigned long first, unsigned long last)
{
	struct ipct_proc *p = current_proc();
	struct ipct_acc *a;

	/* added up per CPU while a process reads one file (io.bpf.h) */
	if (p && (a = acc_of(p->slot)))
		acc_lookup(a, (__u64)mapping, p->phase, range_pages(first, last));
	return 0;
}

/* the window asked for is not what was mapped (bpf/faultaround.bpf.h) */
SEC("tp_btf/mm_filemap_map_pages")
int BPF_PROG(pc_map_pages_btf, struct address_space *mapping, unsigned long first, unsigned long last)
{
	struct ipct_counters *c = current_counters();

	if (c)
		fault_around_done(c);
	return 0;
}

SEC("tp_btf/mm_filemap_fault")
int BPF_PROG(pc_fault_btf)
{
	struct ipct_counters *c = current_counters();

	if (!c)
		return 0;
	count(&c->pc_fault_calls, 1);
	fault_own_arm();
	return 0;
}

/* an mm's RSS counter changed: what a file fault mapped (bpf/faultaround.bpf.h) */
SEC("tp_btf/rss_stat")
int BPF_PROG(rss_stat_btf, struct mm_struct *mm, int member)
{
	fault_rss_changed(mm, member);
	return 0;
}

SEC("tp_btf/page_cache_sync_ra")
int BPF_PROG(ra_sync_btf)
{
	COUNT_CURRENT(ra_sync, 1);
	return 0;
}

SEC("tp_btf/page_cache_async_ra")
int BPF_PROG(ra_async_btf)
{
	COUNT_CURRENT(ra_async, 1);
	return 0;
}

SEC("tp_btf/block_bio_queue")
int BPF_PROG(bio_queue_btf, struct bio *bio)
{
	on_bio(bio);
	return 0;
}

/*
 * 5.10: the request queue came first (block_bio_queue lost it in 5.11,
 * Christoph Hellwig's tracepoint clean-up; commit not verified)
 */
SEC("tp_btf/block_bio_queue")
int BPF_PROG(bio_queue_btf_v510, struct request_queue *q, struct bio *bio)
{
	on_bio(bio);
	return 0;
}

SEC("tp_btf/skb_copy_datagram_iovec")
int BPF_PROG(skb_copy_btf, const struct sk_buff *skb, int len)
{
	struct ipct_counters *c = current_counters();

	if (c && len > 0) {
		count(&c->skb_copy_bytes, len);
		count(&c->skb_copy_calls, 1);
	}
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(sock_send_btf, struct sock *sk, int ret)
{
	COUNT_CURRENT(sock_send_bytes, ret > 0 ? ret : 0);
	return 0;
}

/* MSG_ZEROCOPY skbs the receive path is about to copy (bpf/zerocopy.bpf.h) */
SEC("tp_btf/netif_receive_skb")
int BPF_PROG(netif_receive_skb_btf, struct sk_buff *skb)
{
	zc_receive(skb);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(sock_recv_btf, struct sock *sk, int ret)
{
	COUNT_CURRENT(sock_recv_bytes, ret > 0 ? ret : 0);
	return 0;
}

/* io_uring data ops (bpf/uring.bpf.h); the same argument order up to req on 6.1 and 6.18 */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(uring_submit_btf, struct io_kiocb *req)
{
	uring_submit(req);
	return 0;
}

SEC("tp_btf/io_uring_complete")
int BPF_PROG(uring_complete_btf, void *ring, struct io_kiocb *req)
{
	struct io_uring_cqe *cqe;

	if (req) {
		uring_complete(req);
		return 0;
	}
	/* a CQE of no request: a multishot op's (compat.bpf.h: the two forms) */
	if (uring_complete_has_cqe()) {
		cqe = (void *)ctx[2];
		uring_tagged_cqe((__u64)ring, BPF_CORE_READ(cqe, user_data), BPF_CORE_READ(cqe, res),
				 false);
	} else {
		uring_tagged_cqe((__u64)ring, ctx[2], (__s32)ctx[3], false);
	}
	return 0;
}

/* Where io_uring_complete does not see overflowed CQEs (6.18), they show here. */
SEC("tp_btf/io_uring_cqe_overflow")
int BPF_PROG(uring_overflow_btf, void *ring, __u64 user_data, __s32 res)
{
	if (uring_complete_has_cqe())
		uring_tagged_cqe((__u64)ring, user_data, res, true);
	return 0;
}

/*
 * XFS shares extents (bpf/remap.bpf.h): a copy_file_range's row is marked,
 * any other caller's (ioctl FICLONE, FICLONERANGE) bytes counted here.
 */
SEC("tp_btf/xfs_reflink_remap_range")
int BPF_PROG(xfs_remap_btf, void *src, long long pos_in, long long len)
{
	struct ipct_counters *c;

	if (remap_in_call() || !(c = current_counters()))
		return 0;
	count(&c->remap_clone_bytes, len > 0 ? len : 0);
	count(&c->remap_clone_ops, 1);
	return 0;
}

/*
 * Observed copies, on kernels that take fexit programs (user/probe.c tests
 * each target and chooses between renamed ones before load; where fexit is
 * refused they are not loaded). Signatures as in 6.1 and 6.18.
 */
SEC("fexit")
int BPF_PROG(obs_pipe_write, struct kiocb *iocb, struct iov_iter *from, ssize_t ret)
{
	observe_copy(OBS_PIPE_WRITE, from, ret);
	return 0;
}

SEC("fexit")
int BPF_PROG(obs_pipe_read, struct kiocb *iocb, struct iov_iter *to, ssize_t ret)
{
	observe_copy(OBS_PIPE_READ, to, ret);
	return 0;
}

/* It returns already_read plus what it copied (O_DIRECT's part comes in already_read). */
SEC("fexit")
int BPF_PROG(obs_file_read, struct kiocb *iocb, struct iov_iter *iter, ssize_t already_read,
	     ssize_t ret)
{
	observe_copy(OBS_FILE_READ, iter, ret - already_read);
	return 0;
}

/*
 * The return value by helper: kernels before the (kiocb, iov_iter) form had
 * a third argument (file, iov_iter, pos), and before 5.17 no helper
 * (compat.bpf.h: has_func_ret()), so there it is the fourth slot.
 */
SEC("fexit")
int BPF_PROG(obs_file_write, void *iocb, struct iov_iter *from)
{
	__u64 ret = 0;

	if (has_func_ret())
		bpf_get_func_ret(ctx, &ret);
	else
		ret = ctx[3];
	observe_copy(OBS_FILE_WRITE, from, (__s64)ret);
	return 0;
}

/* It returns 0 or -EFAULT: on 0, len bytes were copied. */
SEC("fexit")
int BPF_PROG(obs_sock_send, struct sk_buff *skb, int offset, struct iov_iter *from, int len, int ret)
{
	observe_copy(OBS_SOCK_SEND, from, ret == 0 ? len : 0);
	return 0;
}
