// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap-write: the sender mmap()s the --size file and write()s each --block
 * straight from the mapping to the destination (--to, TCP loopback by
 * default); the receiver is sendfile's. The textbook says per block: 3
 * copies (disk DMA, page cache -> socket buffer by the CPU, NIC DMA) and 4
 * context switches. The mapping is not touched in setup: the page faults
 * the write()s take on it (inside the kernel's copy from user memory, so
 * counted as kernel faults, with no mode switch of their own) are part of
 * what mmap+write costs. --cold evicts the file first.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "transfer.h"

static int prepare(struct run_ctx *ctx)
{
	return transfer_prepare(ctx, "tcp", "block");
}

static int sender(struct run_ctx *ctx, void *arg)
{
	struct transfer t;
	uint64_t off = 0;
	char *map;
	int err = 0;

	if (transfer_open(ctx, arg, &t))
		return -1;
	map = mmap(NULL, ctx->opts.size, PROT_READ, MAP_SHARED, t.in, 0);
	if (map == MAP_FAILED)
		return ctx_error(ctx, "mmap: %s", strerror(errno));
	phase_mark(PHASE_TRANSFER);
	for (; off < ctx->opts.size; off += block_at(ctx, off)) {
		if (write_all(t.out, map + off, block_at(ctx, off))) {
			err = ctx_error(ctx, "write: %s", strerror(errno));
			break;
		}
	}
	phase_mark(PHASE_TEARDOWN);
	munmap(map, ctx->opts.size);
	return transfer_close(ctx, &t, off, err);
}

static int run(struct run_ctx *ctx)
{
	return transfer_run(ctx, sender);
}

const struct scenario scenario_mmap_write = {
	.name = "mmap-write",
	.summary = "mmap() a file and write() it to TCP, unix, pipe or file (--to), --cold",
	.opts = OPT_SIZE | OPT_BLOCK | OPT_TO | OPT_COLD,
	.to_kinds = "tcp|unix|pipe|file",
	.default_size = 16 << 20,
	.needs = NEED_DISK,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
