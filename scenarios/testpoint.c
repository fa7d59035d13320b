// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Test-only hooks: see testpoint.h. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "stopsig.h"
#include "testpoint.h"

static const char *const point_names[NR_TEST_POINTS] = {
	[TP_START] = "start",       [TP_TMPDIR] = "tmpdir",     [TP_LOAD] = "load",
	[TP_ATTACH] = "attach",     [TP_RUN] = "run",           [TP_COLLECT] = "collect",
	[TP_REPORT] = "report",     [TP_SETUP] = "setup",       [TP_TRANSFER] = "transfer",
	[TP_TEARDOWN] = "teardown", [TP_COMMAND] = "command",   [TP_WAIT] = "wait",
};

static const char *const hook_vars[NR_TEST_HOOKS] = {
	[TEST_PAUSE] = "IPCTRACE_TEST_PAUSE",
	[TEST_HIDE] = "IPCTRACE_TEST_HIDE",
	[TEST_NO_CORE_BTF] = "IPCTRACE_TEST_NO_CORE_BTF",
	[TEST_BTF_LIBBPF] = "IPCTRACE_TEST_BTF_LIBBPF",
	[TEST_TP_ARGS_LOAD] = "IPCTRACE_TEST_TP_ARGS_LOAD",
	[TEST_INSNS] = "IPCTRACE_TEST_INSNS",
	[TEST_LACK] = "IPCTRACE_TEST_LACK",
	[TEST_ACC_ENTRIES] = "IPCTRACE_TEST_ACC_ENTRIES",
};

const char *test_hook(enum test_hook hook)
{
	return getenv(hook_vars[hook]);
}

void test_point(enum test_point point)
{
	static const char *want;
	static int looked, paused;
	const char *name = point_names[point];
	struct timespec limit = { 10, 0 };
	sigset_t stops, old;

	if (!looked) {
		want = test_hook(TEST_PAUSE);
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
	stop_signals_add(&stops);
	sigprocmask(SIG_BLOCK, &stops, &old);
	fprintf(stderr, "ipctrace-test: at %s (pid %d), waiting for a signal\n", name,
		(int)getpid());
	ppoll(NULL, 0, &limit, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}
