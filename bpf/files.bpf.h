/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The per-file table of `ipctrace trace`: bytes read and written, page
 * faults, page-cache misses and lookups per regular file (device, inode),
 * named by the last components of a path of the inode's first dentry.
 * Only reached for traced processes.
 */
#ifndef FILES_BPF_H
#define FILES_BPF_H

#include "maps.bpf.h"
#include "compat.bpf.h"
#include "track.bpf.h"
#include "fdclass.bpf.h"

/* Up to IPCT_NAME_PARTS names from @inode's first dentry towards the root. */
static __always_inline void inode_name(struct inode *inode, struct ipct_file_stats *st)
{
	struct hlist_node *first = BPF_CORE_READ(inode, i_dentry.first);
	struct dentry *d, *parent;

	if (!first)
		return;
	d = (void *)first - dentry_alias_offset();
	for (int i = 0; i < IPCT_NAME_PARTS; i++) {
		bpf_probe_read_kernel_str(st->parts[i], IPCT_NAME_LEN, BPF_CORE_READ(d, d_name.name));
		if (BPF_CORE_READ(d, d_name.len) >= IPCT_NAME_LEN)
			st->cut |= 1u << i;
		parent = BPF_CORE_READ(d, d_parent);
		if (!parent || parent == d) {
			st->complete = 1; /* d is the root: its name is "/" */
			return;
		}
		d = parent;
	}
	st->complete = BPF_CORE_READ(d, d_parent) == d;
}

/* The row of the file @k names, made if missing (named from @inode). */
static __always_inline struct ipct_file_stats *file_row(const struct ipct_file_key *k,
							struct inode *inode)
{
	struct ipct_file_stats *st = bpf_map_lookup_elem(&files, k);
	__u32 zero = 0;

	if (st)
		return st;
	st = bpf_map_lookup_elem(&file_scratch, &zero);
	if (!st)
		return NULL;
	__builtin_memset(st, 0, sizeof(*st));
	inode_name(inode, st);
	bpf_map_update_elem(&files, k, st, BPF_NOEXIST);
	st = bpf_map_lookup_elem(&files, k); /* ours, or another CPU's */
	if (!st)
		__sync_fetch_and_add(&rows_lost, 1);
	return st;
}

/* What a per-file event adds to (enum for file_account()). */
enum file_field {
	FF_READ,      /* a read of n bytes */
	FF_WRITE,     /* a write of n bytes (FF_READ + 1) */
	FF_FAULT,     /* n user page faults on a mapping */
	FF_PC_MISS,   /* n pages inserted into the page cache by a read of the file */
	FF_PC_LOOKUP, /* n pages looked up by read() */
};

/*
 * Add @n to @field of the row of the file @k names (@inode: its inode, to
 * name a new row). The cold path of every per-file event, out of line: a
 * global function, which the verifier checks once instead of at each of
 * its callers (sys_exit alone inlined it twice, with inode_name()'s loop).
 */
__noinline int file_account(const struct ipct_file_key *k, __u64 inode, __u32 field, __u64 n,
			    __u64 calls)
{
	struct ipct_file_stats *st;
	struct ipct_file_key key;

	if (!k || !inode)
		return 0;
	key = *k; /* 6.1's map helpers take a key on the stack, not in an argument's memory */
	st = file_row(&key, (struct inode *)inode);
	if (!st)
		return 0;
	switch (field) {
	case FF_READ:
		__sync_fetch_and_add(&st->read_bytes, n);
		__sync_fetch_and_add(&st->reads, calls);
		break;
	case FF_WRITE:
		__sync_fetch_and_add(&st->write_bytes, n);
		__sync_fetch_and_add(&st->writes, calls);
		break;
	case FF_FAULT:
		__sync_fetch_and_add(&st->faults, n);
		break;
	case FF_PC_MISS:
		__sync_fetch_and_add(&st->pc_misses, n);
		break;
	case FF_PC_LOOKUP:
		__sync_fetch_and_add(&st->pc_lookups, n);
		break;
	}
	return 0;
}

/* file_account() for the file of @inode, whose key is not at hand. */
static __always_inline void file_account_inode(struct inode *inode, __u32 field, __u64 n)
{
	struct ipct_file_key k = {};

	if (!inode)
		return;
	file_key(inode, &k);
	file_account(&k, (__u64)inode, field, n, 1);
}

/* A data syscall moved @bytes through the file @k (key kept by classify_fd) */
static __always_inline void file_io(const struct ipct_file_key *k, __u64 inode, __u64 bytes,
				    bool write)
{
	if (inode)
		file_account(k, inode, FF_READ + write, bytes, 1);
}

struct vma_probe {
	struct inode *inode;
	unsigned long start, end;
	bool found;
};

