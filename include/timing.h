/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The monotonic clock (bpf_ktime_get_ns()'s) and sleeping, for every part of ipctrace. */
#ifndef TIMING_H
#define TIMING_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Seconds on the same clock, for durations. */
static inline double clock_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Sleep for @ts. A caught signal ends the sleep early (the caller can look
 * at why), unless @whole: then it sleeps what is left.
 */
static inline void sleep_for(struct timespec ts, bool whole)
{
	while (nanosleep(&ts, &ts) && errno == EINTR && whole)
		;
}

static inline void sleep_s(double s, bool whole)
{
	sleep_for((struct timespec){ (time_t)s, (long)((s - (time_t)s) * 1e9) }, whole);
}

#endif /* TIMING_H */
