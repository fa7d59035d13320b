// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-ends: which end of a pipe does what. One process calls pipe() and,
 * in its transfer phase, makes four calls: write() to fd[0] and read() from
 * fd[1] (the textbook says fd[0] is the read end and fd[1] the write end, so
 * both should fail with EBADF), then write() to fd[1] and read() from fd[0]
 * (which should carry the bytes). The textbook says: a pipe is half duplex,
 * data goes one way, from fd[1] to fd[0].
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compiler.h"
#include "pipe_tools.h"
#include "xproc.h"

#define ENDS_BYTES 4096 /* fits any pipe: one process writes, then reads */

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "call";
	ctx->units = 4;
	ctx->nic_reason = "no network device: the data crosses a pipe";
	return 0;
}

struct call {
	long ret;
	int err;
};

static void record(struct run_ctx *ctx, const char *name, const struct call *c)
{
	pt_fact_call(ctx, "user", name, c->ret, c->err);
}

static int user(struct run_ctx *ctx, void *arg UNUSED)
{
	struct call wr_read_end, rd_write_end, wr_write_end, rd_read_end;
	char *out = xp_prefaulted(ENDS_BYTES), *in = xp_prefaulted(ENDS_BYTES);
	int fds[2];

	if (!out || !in)
		return ctx_error(ctx, "out of memory");
	if (pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	pattern_fill(out, ENDS_BYTES, 0);
	phase_mark(PHASE_TRANSFER);
	wr_read_end.ret = write(fds[0], out, ENDS_BYTES);
	wr_read_end.err = errno;
	rd_write_end.ret = read(fds[1], in, ENDS_BYTES);
	rd_write_end.err = errno;
	wr_write_end.ret = write(fds[1], out, ENDS_BYTES);
	wr_write_end.err = errno;
	rd_read_end.ret = read(fds[0], in, ENDS_BYTES);
	rd_read_end.err = errno;
	phase_mark(PHASE_TEARDOWN);
	record(ctx, "write_fd0", &wr_read_end);
	record(ctx, "read_fd1", &rd_write_end);
	record(ctx, "write_fd1", &wr_write_end);
	record(ctx, "read_fd0", &rd_read_end);
	if (rd_read_end.ret > 0)
		fact_set(ctx, "user", "words_mismatched", pattern_check(in, rd_read_end.ret, 0));
	/* how the kernel opened each end: O_RDONLY is 0, O_WRONLY 1 */
	fact_set(ctx, "user", "fd0_access_mode", fcntl(fds[0], F_GETFL) & O_ACCMODE);
	fact_set(ctx, "user", "fd1_access_mode", fcntl(fds[1], F_GETFL) & O_ACCMODE);
	close(fds[0]);
	close(fds[1]);
	free(out);
	free(in);
	return 0;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "user", user, NULL);
}

const struct scenario scenario_pipe_ends = {
	.name = "pipe-ends",
	.summary = "write() to a pipe's fd[0] and read() from fd[1], then the right way round",
	.prepare = prepare,
	.run = run,
};
