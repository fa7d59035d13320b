// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-eof: a writer writes three blocks and closes its end; the reader
 * drains them, and its next read()s return 0: end of file (pipe.eof). The
 * reader's reads after the data are its transfer phase, on their own.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "scenario.h"
#include "xproc.h"

#define BLOCK 4096
#define BLOCKS 3

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "read after the data";
	ctx->units = 2;
	ctx->nic_reason = "no network device: a pipe";
	return 0;
}

static int reader(struct run_ctx *ctx, void *arg)
{
	int *fds = arg;
	char *buf = xp_prefaulted(BLOCK);
	uint64_t bad = 0, got;
	ssize_t eof1, eof2;

	close(fds[1]); /* else this process itself would hold a write end open */
	got = read_checked(fds[0], buf, BLOCK, BLOCKS * BLOCK, &bad);
	phase_mark(PHASE_TRANSFER);
	eof1 = read(fds[0], buf, BLOCK);
	eof2 = read(fds[0], buf, BLOCK);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "reader", "bytes_read", got);
	fact_set(ctx, "reader", "words_mismatched", bad);
	fact_set(ctx, "reader", "read_after_data_ret", eof1);
	fact_set(ctx, "reader", "read_again_ret", eof2);
	return 0;
}

static int writer(struct run_ctx *ctx, void *arg)
{
	char *buf = xp_prefaulted(BLOCKS * BLOCK);
	int fds[2];
	pid_t child;

	if (!buf || pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	child = spawn(ctx, "reader", reader, fds);
	if (child < 0)
		return -1;
	close(fds[0]);
	pattern_fill(buf, BLOCKS * BLOCK, 0);
	phase_mark(PHASE_TRANSFER);
	if (write_all(fds[1], buf, BLOCKS * BLOCK))
		return ctx_error(ctx, "write: %s", strerror(errno));
	close(fds[1]); /* the last write end */
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "writer", "bytes_written", BLOCKS * BLOCK);
	return wait_worker(ctx, child, "reader");
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "writer", writer, NULL);
}

const struct scenario scenario_pipe_eof = {
	.name = "pipe-eof",
	.summary = "the writer closes: the reader drains the data, then read() returns 0",
	.prepare = prepare,
	.run = run,
};
