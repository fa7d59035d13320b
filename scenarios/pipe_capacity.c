// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-capacity: how much a pipe takes with nobody reading, and that a
 * writer then sleeps (pipe.write-blocks). For each write size, a fresh pipe
 * is filled with O_NONBLOCK writes until EAGAIN: the bytes accepted are its
 * real capacity for that size (a pipe holds 16 page-sized buffers; small
 * writes are merged into the last page's free room, larger ones are not).
 * Then a "filler" fills a pipe and makes one blocking write, which must
 * sleep until a "drainer" starts reading 50 ms later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "scenario.h"
#include "xproc.h"

#define DELAY_NS 50000000ull

static const int sizes[] = { 1, 100, 4096, 4097, 65536 };

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "blocking write";
	ctx->units = 1;
	ctx->nic_reason = "no network device: a pipe";
	return 0;
}

/* Write @size-byte chunks into non-blocking @fd until EAGAIN: bytes accepted. */
static int64_t fill(int fd, const char *buf, int size, int64_t *writes)
{
	int64_t total = 0;
	ssize_t n;

	*writes = 0;
	while ((n = write(fd, buf, size)) > 0) {
		total += n;
		(*writes)++;
	}
	return n < 0 && errno == EAGAIN ? total : -1;
}

static int measure(struct run_ctx *ctx, const char *buf, int size)
{
	int fds[2];
	int64_t writes, total;
	char key[48];

	if (pipe2(fds, O_NONBLOCK))
		return ctx_error(ctx, "pipe2: %s", strerror(errno));
	if (size == sizes[0])
		fact_set(ctx, "prober", "pipe_size", fcntl(fds[1], F_GETPIPE_SZ));
	total = fill(fds[1], buf, size, &writes);
	snprintf(key, sizeof(key), "cap_%d_bytes", size);
	fact_set(ctx, "prober", key, total);
	snprintf(key, sizeof(key), "cap_%d_writes", size);
	fact_set(ctx, "prober", key, writes);
	close(fds[0]);
	close(fds[1]);
	return total < 0 ? ctx_error(ctx, "filling a pipe with %d-byte writes failed", size) : 0;
}

static int prober(struct run_ctx *ctx, void *arg)
{
	char *buf = xp_prefaulted(65536);

	if (!buf)
		return -1;
	phase_mark(PHASE_TRANSFER);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (measure(ctx, buf, sizes[i]))
			return -1;
	phase_mark(PHASE_TEARDOWN);
	return 0;
}

static int drainer(struct run_ctx *ctx, void *arg)
{
	int *fds = arg;
	char *buf = xp_prefaulted(65536);
	int64_t got = 0;
	ssize_t n;

	close(fds[1]);
	xp_sleep_ns(DELAY_NS);
	while ((n = read(fds[0], buf, 65536)) > 0)
		got += n;
	fact_set(ctx, "drainer", "bytes_read", got);
	return 0;
}

static int filler(struct run_ctx *ctx, void *arg)
{
	char *buf = xp_prefaulted(4096);
	int fds[2];
	int64_t writes, before;
	uint64_t t0;
	ssize_t n;
	pid_t child;

	if (!buf || pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	before = fill(fds[1], buf, 4096, &writes);
	fcntl(fds[1], F_SETFL, 0);
	child = spawn(ctx, "drainer", drainer, fds);
	if (child < 0)
		return -1;
	close(fds[0]);
	t0 = xp_now_ns();
	phase_mark(PHASE_TRANSFER);
	n = write(fds[1], buf, 4096); /* the pipe is full: this sleeps */
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "filler", "bytes_before_full", before);
	fact_set(ctx, "filler", "blocking_write_ret", n);
	fact_set(ctx, "filler", "blocking_write_ns", xp_now_ns() - t0);
	fact_set(ctx, "filler", "drainer_delay_ns", DELAY_NS);
	close(fds[1]);
	return wait_worker(ctx, child, "drainer");
}

static int run(struct run_ctx *ctx)
{
	pid_t pids[2];

	pids[0] = spawn(ctx, "prober", prober, NULL);
	if (pids[0] < 0 || wait_worker(ctx, pids[0], "prober"))
		return -1;
	pids[1] = spawn(ctx, "filler", filler, NULL);
	return pids[1] < 0 ? -1 : wait_worker(ctx, pids[1], "filler");
}

const struct scenario scenario_pipe_capacity = {
	.name = "pipe-capacity",
	.summary = "bytes a pipe takes before a writer would sleep, by write size; the sleep itself",
	.prepare = prepare,
	.run = run,
};