static long vma_file(struct task_struct *task, struct vm_area_struct *vma, struct vma_probe *vp)
{
	struct file *f = vma->vm_file;

	vp->found = true;
	/* read, not loaded: a scalar, which file_account() takes (a typed load is a pointer) */
	vp->inode = f ? BPF_CORE_READ(f, f_inode) : NULL;
	vp->start = vma->vm_start;
	vp->end = vma->vm_end;
	return 0;
}

/*
 * Find the mapping of @address into @vp the 5.10 way (compat.bpf.h): down
 * mm->mm_rb, whose nodes are vm_area_structs sorted by address (the
 * kernel's find_vma()). page_fault_user fires before the fault takes the
 * mmap_lock and the walk takes none (bpf_find_vma() tries it): another
 * thread changing the process's mappings at that moment can make it miss
 * or name the old mapping (its reads are probe reads: never a crash). A
 * tree of 2^32 mappings is at most 64 deep (a red-black tree: twice log2).
 */
static __always_inline void rb_find_vma(struct task_struct *task, unsigned long address,
					struct vma_probe *vp)
{
	struct mm_struct___v510 *mm = (void *)BPF_CORE_READ(task, mm);
	__u32 off = bpf_core_field_offset(struct vm_area_struct___v510, vm_rb);
	struct rb_node *node = mm ? BPF_CORE_READ(mm, mm_rb.rb_node) : NULL;
	struct vm_area_struct *vma;
	struct file *f;

	for (int i = 0; i < 64 && node; i++) {
		vma = (void *)node - off;
		if (BPF_CORE_READ(vma, vm_end) <= address) {
			node = BPF_CORE_READ(node, rb_right);
			continue;
		}
		if (BPF_CORE_READ(vma, vm_start) <= address) {
			vp->found = true;
			f = BPF_CORE_READ(vma, vm_file);
			vp->inode = f ? BPF_CORE_READ(f, f_inode) : NULL;
			return;
		}
		node = BPF_CORE_READ(node, rb_left);
	}
}

/*
 * Find the mapping of @address into @vp. bpf_find_vma() from
 * page_fault_user runs with interrupts off, so it hands the mmap_lock's
 * release to an irq_work, a self-interrupt on every fault: 3.4 us of
 * program per fault here (bpf_stats, `iowork touch`) against 0.18 us
 * without the lookup, and a fault-heavy load 75% slower traced. So each
 * thread keeps the last mapping it found, with its mm and the mm's
 * mm_lock_seq: every change to the mappings takes the mmap_lock for
 * writing, which makes the sequence odd and then moves it on, so while it
 * is even and unchanged the mapping found is still there, and still maps
 * that file (whose inode it pins). Kernels without the sequence look up
 * every fault.
 */
static __always_inline void find_mapping(struct task_struct *task, unsigned long address,
					 struct ipct_vma_cache *vc, struct vma_probe *vp, bool rbtree)
{
	__u64 mm = 0;
	__u32 seq = 0;
	bool stable = vc && mm_seq_stable(task, &mm, &seq);

	/* the same mm (exec gives the thread a new one, whose sequence starts over) */
	if (stable && vc->valid && vc->mm == mm && vc->seq == seq && address >= vc->start &&
	    address < vc->end) {
		vp->found = true;
		vp->inode = (struct inode *)vc->inode;
		return;
	}
	if (rbtree) /* a constant: fault_user_btf_v510's (bpf_find_vma names a callback) */
		rb_find_vma(task, address, vp);
	else
		bpf_find_vma(task, address, vma_file, vp, 0);
	if (stable && vp->found) {
		vc->start = vp->start;
		vc->end = vp->end;
		vc->inode = (__u64)vp->inode;
		vc->mm = mm;
		vc->seq = seq;
		vc->valid = 1;
	}
}

/*
 * A user fault: file-backed or anonymous, and (@per_file) which file; @rbtree: as
 * find_mapping(). Whether it is on a file mapping.
 */
static __always_inline bool fault_mapping(struct ipct_counters *c, unsigned long address,
					  bool per_file, struct ipct_vma_cache *vc, bool rbtree)
{
	struct vma_probe vp = {};
	struct inode *inode;

	find_mapping(current_task(), address, vc, &vp, rbtree);
	if (!vp.found)
		return false;
	inode = vp.inode; /* a plain local: CO-RE relocates reads through it */
	if (!inode) {
		count(&c->faults_user_anon, 1);
		return false;
	}
	count(&c->faults_user_file, 1);
	if (per_file && (BPF_CORE_READ(inode, i_mode) & S_IFMT) == S_IFREG)
		file_account_inode(inode, FF_FAULT, 1);
	return true;
}

#endif /* FILES_BPF_H */
