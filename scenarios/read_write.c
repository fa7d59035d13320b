// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * read-write: "traditional I/O". The sender read()s each --block of a
 * --size file into a user buffer and write()s it to the destination (--to,
 * TCP loopback by default); the receiver is sendfile's. The textbook says
 * per block: 4 copies (disk DMA, page cache -> user, user -> socket buffer,
 * NIC DMA) and 4 context switches (two syscalls). --cold evicts the file
 * first so the disk DMA shows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "transfer.h"
#include "xproc.h"

static int prepare(struct run_ctx *ctx)
{
	return transfer_prepare(ctx, "tcp", "block");
}

static int sender(struct run_ctx *ctx, void *arg)
{
	struct transfer t;
	uint64_t off = 0;
	char *buf;
	int err = 0;

	if (transfer_open(ctx, arg, &t))
		return -1;
	buf = xp_prefaulted(ctx->opts.block); /* its faults belong to setup */
	if (!buf)
		return ctx_error(ctx, "no memory for a %llu-byte buffer",
				 (unsigned long long)ctx->opts.block);
	phase_mark(PHASE_TRANSFER);
	while (off < ctx->opts.size) {
		ssize_t n = read(t.in, buf, block_at(ctx, off));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = ctx_error(ctx, "read: %s", n ? strerror(errno) : "early EOF");
			break;
		}
		if (write_all(t.out, buf, n)) {
			err = ctx_error(ctx, "write: %s", strerror(errno));
			break;
		}
		off += n;
	}
	phase_mark(PHASE_TEARDOWN);
	free(buf);
	return transfer_close(ctx, &t, off, err);
}

static int run(struct run_ctx *ctx)
{
	return transfer_run(ctx, sender);
}

const struct scenario scenario_read_write = {
	.name = "read-write",
	.summary = "read() + write() of a file to TCP, unix, pipe or file (--to), --cold",
	.opts = OPT_SIZE | OPT_BLOCK | OPT_TO | OPT_COLD,
	.to_kinds = "tcp|unix|pipe|file",
	.default_size = 16 << 20,
	.needs = NEED_DISK,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
