// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-sigpipe: write() into a pipe whose read ends are all closed, with
 * SIGPIPE in each of its three dispositions, each in its own process:
 * - default: the writer is a grandchild, so that its parent can see how it
 *   ended (the textbook: the process "receives SIGPIPE", which kills it);
 * - ignored (SIG_IGN): write() should fail with EPIPE instead;
 * - caught by a handler: the handler runs, and write() fails with EPIPE.
 * Each writer's transfer phase is that one write(); the kernel figures show
 * whether SIGPIPE was generated and delivered.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "compiler.h"
#include "pipe_tools.h"
#include "xproc.h"

#define SP_BYTES 4096

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "write";
	ctx->units = 3;
	ctx->nic_reason = "no network device: the data would cross a pipe";
	return 0;
}

/* A pipe with no reader: its write end, or -1. */
static int readerless_pipe(struct run_ctx *ctx)
{
	int fds[2];

	if (pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	close(fds[0]);
	return fds[1];
}

/* The one write() under study, as the transfer phase; its facts if we live on. */
static int write_to_readerless(struct run_ctx *ctx, const char *role, int wfd)
{
	char *buf = xp_prefaulted(SP_BYTES);
	ssize_t n;
	int err;

	if (!buf)
		return ctx_error(ctx, "out of memory");
	phase_mark(PHASE_TRANSFER);
	n = write(wfd, buf, SP_BYTES);
	err = errno;
	phase_mark(PHASE_TEARDOWN);
	pt_fact_call(ctx, role, "write", n, err);
	free(buf);
	return 0;
}

static int dfl_writer(struct run_ctx *ctx, void *arg)
{
	/* spawn() left SIGPIPE at SIG_DFL */
	return write_to_readerless(ctx, "dfl_writer", *(int *)arg);
}

/* Parent of the default-disposition writer: how did it end? */
static int dfl_parent(struct run_ctx *ctx, void *arg UNUSED)
{
	int wfd = readerless_pipe(ctx), st;
	pid_t child, got;

	if (wfd < 0)
		return -1;
	child = spawn(ctx, "dfl_writer", dfl_writer, &wfd);
	if (child < 0)
		return -1;
	close(wfd);
	while ((got = waitpid(child, &st, 0)) < 0 && errno == EINTR)
		;
	if (got < 0)
		return ctx_error(ctx, "waitpid: %s", strerror(errno));
	fact_set(ctx, "dfl_parent", "child_killed_by_signal", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	fact_set(ctx, "dfl_parent", "child_exit_code", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

static volatile sig_atomic_t handled;

static void on_sigpipe(int sig UNUSED)
{
	handled++;
}

static int ign_writer(struct run_ctx *ctx, void *arg UNUSED)
{
	int wfd = readerless_pipe(ctx);

	if (wfd < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return write_to_readerless(ctx, "ign_writer", wfd);
}

static int caught_writer(struct run_ctx *ctx, void *arg UNUSED)
{
	struct sigaction sa = { .sa_handler = on_sigpipe };
	int wfd = readerless_pipe(ctx);

	if (wfd < 0)
		return -1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	if (write_to_readerless(ctx, "caught_writer", wfd))
		return -1;
	fact_set(ctx, "caught_writer", "handler_calls", handled);
	return 0;
}

static int run(struct run_ctx *ctx)
{
	static const char *const roles[] = { "dfl_parent", "ign_writer", "caught_writer" };
	int (*const fns[])(struct run_ctx *, void *) = { dfl_parent, ign_writer, caught_writer };
	pid_t pids[3];

	for (int i = 0; i < 3; i++) {
		pids[i] = spawn(ctx, roles[i], fns[i], NULL);
		if (pids[i] < 0)
			return -1;
	}
	return wait_workers(ctx, 3, pids, (const char *const *)roles);
}

const struct scenario scenario_pipe_sigpipe = {
	.name = "pipe-sigpipe",
	.summary = "write() to a pipe with no reader: SIGPIPE by default, EPIPE if ignored or caught",
	.prepare = prepare,
	.run = run,
};
