/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Sums of counter structs: every field a __u64 counter (struct ipct_counters, per-CPU rows). */
#ifndef U64SUM_H
#define U64SUM_H

#include <stddef.h>
#include <linux/types.h>

/*
 * Add the @size bytes of __u64 counters at @src to those at @dst. __u64,
 * the fields' own type, not uint64_t (unsigned long here, another type to
 * the compiler's aliasing rules: with it, -O2 kept reading the old value).
 */
static inline void u64_add_all(void *dst, const void *src, size_t size)
{
	__u64 *d = dst;
	const __u64 *s = src;

	for (size_t i = 0; i < size / sizeof(__u64); i++)
		d[i] += s[i];
}

#endif /* U64SUM_H */
