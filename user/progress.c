// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A run's elapsed time on a terminal: see progress.h. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const char *what;
	bool running, stop, shown;
} pg = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void *progress_main(void *arg)
{
	struct timespec at;
	long s = 0;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &at);
	pthread_mutex_lock(&pg.lock);
	while (!pg.stop) {
		at.tv_sec++;
		if (pthread_cond_timedwait(&pg.cond, &pg.lock, &at) == 0 || pg.stop)
			continue;
		if (++s < 2)
			continue; /* a short run (loading the BPF programs takes ~1 s) shows nothing */
		fprintf(stderr, "\r\033[K%s: %ld s", pg.what, s);
		pg.shown = true;
	}
	if (pg.shown)
		fprintf(stderr, "\r\033[K");
	pthread_mutex_unlock(&pg.lock);
	return NULL;
}

void progress_start(const char *what)
{
	pthread_condattr_t ca;
	sigset_t all, old;

	if (pg.running || !isatty(STDERR_FILENO))
		return;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pg.cond, &ca);
	pthread_condattr_destroy(&ca);
	pg.what = what;
	pg.stop = pg.shown = false;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pg.running = pthread_create(&pg.thread, NULL, progress_main, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void progress_stop(void)
{
	if (!pg.running)
		return;
	pthread_mutex_lock(&pg.lock);
	pg.stop = true;
	pthread_cond_signal(&pg.cond);
	pthread_mutex_unlock(&pg.lock);
	pthread_join(pg.thread, NULL);
	pthread_cond_destroy(&pg.cond);
	pg.running = false;
}
