// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "timing.h"
#include "xproc.h"

void *xp_shared(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void *xp_prefaulted(size_t len)
{
	void *buf = malloc(len);

	/*
	 * Not zero: the compiler turns malloc + memset(0) into calloc, which
	 * leaves fresh mmap'ed memory untouched, and the faults would come
	 * back inside the transfer's copy_to_user().
	 */
	if (buf)
		memset(buf, 0x5a, len);
	return buf;
}

/* Not FUTEX_PRIVATE_FLAG: the waiters live in different processes. */
static void futex_wait(uint32_t *word, uint32_t val)
{
	syscall(SYS_futex, word, FUTEX_WAIT, val, NULL, NULL, 0);
}

static void futex_wake_all(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

void xp_flag_wait(uint32_t *word)
{
	while (!__atomic_load_n(word, __ATOMIC_ACQUIRE))
		futex_wait(word, 0);
}

void xp_flag_raise(uint32_t *word)
{
	__atomic_store_n(word, 1, __ATOMIC_RELEASE);
	futex_wake_all(word);
}

void xp_barrier(uint32_t *count, uint32_t n)
{
	uint32_t c = __atomic_add_fetch(count, 1, __ATOMIC_ACQ_REL);

	if (c >= n) {
		futex_wake_all(count);
		return;
	}
	while ((c = __atomic_load_n(count, __ATOMIC_ACQUIRE)) < n)
		futex_wait(count, c);
}

uint64_t xp_now_ns(void)
{
	return clock_ns();
}

void xp_sleep_ns(uint64_t ns)
{
	sleep_for((struct timespec){ .tv_sec = ns / 1000000000ull, .tv_nsec = ns % 1000000000ull },
		  true);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t xp_median(uint64_t *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
