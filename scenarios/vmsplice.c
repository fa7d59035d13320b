// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vmsplice: the sender vmsplice()s --size bytes of its own memory, one
 * --block per call, into a pipe: the pipe gets references to the user's
 * pages, not a copy. With --to pipe (the default) that pipe is the
 * destination and the receiver read()s it (the one CPU copy, kernel ->
 * user); with --to tcp, unix or file, the sender splice()s the pipe on, as
 * the splice scenario does. The receiver is sendfile's.
 *
 * The pipe holds references until the data is consumed, so the sender must
 * not touch those pages before then: each block has its own part of a
 * --size buffer, filled once in setup and never written again.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include "compiler.h"
#include "transfer.h"

static int prepare(struct run_ctx *ctx)
{
	return transfer_prepare(ctx, "pipe", "block");
}

/* vmsplice @len bytes at @p into the pipe @fd, in as many calls as it takes. */
static int vmsplice_all(struct run_ctx *ctx, int fd, const char *p, size_t len)
{
	while (len) {
		struct iovec iov = { .iov_base = (void *)p, .iov_len = len };
		ssize_t n = vmsplice(fd, &iov, 1, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ctx_error(ctx, "vmsplice: %s", n ? strerror(errno) : "no progress");
		p += n;
		len -= n;
	}
	return 0;
}

static int sender(struct run_ctx *ctx, void *arg UNUSED)
{
	bool direct = dest_of(ctx) == TO_PIPE;
	struct transfer t;
	uint64_t off = 0;
	int pfd[2] = { -1, -1 }, err = 0;
	char *buf;

	if (transfer_open(ctx, NULL, &t))
		return -1;
	if (!direct && pipe_sized(ctx, pfd, ctx->opts.block))
		return -1;
	/* page-aligned, so a block is whole pages; filled (and faulted) now */
	buf = pattern_buffer(ctx, ctx->opts.size);
	if (!buf)
		return -1;
	phase_mark(PHASE_TRANSFER);
	while (off < ctx->opts.size) {
		size_t len = block_at(ctx, off);

		err = vmsplice_all(ctx, direct ? t.out : pfd[1], buf + off, len);
		if (!err && !direct)
			err = splice_out(ctx, pfd[0], t.out, len);
		if (err)
			break;
		off += len;
	}
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "sender", "pipe_size", fcntl(direct ? t.out : pfd[1], F_GETPIPE_SZ));
	if (!direct) {
		close(pfd[0]);
		close(pfd[1]);
	}
	/* the buffer's pages stay alive while the pipe or a socket holds them */
	err = transfer_close(ctx, &t, off, err);
	munmap(buf, ctx->opts.size);
	return err;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "sender", sender, NULL);
}

const struct scenario scenario_vmsplice = {
	.name = "vmsplice",
	.summary = "vmsplice() user memory into a pipe, read by a receiver or spliced on (--to)",
	.opts = OPT_SIZE | OPT_BLOCK | OPT_TO,
	.to_kinds = "pipe|tcp|unix|file",
	.default_size = 16 << 20,
	.needs = NEED_MEMORY,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
