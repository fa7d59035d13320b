// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Tools of the pipe-family scenarios: see pipe_tools.h. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "pipe_tools.h"
#include "xproc.h"

void pt_fact_call(struct run_ctx *ctx, const char *role, const char *name, long ret, int err)
{
	char key[48];

	snprintf(key, sizeof(key), "%s_ret", name);
	fact_set(ctx, role, key, ret);
	snprintf(key, sizeof(key), "%s_errno", name);
	fact_set(ctx, role, key, pt_errno_of(ret, err));
}

/* The syscall @pid sleeps in: its number, or -1 when running or unknown. */
static long asleep_in(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long nr = -1;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	/* "running", or "NR ARG1..ARG6 SP PC" while it is blocked */
	if (fgets(line, sizeof(line), f) && strncmp(line, "running", 7))
		nr = strtol(line, NULL, 10);
	fclose(f);
	return nr;
}

int pt_wait_asleep_in(pid_t pid, long nr, unsigned timeout_ms)
{
	for (unsigned waited = 0; waited < timeout_ms; waited++) {
		if (asleep_in(pid) == nr)
			return 1;
		xp_sleep_ns(1000000); /* 1 ms */
	}
	return 0;
}

void pt_wait_no_reader(int wfd)
{
	/* no events asked: POLLERR (no reader) is reported all the same */
	struct pollfd p = { .fd = wfd };

	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
}

uint64_t pt_write_pattern(int fd, void *buf, size_t block, uint64_t size)
{
	uint64_t sent = 0;

	while (sent < size) {
		size_t n = size - sent < block ? size - sent : block;

		pattern_fill(buf, n, sent);
		if (write_all(fd, buf, n))
			break;
		sent += n;
	}
	return sent;
}

uint64_t pt_pattern_offset(uint64_t word)
{
	const uint64_t k = pattern_word(0); /* the multiplier: odd */
	uint64_t inv = k;

	/* Newton's iteration doubles the correct low bits each step: 3, 6, ..., 96 */
	for (int i = 0; i < 5; i++)
		inv *= 2 - k * inv;
	return word * inv - 1;
}
