/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The per-file table of `ipctrace trace`: bytes read and written, page
 * faults, page-cache misses and lookups per regular file (device, inode),
 * named by the last components of a path of the inode's first dentry.
 * Only reached for traced processes.
 */
#ifndef FILES_BPF_H
#define FILES_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* preallocated: 1.9 ms of start-up (strace -T) */
	__uint(max_entries, 4096);
	__type(key, struct ipct_file_key);
	__type(value, struct ipct_file_stats);
} files SEC(".maps");

/* Zeroed stats to insert from (too large for the BPF stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ipct_file_stats);
} file_scratch SEC(".maps");

/*
 * 7.1 made the union that holds d_alias anonymous (2420067cecac "struct
 * dentry: make ->d_u anonymous"): dentry.d_alias there, dentry.d_u.d_alias
 * before. The access that does not relocate sits in a branch the verifier
 * drops; unguarded, it kept every program reaching inode_name() from loading.
 */
struct dentry___v71 {
	struct hlist_node d_alias;
} __attribute__((preserve_access_index));

/* Where an inode's i_dentry list links a dentry, from the dentry's start. */
static __always_inline __u32 dentry_alias_offset(void)
{
	if (bpf_core_field_exists(((struct dentry___v71 *)0)->d_alias))
		return bpf_core_field_offset(struct dentry___v71, d_alias);
	return bpf_core_field_offset(struct dentry, d_u.d_alias);
}

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

static __always_inline struct ipct_file_stats *file_stats(struct inode *inode)
{
	struct ipct_file_key k = {};

	if (!inode)
		return NULL;
	file_key(inode, &k);
	return file_row(&k, inode);
}

/* A data syscall moved @bytes through the file @k (key kept by classify_fd) */
static __always_inline void file_io(const struct ipct_file_key *k, __u64 inode, __u64 bytes,
				    bool write)
{
	struct ipct_file_stats *st = inode ? file_row(k, (struct inode *)inode) : NULL;

	if (!st)
		return;
	if (write) {
		__sync_fetch_and_add(&st->write_bytes, bytes);
		__sync_fetch_and_add(&st->writes, 1);
	} else {
		__sync_fetch_and_add(&st->read_bytes, bytes);
		__sync_fetch_and_add(&st->reads, 1);
	}
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
	vp->inode = f ? f->f_inode : NULL;
	vp->start = vma->vm_start;
	vp->end = vma->vm_end;
	return 0;
}

/*
 * 6.13 and later with per-VMA locks ("mm: convert mm_lock_seq to a proper
 * seqcount"): odd while the mm's mappings change. From 6.4 to 6.12 it is
 * an int moved on only at unlock, useless here, and CO-RE finds no
 * .sequence in it: those kernels look up every fault.
 */
struct mm_struct___seq {
	seqcount_t mm_lock_seq;
} __attribute__((preserve_access_index));

/*
 * @task's mm in @mm and its mapping sequence in @seq, if this kernel has
 * one and no change is under way.
 */
static __always_inline bool mm_has_seq(void)
{
	return bpf_core_field_exists(((struct mm_struct___seq *)0)->mm_lock_seq.sequence);
}

static __always_inline bool mm_seq_stable(struct task_struct *task, __u64 *mm, __u32 *seq)
{
	struct mm_struct___seq *m = (void *)BPF_CORE_READ(task, mm);

	if (!mm_has_seq() || !m)
		return false;
	*mm = (__u64)m;
	*seq = BPF_CORE_READ(m, mm_lock_seq.sequence);
	return !(*seq & 1);
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
					 struct ipct_vma_cache *vc, struct vma_probe *vp)
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

/* A user fault: file-backed or anonymous, and (@per_file) which file. */
static __always_inline void fault_mapping(struct ipct_counters *c, unsigned long address,
					  bool per_file, struct ipct_vma_cache *vc)
{
	struct vma_probe vp = {};
	struct ipct_file_stats *st;
	struct inode *inode;

	find_mapping(bpf_get_current_task_btf(), address, vc, &vp);
	if (!vp.found)
		return;
	inode = vp.inode; /* a plain local: CO-RE relocates reads through it */
	if (!inode) {
		count(&c->faults_user_anon, 1);
		return;
	}
	count(&c->faults_user_file, 1);
	if (!per_file || (BPF_CORE_READ(inode, i_mode) & S_IFMT) != S_IFREG)
		return;
	st = file_stats(inode);
	if (st)
		__sync_fetch_and_add(&st->faults, 1);
}

#endif /* FILES_BPF_H */
