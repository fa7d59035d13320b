/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Page-cache inserts (filemap:mm_filemap_add_to_page_cache), each
 * attributed to what brought the page in, so that only the inserts of a
 * read count as its misses. A page made resident by posix_fadvise(WILLNEED)
 * and then read is a hit, not a miss.
 *
 * The insert runs in the context of its cause; what was in flight:
 *
 *   a write-type syscall into that file, or an io_uring write
 *   into it (uring_writing)                       -> PCI_WRITE
 *   a read-type syscall (read, pread, readv, sendfile, splice,
 *   copy_file_range) whose source is that file     -> PCI_READ
 *   an io_uring op that is not a write (an io-wq or SQPOLL
 *   thread, or the op run inline by io_uring_enter) -> PCI_READ
 *   fadvise64, readahead, madvise (WILLNEED, POPULATE_READ;
 *   readahead(2) and MADV_WILLNEED are vfs_fadvise(WILLNEED)),
 *   mmap (only MAP_POPULATE brings pages in), mlock, mlock2,
 *   mlockall (they populate what they lock)        -> PCI_PREFETCH
 *   no syscall: a user page fault on a file mapping
 *   (read, or a store into a shared mapping)        -> PCI_FAULT
 *   anything else (a fault inside another syscall, execve)
 *                                                  -> PCI_OTHER
 *
 * The syscall a task is in is the orig_ax of its user register frame
 * (bpf_task_pt_regs: the frame at the top of its kernel stack, which a
 * fault inside the syscall does not replace); the x86 exception entry sets
 * it to -1 (entry_64.S idtentry_body, entry_fred.c fred_entry_from_user),
 * so an insert under a user fault reads -1. io-wq and SQPOLL threads are
 * not in a syscall of their own (their frame is zeroed at creation, orig_ax
 * 0 = read): PF_IO_WORKER is tested first.
 */
#ifndef PCACHE_BPF_H
#define PCACHE_BPF_H

#include "maps.bpf.h"
#include "track.bpf.h"
#include "files.bpf.h"
#include "io.bpf.h"
#include "uring.bpf.h"
#include "aio.bpf.h"
#include <asm/unistd_64.h>

#define PF_IO_WORKER_ 0x00000010 /* include/linux/sched.h, a define: not in BTF */

enum pc_insert_cause {
	PCI_OTHER,
	PCI_WRITE,
	PCI_READ,
	PCI_PREFETCH,
	PCI_FAULT,
};

/* The syscall @task is in (its user frame's orig_ax); -1 when none (a user fault). */
static __always_inline long task_syscall_nr(struct task_struct *task)
{
	struct pt_regs *regs;

	if (!has_task_pt_regs())
		return -2; /* 5.10: the cause is not known, PCI_OTHER */
	regs = (struct pt_regs *)bpf_task_pt_regs(task);

	return regs ? (long)regs->orig_ax : -2;
}

/*
 * Since 5.17 (no record of the call before its exit): what the data
 * syscall @task is in does to @mapping, from its pt_regs: PCI_WRITE,
 * PCI_READ, or PCI_OTHER when it is in none or its fds are other files.
 */
static __always_inline __u8 pc_call_cause(struct task_struct *task, __u64 mapping, bool loop,
					  const struct ipct_thread *th)
{
	int in_arg, out_arg, fd;
	struct pt_regs *regs;
	long nr;
	__u8 op;

	if (!(regs = task_in_syscall(task, &nr)))
		return PCI_OTHER;
	/* io_submit(ctx, nr, iocbpp): a buffered write copies into the page cache in it */
	if (nr == __NR_io_submit)
		return loop && aio_writes_to(regs->dx, regs->si, mapping)
			       ? PCI_WRITE : PCI_OTHER;
	op = io_op_of(nr, &in_arg, &out_arg);
	if (op == IO_NONE)
		return PCI_OTHER;
	fd = out_arg >= 0 ? sys_arg(regs, out_arg) : -1;
	if (fd >= 0 && fd_reg_mapping(fd, th ? &th->fdc[fd & (IPCT_FD_CACHE - 1)] : NULL) == mapping)
		return PCI_WRITE;
	fd = in_arg >= 0 ? sys_arg(regs, in_arg) : -1;
	if (fd >= 0 && fd_reg_mapping(fd, th ? &th->fdc[fd & (IPCT_FD_CACHE - 1)] : NULL) == mapping)
		return op == IO_WRITE ? PCI_WRITE : PCI_READ;
	return PCI_OTHER;
}

/* What brought a page of @mapping into the cache, in @task's context. */
static __always_inline __u8 pc_insert_cause(struct task_struct *task, __u64 mapping, bool loop,
					    const struct ipct_thread *th)
{
	struct ipct_inflight *fl = exit_only() ? NULL : in_data_syscall(task);
	__u8 cause = exit_only() ? pc_call_cause(task, mapping, loop, th) : PCI_OTHER;
	long nr;

	if (cause == PCI_WRITE || (fl && fl->write_mapping && fl->write_mapping == mapping) ||
	    uring_writing(mapping))
		return PCI_WRITE;
	if (cause == PCI_READ || (fl && fl->in_mapping == mapping))
		return PCI_READ;
	if (BPF_CORE_READ(task, flags) & PF_IO_WORKER_)
		return PCI_READ;
	nr = task_syscall_nr(task);
	switch (nr) {
	case __NR_io_uring_enter:
		return PCI_READ;
	case __NR_fadvise64:
	case __NR_readahead:
	case __NR_madvise:
	case __NR_mmap:
	case __NR_mlock:
	case __NR_mlock2:
	case __NR_mlockall:
		return PCI_PREFETCH;
	case -1:
		return PCI_FAULT;
	}
	return PCI_OTHER;
}

/* @n pages of @folio inserted: counted by cause; read misses also per file (transfer only). */
static __always_inline void pc_insert(struct ipct_proc *p, struct ipct_counters *c,
				      struct folio *folio, __u64 n, bool loop)
{
	__u64 mapping = (__u64)pc_mapping(folio);
	/* the fds sys_exit classified last, by this process on this CPU (io.bpf.h) */
	struct ipct_acc *a = exit_only() ? acc_of(p->slot) : NULL;

	count(&c->pc_inserted_pages, n);
	switch (pc_insert_cause(current_task(), mapping, loop, a ? &a->th : NULL)) {
	case PCI_WRITE:
		count(&c->pc_inserted_write_pages, n);
		return;
	case PCI_PREFETCH:
		count(&c->pc_inserted_prefetch_pages, n);
		return;
	case PCI_FAULT:
		count(&c->pc_inserted_fault_pages, n);
		return;
	case PCI_READ:
		count(&c->pc_inserted_read_pages, n);
		break;
	default:
		return;
	}
	if (p->phase != PHASE_TRANSFER) /* the per-file table is of the transfer */
		return;
	file_account_inode(BPF_CORE_READ((struct address_space *)mapping, host), FF_PC_MISS, n);
}

#endif /* PCACHE_BPF_H */
