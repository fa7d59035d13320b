// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* malloc tuned for the BPF load, and back: see loadheap.h. */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "loadheap.h"

/*
 * Where the kernel's BTF cannot be mapped (before 6.16, e.g. Debian's 6.1),
 * libbpf 1.1 reads it (5.5 MB on 6.18) into one buffer and copies it into
 * another, for the probe and again for the load when an fexit program
 * loads: thousands of page faults on fresh memory, which cost ~40 ms of
 * start-up on a machine where faults are dear (measured with
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1: 4,717 faults -> ~1,450, 150 ->
 * 110 ms; btf__load_vmlinux_btf() alone 51 ms -> 8 to 20 ms). So large
 * blocks come from the heap (not fresh mmaps) for the load, in a region
 * advised for transparent huge pages, so they fault 2 MB at a time;
 * heap_after_load() gives the memory back when tracer_start() returns,
 * before any worker is forked, whether the load worked or not. With the
 * mapped BTF (6.18), nothing that large is allocated any more: start-up
 * with and without this was the same (30.7-30.8 against 29.1-31.4 ms,
 * medians of 9, alternated).
 */
#define BTF_HEAP (24UL << 20) /* under glibc's largest mmap threshold, 32 MB */
#define HUGE_PAGE (2UL << 20)

void heap_for_load(void)
{
	uintptr_t lo, hi;
	char *p;

	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, (int)(2 * BTF_HEAP));
	p = malloc(BTF_HEAP);
	if (!p)
		return;
	lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	hi = ((uintptr_t)p + BTF_HEAP) & ~(HUGE_PAGE - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	free(p); /* stays in the heap, above the trim threshold's reach */
}

void heap_after_load(void)
{
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
	malloc_trim(0);
}
