/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Kernel-version shims: every `___` type flavour and every
 * bpf_core_*_exists() test of the object, each with the upstream commit
 * that made it necessary (id, subject, first release). One object serves
 * 6.1 and 6.18 (and 7.x): CO-RE relocates each access against the running
 * kernel's BTF, and the branch a kernel lacks is dead code the verifier
 * drops. docs/architecture.md (kernel-version shims) has the same table.
 *
 * The committed vmlinux.h is 6.18's: a flavour below describes a layout
 * of another version that it lacks.
 */
#ifndef COMPAT_BPF_H
#define COMPAT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/*
 * Folio order. ebc1baf5c9b4 "mm: free up a word in the first tail page"
 * (6.6) moved it from folio->_folio_order into the low byte of
 * folio->_flags_1.
 */
struct folio___v61 {
	unsigned char _folio_order;
} __attribute__((preserve_access_index));

/* Pages in @folio: 1, or 2^order for a large (head) folio. */
static __always_inline __u64 folio_pages(struct folio *folio)
{
	unsigned long flags = 0;

	/* the flags word is the folio's first member on every version */
	bpf_probe_read_kernel(&flags, sizeof(flags), folio);
	if (!(flags & (1UL << bpf_core_enum_value(enum pageflags, PG_head))))
		return 1;
	if (bpf_core_field_exists(((struct folio___v61 *)folio)->_folio_order))
		return 1ULL << BPF_CORE_READ((struct folio___v61 *)folio, _folio_order);
	return 1ULL << (BPF_CORE_READ(folio, _flags_1) & 0xff);
}

/*
 * iov_iter flavours.
 * - iov_iter.iter_type: 8cd54c1c8480 "iov_iter: separate direction from
 *   flavour" (5.14); before it, one `type` field held both. Always there
 *   on the kernels ipctrace supports (6.1+): the test costs nothing.
 * - ITER_UBUF: fcb14cb1bdac "new iov_iter flavour - ITER_UBUF" (6.0).
 * - ITER_PIPE: 3fc40265ae2b "iov_iter: Kill ITER_PIPE" (6.5) removed it,
 *   so the 6.18 vmlinux.h lacks it; 6.1 to 6.4 number it 3.
 */
enum iter_type___v61 {
	ITER_PIPE___v61 = 3,
};

static __always_inline bool iter_has_type(const struct iov_iter *it)
{
	return bpf_core_field_exists(it->iter_type);
}

static __always_inline bool iter_is_ubuf(__u8 t)
{
	return bpf_core_enum_value_exists(enum iter_type, ITER_UBUF) &&
	       t == bpf_core_enum_value(enum iter_type, ITER_UBUF);
}

static __always_inline bool iter_is_pipe(__u8 t)
{
	return bpf_core_enum_value_exists(enum iter_type___v61, ITER_PIPE___v61) &&
	       t == bpf_core_enum_value(enum iter_type___v61, ITER_PIPE___v61);
}

/*
 * The mm's mapping sequence. eb449bd96954 "mm: convert mm_lock_seq to a
 * proper seqcount" (6.14): odd while the mm's mappings change. From 6.4 to
 * 6.13 it is an int moved on only at unlock, useless here, and CO-RE finds
 * no .sequence in it: those kernels look up every fault (files.bpf.h).
 */
struct mm_struct___seq {
	seqcount_t mm_lock_seq;
} __attribute__((preserve_access_index));

static __always_inline bool mm_has_seq(void)
{
	return bpf_core_field_exists(((struct mm_struct___seq *)0)->mm_lock_seq.sequence);
}

/*
 * @task's mm in @mm and its mapping sequence in @seq, if this kernel has
 * one and no change is under way.
 */
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
 * dentry.d_alias. 2420067cecac "struct dentry: make ->d_u anonymous"
 * (7.1; release not verified) made the union that holds it anonymous:
 * dentry.d_alias there, dentry.d_u.d_alias before. The access that does
 * not relocate sits in a branch the verifier drops; unguarded, it kept
 * every program reaching inode_name() from loading.
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

#endif /* COMPAT_BPF_H */
