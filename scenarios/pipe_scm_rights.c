// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-scm-rights: a pipe between processes with no common ancestor but
 * ipctrace (pipe.related-only). A forked "sender" makes a pipe and hands
 * its read end, over a unix socket with SCM_RIGHTS, to a "receiver" that
 * was exec'd (no memory or fd inherited from the sender); then the sender
 * writes --size bytes into the pipe and the receiver reads and checks them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "scenario.h"
#include "xproc.h"

static int prepare(struct run_ctx *ctx)
{
	return prepare_blocks(ctx, "block", "no network device: a pipe");
}

static int send_fd(int sock, int fd)
{
	char data = 'p', cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char data, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static int sender(struct run_ctx *ctx, void *arg)
{
	int *sv = arg, fds[2];
	char *buf = xp_prefaulted(ctx->opts.block);
	uint64_t sent = 0;

	close(sv[1]);
	if (!buf || pipe(fds) || send_fd(sv[0], fds[0]))
		return ctx_error(ctx, "handing over the pipe: %s", strerror(errno));
	close(fds[0]); /* from now on only the receiver holds a read end */
	close(sv[0]);
	phase_mark(PHASE_TRANSFER);
	while (sent < ctx->opts.size) {
		size_t n = ctx->opts.size - sent < ctx->opts.block ? ctx->opts.size - sent
								  : ctx->opts.block;

		pattern_fill(buf, n, sent);
		if (write_all(fds[1], buf, n))
			return ctx_error(ctx, "write: %s", strerror(errno));
		sent += n;
	}
	phase_mark(PHASE_TEARDOWN);
	close(fds[1]);
	fact_set(ctx, "sender", "bytes_written", sent);
	return 0;
}

/* The receiver: ipctrace __worker pipe-scm-rights SHFD receiver SOCKFD */
static int receiver(struct run_ctx *ctx, int argc, char **argv)
{
	int sock = argc > 0 ? atoi(argv[0]) : -1, fd = recv_fd(sock);
	char *buf = xp_prefaulted(ctx->opts.block);
	uint64_t got, bad = 0;

	close(sock);
	if (fd < 0 || !buf)
		return ctx_error(ctx, "receiving the pipe end: %s", strerror(errno));
	phase_mark(PHASE_TRANSFER);
	got = read_checked(fd, buf, ctx->opts.block, ctx->opts.size, &bad);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "receiver", "got_pipe_end", 1);
	fact_set(ctx, "receiver", "bytes_read", got);
	fact_set(ctx, "receiver", "words_mismatched", bad);
	return got == ctx->opts.size && !bad ? 0 : -1;
}

static int run(struct run_ctx *ctx)
{
	int sv[2];
	char arg[16];
	pid_t pids[2];

	/* the receiver's end must survive its exec: no SOCK_CLOEXEC */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return ctx_error(ctx, "socketpair: %s", strerror(errno));
	snprintf(arg, sizeof(arg), "%d", sv[1]);
	pids[0] = spawn_exec(ctx, "receiver", (char *[]){ arg, NULL });
	pids[1] = pids[0] < 0 ? -1 : spawn(ctx, "sender", sender, sv);
	close(sv[0]);
	close(sv[1]);
	if (pids[1] < 0)
		return -1;
	return wait_workers(ctx, 2, pids, (const char *[]){ "receiver", "sender" });
}

const struct scenario scenario_pipe_scm_rights = {
	.name = "pipe-scm-rights",
	.summary = "a pipe end handed to an unrelated (exec'd) process over SCM_RIGHTS, then used",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 1 << 20,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
	.worker = receiver,
};
