/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Test-only: named points of a run where a test can interrupt it exactly.
 *
 * With IPCTRACE_TEST_PAUSE=POINT in the environment, every process of a
 * run (ipctrace and its workers) prints "ipctrace-test: at NAME (pid PID)"
 * on stderr at each named point it passes, and at the point named POINT
 * it waits, once, for a signal (10 s at most) before going on. A test reads
 * the markers and sends SIGINT/SIGTERM/SIGHUP to ipctrace, or SIGKILL to
 * the worker, at that moment (tests/integration/test_interrupt.c). Any
 * value that names no point (e.g. "none") prints the markers without
 * waiting. Unset, as for every user, test_point() does nothing.
 *
 * Points: start, tmpdir, load, attach, run, collect, report (ipctrace run);
 * setup, transfer, teardown (in each worker); start, load, attach,
 * command, wait, collect, report (ipctrace trace).
 */
#ifndef TESTPOINT_H
#define TESTPOINT_H

void test_point(const char *name);

#endif
