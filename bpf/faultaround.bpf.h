/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Pages that fault-around mapped. filemap:mm_filemap_map_pages gives the
 * window [start_pgoff, end_pgoff] do_fault_around() asked for, not what
 * filemap_map_pages() mapped: pages already mapped, not cached or not
 * uptodate are skipped, and since "mm/filemap: map entire large folio
 * faultaround" (Kiryl Shutsemau, 6.18; commit not verified) a large folio
 * that fits the VMA and the page table is mapped whole, beyond the window.
 * A 64 MiB mmap read of a file cached in large folios maps 16,384 pages in
 * ~450 faults whose windows add up to ~7,200 (`iowork mapread`).
 *
 * What filemap_map_pages() mapped it adds to the mm's file RSS counter
 * (add_mm_counter(mm, MM_FILEPAGES or MM_SHMEMPAGES, rss)) just before the
 * tracepoint. Those counters are percpu_counters (6.2+): a global count
 * and a per-CPU delta each, so their sum over the possible CPUs is the
 * mm's file RSS. It is read at a user fault's entry on a file mapping
 * (fault_around_arm) and again at the tracepoint: the difference is the
 * pages that fault-around mapped (a fault in kernel mode, copy_from_user
 * from a file mapping, is taken likewise). Exact unless another thread of
 * the mm, or reclaim, changes those counters in between. A fault-around
 * with no fault of its own (get_user_pages: MAP_POPULATE, mlock, madvise
 * populate) is counted as not measured
 * (pc_faultaround_unmeasured), its window in no figure. Likewise the pages
 * a file fault maps itself (finish_fault(): on 6.18 the whole large folio
 * where it fits, not one page): the RSS at mm_filemap_fault, and again at
 * the rss_stat tracepoint that follows the add (pc_fault_pages); a private
 * write fault (do_cow_fault) adds an anonymous page instead, the copy of
 * the one page filemap_fault served: 1.
 *
 * Only where mm_filemap_map_pages exists (6.11+; targ_fault_around_rss,
 * set by user/tracer.c): before that the code below is dead, and 5.10 and
 * 6.1's rss_stat (atomics in struct mm_rss_stat) never relocate into it.
 */
#ifndef FAULTAROUND_BPF_H
#define FAULTAROUND_BPF_H

#include "maps.bpf.h"
#include "compat.bpf.h"
#include "track.bpf.h"
#include "io.bpf.h"

/* include/linux/mm_types_task.h: an anonymous enum, unchanged since 4.5 */
#define MM_FILEPAGES_ 0
#define MM_ANONPAGES_ 1
#define MM_SHMEMPAGES_ 3

#define RSS_MAX_CPUS 512 /* the sum of more CPUs than this is not taken: unmeasured */

/*
 * Each CPU's per-CPU offset (__per_cpu_offset[cpu]), which the kernel
 * does not name to BPF here: `this_cpu_off` as a typed ksym needs its
 * address from kallsyms, which has no data symbols without
 * CONFIG_KALLSYMS_ALL (this kernel: "ldimm64 failed to find the address
 * for kernel symbol"). A per-CPU map's value of CPU n is its per-CPU
 * pointer (bpf_array.pptrs[0]) plus that offset, as any alloc_percpu()
 * memory's: so the offset is the difference.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cpu_offsets SEC(".maps");

/* A pointer's value as a plain number (tracing programs may read it). */
static __always_inline __u64 ptr_bits(const void *p)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &p);
	return v;
}

/* The per-CPU base of cpu_offsets (its bpf_array's pptrs[0]); 0 if unread. */
static __always_inline __u64 cpu_offsets_base(void)
{
	__u64 base = 0;

	bpf_probe_read_kernel(&base, sizeof(base),
			      (void *)(ptr_bits(&cpu_offsets) +
				       bpf_core_field_offset(struct bpf_array, pptrs)));
	return base;
}

#define RSS_NONE (-0x4000000000000000LL) /* no sum taken */

/*
 * The sum over CPUs of the percpu_counter at @pc (percpu_counter_sum()),
 * @base: cpu_offsets_base(); RSS_NONE where not taken. A global function
 * of scalars, verified once in each of the four programs that call it
 * (inlined, once per call); its loop ends at targ_nr_cpus, which the
 * verifier knows: with 512 it walked 17,000 instructions in each. Where
 * nothing is measured (5.10, 6.1) its body is dead code, helper 195 included.
 */
__noinline __s64 rss_counter_sum(__u64 pc, __u64 base)
{
	__u64 ctrs, off;
	__u32 zero = 0;
	__s64 sum;
	void *v;
	__s32 n;

	if ((!targ_fault_around_rss && !targ_fault_pages_rss) || !pc || !base)
		return RSS_NONE;
	ctrs = (__u64)BPF_CORE_READ((struct percpu_counter *)pc, counters);
	sum = BPF_CORE_READ((struct percpu_counter *)pc, count);
	for (__u32 cpu = 0; cpu < RSS_MAX_CPUS; cpu++) {
		/* a constant to the verifier: it walks the machine's CPUs, not 512 */
		if (cpu >= targ_nr_cpus)
			return sum;
		v = bpf_map_lookup_percpu_elem(&cpu_offsets, &zero, cpu);
		if (!v)
			return sum; /* past nr_cpu_ids */
		off = ptr_bits(v) - base;
		n = 0;
		bpf_probe_read_kernel(&n, sizeof(n), (void *)(ctrs + off));
		sum += n;
	}
	return RSS_NONE;
}

