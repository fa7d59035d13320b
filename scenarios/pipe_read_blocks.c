// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-read-blocks: the reader read()s an empty pipe whose write end is
 * open; the writer writes one byte 50 ms later. The reader's transfer phase
 * is that one read: it must sleep inside it (a voluntary context switch
 * during a data syscall) until the byte comes (pipe.read-blocks).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "scenario.h"
#include "xproc.h"

#define DELAY_NS 50000000ull

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "read";
	ctx->units = 1;
	ctx->nic_reason = "no network device: a pipe";
	return 0;
}

static int reader(struct run_ctx *ctx, void *arg)
{
	int *fds = arg;
	char *buf = xp_prefaulted(4096);
	uint64_t t0, t1;
	ssize_t n;

	close(fds[1]);
	t0 = xp_now_ns();
	phase_mark(PHASE_TRANSFER);
	n = read(fds[0], buf, 4096);
	phase_mark(PHASE_TEARDOWN);
	t1 = xp_now_ns();
	fact_set(ctx, "reader", "read_ret", n);
	fact_set(ctx, "reader", "read_ns", t1 - t0);
	fact_set(ctx, "reader", "writer_delay_ns", DELAY_NS);
	return n == 1 ? 0 : ctx_error(ctx, "read returned %zd", n);
}

static int writer(struct run_ctx *ctx, void *arg)
{
	int fds[2];
	pid_t child;

	if (pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	child = spawn(ctx, "reader", reader, fds);
	if (child < 0)
		return -1;
	close(fds[0]);
	xp_sleep_ns(DELAY_NS); /* the reader is asleep in read() by then */
	phase_mark(PHASE_TRANSFER);
	if (write(fds[1], "x", 1) != 1)
		return ctx_error(ctx, "write: %s", strerror(errno));
	phase_mark(PHASE_TEARDOWN);
	close(fds[1]);
	return wait_worker(ctx, child, "reader");
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "writer", writer, NULL);
}

const struct scenario scenario_pipe_read_blocks = {
	.name = "pipe-read-blocks",
	.summary = "read() of an empty pipe with a writer alive sleeps until data comes",
	.prepare = prepare,
	.run = run,
};
