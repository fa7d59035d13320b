/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Kernel-version shims: every `___` type flavour and every
 * bpf_core_*_exists() test of the object, each with the upstream commit
 * that made it necessary (id, subject, first release). One object serves
 * 5.10, 6.1 and 6.18 (and 7.x): CO-RE relocates each access against the running
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
 *   flavour" (5.14); before it, one `type` field held both (5.10:
 *   iter_flavour() below).
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

static __always_inline bool iter_is_ubuf(unsigned int t)
{
	return bpf_core_enum_value_exists(enum iter_type, ITER_UBUF) &&
	       t == bpf_core_enum_value(enum iter_type, ITER_UBUF);
}

static __always_inline bool iter_is_pipe(unsigned int t)
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

/*
 * ---- 5.10 (Debian bullseye) ----
 * What 5.10 lacks is decided two ways, both before load: a helper by its
 * number in the kernel's own `enum bpf_func_id` (a CO-RE enum check: the
 * branch that calls a missing helper is dead code the verifier drops), the
 * rest by user/kfeatures.c (a tiny test load each), which sets the globals
 * below and switches between programs (the _v510 ones in ipctrace.bpf.c:
 * a program that names a bpf_loop or bpf_find_vma callback does not load
 * before 5.13, dead code or not, as those kernels know no BPF_PSEUDO_FUNC).
 * The whole list, with what kfeatures.c tests:
 * - task storage: 4cf1bc1f1045 "bpf: Implement task local storage" (5.11);
 *   maps.bpf.h's `threads` becomes a hash by tid (targ_threads_by_tid)
 * - fetching atomics: 5ca419f2864a "bpf: Add BPF_FETCH field / create
 *   atomic_fetch_add instruction" (5.12); fork_btf_v510 (refused even dead)
 * - pointer arguments to global functions: e5069b9c23b3 "bpf: Support
 *   pointers in global func args" (5.12 or 5.13); made static in the BTF
 * - bpf_loop: e6f2dd0f8067 "bpf: Add bpf_loop helper" (5.17); sys_exit_btf_v510
 * - bpf_find_vma: 7c7e3d31e785 "bpf: Introduce helper bpf_find_vma" (5.17);
 *   fault_user_btf_v510 (the mm_rb walk below)
 * - sched_switch's prev_state: fa2c3254d7cf (5.18, below); sched_switch_btf_v510
 * - block_bio_queue(q, bio): the queue argument went in 5.11 (commit not
 *   verified); bio_queue_btf_v510
 * - the kfunc bpf_rdonly_cast: a2c4f2a50a6f "bpf: Add a kfunc for generic
 *   type cast" (6.2, so 6.1 lacks it too); sys_exit_btf_v61, whose fd reads
 *   are helper calls (fdclass.bpf.h: rdonly_cast(), written as encoded);
 *   task_plain() is the task pointer itself there
 * and here, CO-RE checks:
 */

/* 3ca1032ab7ab "bpf: Implement get_current_task_btf and RET_PTR_TO_BTF_ID" (5.11) */
static __always_inline bool has_task_btf(void)
{
	return bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf);
}

/* f92c1e183604 "bpf: Add get_func_[arg|ret|arg_cnt] helpers" (5.17) */
static __always_inline bool has_func_ret(void)
{
	return bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ret);
}

/* dd6e10fbd9fb "bpf: Add bpf_task_pt_regs() helper" (5.15) */
static __always_inline bool has_task_pt_regs(void)
{
	return bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs);
}

/*
 * The current task: typed (plain loads through it) where the helper
 * exists, else an untyped pointer that only BPF_CORE_READ may follow.
 */
static __always_inline struct task_struct *current_task(void)
{
	if (has_task_btf())
		return bpf_get_current_task_btf();
	return (struct task_struct *)bpf_get_current_task();
}

/*
 * iov_iter before 8cd54c1c8480 (5.14): one `type` field, the direction in
 * bit 0 (READ 0, WRITE 1), the flavour as one bit each above it (enum
 * iter_type: ITER_IOVEC 4, ITER_KVEC 8, ...), which CO-RE relocates.
 */
struct iov_iter___v510 {
	unsigned int type;
} __attribute__((preserve_access_index));

/* @it's flavour: iter_type (5.14+), or the old type without its direction bit. */
static __always_inline unsigned int iter_flavour(const struct iov_iter *it)
{
	if (iter_has_type(it))
		return BPF_CORE_READ(it, iter_type);
	return BPF_CORE_READ((struct iov_iter___v510 *)it, type) & ~1U;
}

/*
 * The page-cache tracepoints took a struct page before the folio
 * conversion (5.16, "mm/filemap: Add filemap_add_folio()" series; commit
 * not verified), and 5.10 has no struct folio at all. A folio overlays its
 * head page, so ->mapping is at the same place; a 5.10 compound page keeps
 * its order in the first tail page.
 */
struct page___v510 {
	unsigned char compound_order;
	struct address_space *mapping;
} __attribute__((preserve_access_index));

static __always_inline bool has_folio(void)
{
	return bpf_core_type_exists(struct folio);
}

