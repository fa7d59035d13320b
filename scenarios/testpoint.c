// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Test-only pause points: see testpoint.h. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "testpoint.h"

void test_point(const char *name)
{
	static const char *want;
	static int looked, paused;
	struct timespec limit = { 10, 0 };
	sigset_t stops, old;

	if (!looked) {
		want = getenv("IPCTRACE_TEST_PAUSE");
		looked = 1;
	}
	if (!want)
		return;
	if (paused || strcmp(want, name)) {
		fprintf(stderr, "ipctrace-test: at %s (pid %d)\n", name, (int)getpid());
		return;
	}
	paused = 1;
	/*
	 * Block the stop signals before saying where we are, and take them
	 * only inside ppoll(): one sent as soon as the marker is read cannot
	 * slip in before the wait and leave it sleeping 10 s.
	 */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, &old);
	fprintf(stderr, "ipctrace-test: at %s (pid %d), waiting for a signal\n", name,
		(int)getpid());
	ppoll(NULL, 0, &limit, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}
