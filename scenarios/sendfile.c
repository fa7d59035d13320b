// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sendfile: a sender pushes a --size file with sendfile() calls of --block
 * bytes into a TCP loopback socket, a unix socket, a pipe or a regular
 * file; a receiver read()s and checks the data (for a file, the sender
 * checks the copy afterwards). --cold evicts the file from the page cache
 * first, and records whether it really left. The destination, receiver
 * and eviction are shared with the other transfer scenarios (transfer.c).
 */
#include <errno.h>
#include <string.h>
#include <sys/sendfile.h>
#include "transfer.h"

static int prepare(struct run_ctx *ctx)
{
	return transfer_prepare(ctx, "tcp", "sendfile call");
}

static int sender(struct run_ctx *ctx, void *arg)
{
	struct transfer t;
	off_t off = 0;
	int err = 0;

	if (transfer_open(ctx, arg, &t))
		return -1;
	phase_mark(PHASE_TRANSFER);
	while ((uint64_t)off < ctx->opts.size) {
		ssize_t n = sendfile(t.out, t.in, &off, block_at(ctx, off));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = ctx_error(ctx, "sendfile: %s", n ? strerror(errno) : "no progress");
			break;
		}
	}
	phase_mark(PHASE_TEARDOWN);
	return transfer_close(ctx, &t, off, err);
}

static int run(struct run_ctx *ctx)
{
	return transfer_run(ctx, sender);
}

const struct scenario scenario_sendfile = {
	.name = "sendfile",
	.summary = "sendfile() of a file into a TCP, unix socket, pipe or file (--to), --cold",
	.opts = OPT_SIZE | OPT_BLOCK | OPT_TO | OPT_COLD,
	.to_kinds = "tcp|unix|pipe|file",
	.default_size = 16 << 20,
	.needs = NEED_DISK,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
