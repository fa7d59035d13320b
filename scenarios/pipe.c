// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe: a writer sends --size bytes in --block-byte write()s through a pipe
 * to the child it forked, which read()s and checks them. The textbook
 * says: one copy user -> kernel ring on write, one kernel -> user on read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compiler.h"
#include "scenario.h"
#include "xproc.h"

static int prepare(struct run_ctx *ctx)
{
	return prepare_blocks(ctx, "block", "no network device: the data crosses a pipe");
}


static int reader(struct run_ctx *ctx, void *arg)
{
	int *fds = arg;
	size_t block = ctx->opts.block;
	uint64_t got, bad = 0;
	char *buf;

	close(fds[1]);
	buf = xp_prefaulted(block);
	if (!buf)
		return -1;
	phase_mark(PHASE_TRANSFER);
	got = read_checked(fds[0], buf, block, ctx->opts.size, &bad);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "reader", "bytes_read", got);
	fact_set(ctx, "reader", "words_mismatched", bad);
	fact_set(ctx, "reader", "read_after_writer_closed", read(fds[0], buf, block));
	free(buf);
	return got == ctx->opts.size && !bad ? 0 : -1;
}

static int writer(struct run_ctx *ctx, void *arg UNUSED)
{
	int fds[2];
	size_t block = ctx->opts.block;
	uint64_t sent = 0;
	pid_t child;
	char *buf;

	if (pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	child = spawn(ctx, "reader", reader, fds);
	if (child < 0)
		return -1;
	close(fds[0]);
	buf = xp_prefaulted(block);
	if (!buf)
		return -1;
	phase_mark(PHASE_TRANSFER);
	while (sent < ctx->opts.size) {
		size_t n = ctx->opts.size - sent < block ? ctx->opts.size - sent : block;

		pattern_fill(buf, n, sent);
		if (write_all(fds[1], buf, n))
			break;
		sent += n;
	}
	phase_mark(PHASE_TEARDOWN);
	close(fds[1]);
	fact_set(ctx, "writer", "bytes_written", sent);
	free(buf);
	return wait_worker(ctx, child, "reader") || sent != ctx->opts.size ? -1 : 0;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "writer", writer, NULL);
}

const struct scenario scenario_pipe = {
	.name = "pipe",
	.summary = "a writer sends --size bytes in --block writes through a pipe to its child",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 16 << 20,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
