// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-eof: a writer writes --size bytes into a pipe and exits, closing the
 * only write end; only then does the reader (its parent) read: in --block
 * read()s until one returns 0, then once more. The textbook says: once the
 * data left in the pipe has been read, read() returns 0 (end of file), and
 * keeps returning 0.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compiler.h"
#include "pipe_tools.h"
#include "xproc.h"

#define EOF_MAX_SIZE (64 << 10) /* the writer fills the pipe before anyone reads */

static int prepare(struct run_ctx *ctx)
{
	if (ctx->opts.size > EOF_MAX_SIZE)
		return ctx_error(ctx, "--size must be at most %d: a pipe holds 64 KiB and "
				 "nobody reads before the writer has finished", EOF_MAX_SIZE);
	return prepare_blocks(ctx, "block", "no network device: the data crosses a pipe");
}

static int writer(struct run_ctx *ctx, void *arg)
{
	int *fds = arg;
	char *buf = xp_prefaulted(ctx->opts.block);
	uint64_t sent;

	if (!buf)
		return ctx_error(ctx, "out of memory");
	close(fds[0]);
	alarm(10); /* a pipe smaller than --size would block us for ever */
	phase_mark(PHASE_TRANSFER);
	sent = pt_write_pattern(fds[1], buf, ctx->opts.block, ctx->opts.size);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "writer", "bytes_written", sent);
	/* the last write end closes as this process exits */
	free(buf);
	return sent == ctx->opts.size ? 0 : ctx_error(ctx, "writer: write failed");
}

static int reader(struct run_ctx *ctx, void *arg UNUSED)
{
	size_t block = ctx->opts.block;
	uint64_t got = 0, bad = 0, data_reads = 0;
	long eof1, eof2;
	int fds[2], err1, err2;
	pid_t child;
	char *buf;
	ssize_t n;

	buf = xp_prefaulted(block);
	if (!buf)
		return ctx_error(ctx, "out of memory");
	if (pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	child = spawn(ctx, "writer", writer, fds);
	if (child < 0)
		return -1;
	close(fds[1]);
	/* everything is in the pipe and no write end is left when we start */
	if (wait_worker(ctx, child, "writer"))
		return -1;
	phase_mark(PHASE_TRANSFER);
	while ((n = read(fds[0], buf, block)) > 0) {
		bad += pattern_check(buf, n, got);
		got += n;
		data_reads++;
	}
	eof1 = n;
	err1 = errno;
	eof2 = read(fds[0], buf, block);
	err2 = errno;
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "reader", "bytes_read", got);
	fact_set(ctx, "reader", "words_mismatched", bad);
	fact_set(ctx, "reader", "data_reads", data_reads);
	pt_fact_call(ctx, "reader", "read_after_data", eof1, err1);
	pt_fact_call(ctx, "reader", "read_again", eof2, err2);
	close(fds[0]);
	free(buf);
	return 0;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "reader", reader, NULL);
}

const struct scenario scenario_pipe_eof = {
	.name = "pipe-eof",
	.summary = "a writer fills a pipe and exits; the reader drains it, then read() returns 0",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 16 << 10,
	.default_block = 4 << 10,
	.prepare = prepare,
	.run = run,
};
