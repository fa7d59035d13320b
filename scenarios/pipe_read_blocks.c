// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-read-blocks: a reader read()s an empty pipe whose write end is still
 * open, held by its child, the writer. The writer waits until /proc shows
 * the reader asleep in read(), waits 50 ms more, then writes --size bytes
 * in one write(). The textbook says: with a write end open and no data,
 * read blocks. Evidence: the reader's voluntary context switch inside
 * read() (kernel), and the time read() took (user space).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "compiler.h"
#include "pipe_tools.h"
#include "xproc.h"

#define RB_MAX_SIZE (64 << 10) /* one write() that fits an empty pipe */
#define RB_DELAY_MS 50

static int prepare(struct run_ctx *ctx)
{
	if (ctx->opts.size > RB_MAX_SIZE)
		return ctx_error(ctx, "--size must be at most %d: one write() into an empty pipe",
				 RB_MAX_SIZE);
	ctx->unit = "read";
	ctx->units = 1;
	ctx->nic_reason = "no network device: the data crosses a pipe";
	return 0;
}

static int writer(struct run_ctx *ctx, void *arg)
{
	int *fds = arg;
	char *buf = xp_prefaulted(ctx->opts.size);
	int asleep;
	ssize_t n;

	if (!buf)
		return ctx_error(ctx, "out of memory");
	close(fds[0]);
	pattern_fill(buf, ctx->opts.size, 0);
	asleep = pt_wait_asleep_in(getppid(), SYS_read, 5000);
	xp_sleep_ns((RB_DELAY_MS) * 1000000ull);
	phase_mark(PHASE_TRANSFER);
	n = write(fds[1], buf, ctx->opts.size);
	phase_mark(PHASE_TEARDOWN);
	pt_wait_no_reader(fds[1]);
	fact_set(ctx, "writer", "reader_seen_asleep_in_read", asleep);
	fact_set(ctx, "writer", "delay_ms", RB_DELAY_MS);
	fact_set(ctx, "writer", "bytes_written", n);
	free(buf);
	return n == (ssize_t)ctx->opts.size ? 0 : ctx_error(ctx, "writer: short write");
}

static int reader(struct run_ctx *ctx, void *arg UNUSED)
{
	char *buf = xp_prefaulted(ctx->opts.size);
	int64_t t0, t1;
	int fds[2], err;
	pid_t child;
	ssize_t n;

	if (!buf)
		return ctx_error(ctx, "out of memory");
	if (pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	child = spawn(ctx, "writer", writer, fds);
	if (child < 0)
		return -1;
	/* the writer's end stays open in the writer: a dead writer means EOF, not a hang */
	close(fds[1]);
	alarm(10);
	xp_now_ns(); /* map the vDSO clock page now */
	phase_mark(PHASE_TRANSFER);
	t0 = xp_now_ns();
	n = read(fds[0], buf, ctx->opts.size);
	err = errno;
	t1 = xp_now_ns();
	phase_mark(PHASE_TEARDOWN);
	pt_fact_call(ctx, "reader", "read", n, err);
	fact_set(ctx, "reader", "read_ns", t1 - t0);
	if (n > 0)
		fact_set(ctx, "reader", "words_mismatched", pattern_check(buf, n, 0));
	close(fds[0]);
	free(buf);
	return wait_worker(ctx, child, "writer");
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "reader", reader, NULL);
}

const struct scenario scenario_pipe_read_blocks = {
	.name = "pipe-read-blocks",
	.summary = "read() on an empty pipe with a live writer sleeps until the writer writes",
	.opts = OPT_SIZE,
	.default_size = 4 << 10,
	.prepare = prepare,
	.run = run,
};
