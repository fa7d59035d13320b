// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * splice: the sender moves each --block of a --size file to the
 * destination (--to, TCP loopback by default) through a pipe of its own,
 * with two splice() calls: file -> pipe, then pipe -> destination. The
 * pipe only ever holds references to page-cache pages, so into a socket
 * or a pipe no CPU copy is expected on the sender (into a regular file the
 * kernel copies). The pipe is made one block big, so that one block takes
 * exactly one call each way. The receiver is sendfile's. --cold evicts the
 * file first.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "transfer.h"

static int prepare(struct run_ctx *ctx)
{
	return transfer_prepare(ctx, "tcp", "block");
}

static int sender(struct run_ctx *ctx, void *arg)
{
	struct transfer t;
	loff_t off = 0;
	int pfd[2], err = 0;

	if (transfer_open(ctx, arg, &t) || pipe_sized(ctx, pfd, ctx->opts.block))
		return -1;
	phase_mark(PHASE_TRANSFER);
	while ((uint64_t)off < ctx->opts.size) {
		ssize_t n = splice(t.in, &off, pfd[1], NULL, block_at(ctx, off), SPLICE_F_MOVE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = ctx_error(ctx, "splice from the file: %s",
					n ? strerror(errno) : "early EOF");
			break;
		}
		err = splice_out(ctx, pfd[0], t.out, n);
		if (err)
			break;
	}
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "sender", "pipe_size", fcntl(pfd[1], F_GETPIPE_SZ));
	close(pfd[0]);
	close(pfd[1]);
	return transfer_close(ctx, &t, off, err);
}

static int run(struct run_ctx *ctx)
{
	return transfer_run(ctx, sender);
}

const struct scenario scenario_splice = {
	.name = "splice",
	.summary = "splice() a file into a pipe and on into TCP, unix, pipe or file (--to), --cold",
	.opts = OPT_SIZE | OPT_BLOCK | OPT_TO | OPT_COLD,
	.to_kinds = "tcp|unix|pipe|file",
	.default_size = 16 << 20,
	.needs = NEED_DISK,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
