// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-sigpipe: write() to a pipe whose read ends are all closed
 * (pipe.sigpipe). A "victim" with SIGPIPE at its default action dies of
 * it; a "prober" that ignores SIGPIPE gets -1 with EPIPE instead. Each
 * one's transfer phase is that one write.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "scenario.h"

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "write";
	ctx->units = 2;
	ctx->nic_reason = "no network device: a pipe";
	return 0;
}

/* A pipe with no read end left. */
static int orphan_pipe(struct run_ctx *ctx, int *wfd)
{
	int fds[2];

	if (pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	close(fds[0]);
	*wfd = fds[1];
	return 0;
}

static int victim(struct run_ctx *ctx, void *arg)
{
	int fd;

	if (orphan_pipe(ctx, &fd))
		return -1;
	phase_mark(PHASE_TRANSFER);
	if (write(fd, "x", 1) < 0) /* not reached with SIGPIPE at SIG_DFL */
		fact_set(ctx, "victim", "write_errno", errno);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "victim", "survived_write", 1);
	return 0;
}

static int prober(struct run_ctx *ctx, void *arg)
{
	int fd, status;
	ssize_t n;
	pid_t v = spawn(ctx, "victim", victim, NULL);

	if (v < 0 || waitpid(v, &status, 0) != v)
		return ctx_error(ctx, "victim: %s", strerror(errno));
	fact_set(ctx, "prober", "victim_killed_by_signal", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	signal(SIGPIPE, SIG_IGN);
	if (orphan_pipe(ctx, &fd))
		return -1;
	phase_mark(PHASE_TRANSFER);
	n = write(fd, "x", 1);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "prober", "ignored_write_ret", n);
	fact_set(ctx, "prober", "ignored_write_errno", n < 0 ? errno : 0);
	return 0;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "prober", prober, NULL);
}

const struct scenario scenario_pipe_sigpipe = {
	.name = "pipe-sigpipe",
	.summary = "write() with no reader left: SIGPIPE kills, or EPIPE when it is ignored",
	.prepare = prepare,
	.run = run,
};