/* The file and shmem pages @mm maps; false where not taken. */
static __always_inline bool mm_file_rss(struct mm_struct *mm, __s64 *pages)
{
	__u64 base = cpu_offsets_base();
	__s64 file, shmem;

	if (!base || !mm)
		return false;
	/* as numbers: a global function takes no pointer into the kernel's memory */
	file = rss_counter_sum(ptr_bits(&mm->rss_stat[MM_FILEPAGES_]), base);
	shmem = rss_counter_sum(ptr_bits(&mm->rss_stat[MM_SHMEMPAGES_]), base);
	if (file == RSS_NONE || shmem == RSS_NONE)
		return false;
	*pages = file + shmem;
	return true;
}

/* fa_armed: what the file RSS in fa_rss was taken before; _DONE: measured (fa_last) */
enum { FA_NONE, FA_AROUND, FA_FAULT, FA_AROUND_DONE, FA_FAULT_DONE };

/* @th's mm's file RSS now, before @what; @enabled: measured at all. */
static __always_inline void rss_arm(struct ipct_thread *th, __u32 what, bool enabled)
{
	struct mm_struct *mm = BPF_CORE_READ(current_task(), mm);

	if (!enabled || !th)
		return;
	th->fa_armed = mm_file_rss(mm, &th->fa_rss) ? what : FA_NONE;
	th->fa_mm = (__u64)mm;
}

/* A user fault on a file mapping: the mm's file RSS before its fault-around. */
static __always_inline void fault_around_arm(struct ipct_thread *th)
{
	rss_arm(th, FA_AROUND, targ_fault_around_rss);
}

/* A user fault on anonymous memory, or a write fault (no fault-around): nothing armed is about it. */
static __always_inline void fault_disarm(struct ipct_thread *th)
{
	if (th)
		th->fa_armed = FA_NONE;
}

/*
 * filemap_fault begins: the file RSS before the fault maps its page (6.18's
 * finish_fault() maps the page's whole large folio where it fits). A fault
 * retried (VM_FAULT_RETRY, after starting I/O) maps nothing and is taken
 * again: counted once.
 */
static __always_inline void fault_own_arm(void)
{
	rss_arm(thread_of(current_task(), true), FA_FAULT, targ_fault_pages_rss);
}

/*
 * rss_stat(@mm, @member), right after add_mm_counter(): the pages that
 * fault-around (filemap_map_pages(), or its PMD mapping of a whole folio,
 * which returns before mm_filemap_map_pages) or the fault itself
 * (finish_fault()) just mapped, if this thread armed for it.
 */
static __always_inline void fault_rss_changed(struct mm_struct *mm, int member)
{
	struct ipct_counters *c;
	struct ipct_thread *th;
	__u32 what;
	__s64 now;

	/* every process's RSS changes come here: the untraced leave at one array index */
	if ((!targ_fault_around_rss && !targ_fault_pages_rss) || !(c = current_counters()))
		return;
	th = thread_of(current_task(), false);
	if (!th || th->fa_armed == FA_NONE || th->fa_mm != (__u64)mm)
		return;
	if (member == MM_ANONPAGES_) {
		/* a private write fault copied the page filemap_fault served (do_cow_fault) */
		if (th->fa_armed == FA_FAULT) {
			th->fa_armed = FA_NONE;
			count(&c->pc_fault_pages, 1);
		}
		return;
	}
	if (member != MM_FILEPAGES_ && member != MM_SHMEMPAGES_)
		return;
	if (th->fa_armed != FA_AROUND && th->fa_armed != FA_FAULT) {
		th->fa_armed = FA_NONE; /* a change after the measured one: no longer the fault's */
		return;
	}
	what = th->fa_armed;
	th->fa_armed = what == FA_AROUND ? FA_AROUND_DONE : FA_FAULT_DONE;
	th->fa_last = 0;
	if (!mm_file_rss(mm, &now) || now <= th->fa_rss)
		return;
	th->fa_last = now - th->fa_rss;
	if (what == FA_AROUND)
		count(&c->pc_faultaround_pages, th->fa_last);
	else
		count(&c->pc_fault_pages, th->fa_last);
}

/*
 * mm_filemap_map_pages: a fault-around done. Measured as the fault's own
 * (FA_FAULT_DONE) when a filemap_fault that returned VM_FAULT_RETRY armed
 * last and the fault was retried without a user fault entry of its own:
 * moved to fault-around. Not measured if nothing armed for it.
 */
static __always_inline void fault_around_done(struct ipct_counters *c)
{
	struct ipct_thread *th = thread_of(current_task(), false);

	if (!targ_fault_around_rss) { /* page_fault_user not attached: nothing armed */
		count(&c->pc_faultaround_unmeasured, 1);
		return;
	}
	if (th && th->fa_armed == FA_FAULT_DONE && targ_fault_pages_rss) {
		__sync_fetch_and_add(&c->pc_fault_pages, -th->fa_last);
		count(&c->pc_faultaround_pages, th->fa_last);
	} else if (!th || th->fa_armed != FA_AROUND_DONE) {
		count(&c->pc_faultaround_unmeasured, 1);
	}
	if (th)
		th->fa_armed = FA_NONE;
}

#endif /* FAULTAROUND_BPF_H */
