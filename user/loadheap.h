/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * malloc tuned for libbpf's BTF buffers during the load (loadheap.c says
 * why and what it measured), and glibc's defaults again after it.
 */
#ifndef LOADHEAP_H
#define LOADHEAP_H

/* Large blocks from the heap, in a region advised for huge pages. */
void heap_for_load(void);
/* glibc's defaults again (the mmap threshold then stays fixed, not adaptive); memory given back. */
void heap_after_load(void);

#endif /* LOADHEAP_H */
