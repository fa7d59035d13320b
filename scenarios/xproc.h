/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Tools the FIFO, socket and notification scenarios share to coordinate
 * their processes: memory shared across fork, futex flags and barriers that
 * keep waiting out of the transfer phase, buffers faulted in ahead of time,
 * and the monotonic clock in nanoseconds.
 */
#ifndef XPROC_H
#define XPROC_H

#include <stddef.h>
#include <stdint.h>

/* Zeroed MAP_SHARED anonymous memory, inherited by workers forked later; NULL on failure. */
void *xp_shared(size_t len);
/* A malloc'ed buffer of @len bytes (not zeroed), written once so its faults stay in setup. */
void *xp_prefaulted(size_t len);

/* Wait until *@word is non-zero (futex; no busy loop). */
void xp_flag_wait(uint32_t *word);
/* Set *@word to 1 and wake its waiters. */
void xp_flag_raise(uint32_t *word);
/*
 * Count the caller into a barrier of @n processes on *@count and wait for
 * the others; the count only grows, so a barrier word serves once.
 */
void xp_barrier(uint32_t *count, uint32_t n);

uint64_t xp_now_ns(void);
void xp_sleep_ns(uint64_t ns);
/* Median of @n values (sorts @v in place); 0 for none. */
uint64_t xp_median(uint64_t *v, size_t n);

#endif /* XPROC_H */