/* Pages in the folio (or, before folios, the page) a page-cache tracepoint names. */
static __always_inline __u64 pc_pages(void *folio)
{
	unsigned long flags = 0;

	if (has_folio())
		return folio_pages(folio);
	bpf_probe_read_kernel(&flags, sizeof(flags), folio);
	if (!(flags & (1UL << bpf_core_enum_value(enum pageflags, PG_head))))
		return 1;
	return 1ULL << BPF_CORE_READ((struct page___v510 *)(folio + bpf_core_type_size(struct page)),
				     compound_order);
}

/* The address_space of the folio (page) a page-cache tracepoint names. */
static __always_inline struct address_space *pc_mapping(void *folio)
{
	if (has_folio())
		return BPF_CORE_READ((struct folio *)folio, mapping);
	return BPF_CORE_READ((struct page___v510 *)folio, mapping);
}

/*
 * MSG_ZEROCOPY frags: skb_shinfo(skb)->flags & SKBFL_ZEROCOPY_ENABLE since
 * "net: group skb_shinfo zerocopy related bits together" (5.13; commit not
 * verified); before it, tx_flags & SKBTX_DEV_ZEROCOPY (1 << 3 in 5.10's
 * include/linux/skbuff.h, an anonymous enum CO-RE cannot name).
 */
struct skb_shared_info___v510 {
	__u8 tx_flags;
} __attribute__((preserve_access_index));

#define SKBTX_DEV_ZEROCOPY___v510 (1 << 3)

static __always_inline bool skb_frags_zerocopy(struct skb_shared_info *sh)
{
	if (bpf_core_field_exists(sh->flags))
		return BPF_CORE_READ(sh, flags) & SKBFL_ZEROCOPY_ENABLE;
	return BPF_CORE_READ((struct skb_shared_info___v510 *)sh, tx_flags) & SKBTX_DEV_ZEROCOPY___v510;
}

/*
 * ff07a02e9e8e "treewide: Rename enum req_opf into enum req_op" (6.0).
 * The values (READ 0, WRITE 1) never changed; CO-RE checks them anyway.
 */
enum req_opf___v510 {
	REQ_OP_READ___v510 = 0,
	REQ_OP_WRITE___v510 = 1,
};

static __always_inline bool bio_op_is(__u32 op, bool write)
{
	if (bpf_core_enum_value_exists(enum req_op, REQ_OP_WRITE))
		return op == (write ? bpf_core_enum_value(enum req_op, REQ_OP_WRITE)
				    : bpf_core_enum_value(enum req_op, REQ_OP_READ));
	return op == (write ? bpf_core_enum_value(enum req_opf___v510, REQ_OP_WRITE___v510)
			    : bpf_core_enum_value(enum req_opf___v510, REQ_OP_READ___v510));
}

/*
 * A task's state. 2f064a59a11f "sched: Change task_struct::state" (5.14)
 * renamed it __state. Only read where sched_switch has no prev_state
 * argument: fa2c3254d7cf "sched/tracing: Don't re-read p->state when
 * emitting sched_switch event" (5.18) added it, because a wakeup racing
 * with the switch can change the field before it is read (the same race
 * here, on 5.10 to 5.17).
 */
struct task_struct___v510 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline unsigned int task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___v510 *)t, state);
}

/*
 * 5.10's mappings: an rbtree, mm->mm_rb, of vm_area_structs linked by
 * vm_rb. d4af56c5c7c6 "mm: start tracking VMAs with maple tree" (6.1)
 * replaced it; bpf_find_vma() (7c7e3d31e785 "bpf: Introduce helper
 * bpf_find_vma", 5.17) is used where it exists.
 */
struct mm_struct___v510 {
	struct rb_root mm_rb;
} __attribute__((preserve_access_index));

struct vm_area_struct___v510 {
	struct rb_node vm_rb;
} __attribute__((preserve_access_index));

/*
 * io_uring's registered files. Jens Axboe's rsrc node rework (6.13;
 * release, commit and subject not verified) moved them from
 * ctx->file_table.files[] (struct io_fixed_file, sized by
 * ctx->nr_user_files; 6.1) to ctx->file_table.data.nodes[] (struct
 * io_rsrc_node; 6.18).
 */
struct io_file_table___v61 {
	void *files;
} __attribute__((preserve_access_index));

struct io_ring_ctx___v61 {
	struct io_file_table___v61 file_table;
	unsigned int nr_user_files;
	void *file_data;
} __attribute__((preserve_access_index));

/*
 * io_uring_complete's form. 6.1 passes the CQE's fields (user_data, res,
 * cflags, extra1, extra2) and fires before a ring slot is taken, so also
 * for a CQE that then overflows. Since "io_uring: pass struct io_uring_cqe
 * to trace_io_uring_complete" (6.12, release and commit not verified) it passes the
 * CQE in the ring and fires only once it is there: an overflowed CQE shows
 * at io_uring_cqe_overflow alone. clang 14 has no type match for the
 * tracepoint's prototype: user/kfeatures.c tests its fourth argument.
 */
static __always_inline bool uring_complete_has_cqe(void)
{
	extern const volatile bool targ_uring_cqe; /* maps.bpf.h, from user/kfeatures.c */

	return targ_uring_cqe;
}

#endif /* COMPAT_BPF_H */
