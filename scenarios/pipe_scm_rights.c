// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-scm-rights: a pipe between processes with no common ancestor that
 * had the pipe. The receiver is exec'd (ipctrace __worker), so it shares no
 * memory with anyone; it gets one end of a unix socketpair through exec,
 * nothing else. The writer, forked later, creates a pipe, sends its read
 * end over that socket with SCM_RIGHTS, closes its own copy, and writes
 * --size bytes in --block writes; the receiver reads and checks them. The
 * textbook says: pipes work only between related processes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "pipe_tools.h"
#include "xproc.h"

static int prepare(struct run_ctx *ctx)
{
	return prepare_blocks(ctx, "block", "no network device: the data crosses a pipe");
}

#define MAX_PIPES 64

/* Inodes of the pipes the calling process has open (by /proc/self/fd); how many. */
static int pipes_open(uint64_t *ino, int max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char link[64];
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		ssize_t len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);

		if (len > 0) {
			link[len] = 0;
			if (sscanf(link, "pipe:[%" SCNu64 "]", &ino[n]) == 1)
				n++;
		}
	}
	closedir(d);
	return n;
}

static bool among(uint64_t v, const uint64_t *set, int n)
{
	for (int i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

static int send_fd(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u = {};
	char byte = 'p';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* The fd that came with one byte on @sock, or -1. */
static int recv_fd(int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static int64_t inode_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : (int64_t)st.st_ino;
}

/* The receiver: ipctrace __worker pipe-scm-rights SHFD receiver SOCKFD */
static int receiver(struct run_ctx *ctx, int argc, char **argv)
{
	size_t block = ctx->opts.block;
	uint64_t got, bad = 0, held[MAX_PIPES];
	struct stat st;
	char *buf;
	int sock, fd, nheld;

	if (argc < 1)
		return ctx_error(ctx, "receiver: no socket given");
	sock = atoi(argv[0]);
	buf = xp_prefaulted(block);
	if (!buf)
		return ctx_error(ctx, "out of memory");
	/* the pipes we have (stdio may be some): the one we get must not be among them */
	nheld = pipes_open(held, MAX_PIPES);
	fd = recv_fd(sock);
	if (fd < 0 || fstat(fd, &st))
		return ctx_error(ctx, "receiver: no fd came over the socket: %s", strerror(errno));
	close(sock);
	alarm(10); /* if the writer never writes nor closes */
	phase_mark(PHASE_TRANSFER);
	got = read_checked(fd, buf, block, ctx->opts.size, &bad);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "receiver", "held_it_before_recv",
		 nheld < 0 ? -1 : among(st.st_ino, held, nheld));
	fact_set(ctx, "receiver", "received_is_fifo", S_ISFIFO(st.st_mode));
	fact_set(ctx, "receiver", "received_access_mode", fcntl(fd, F_GETFL) & O_ACCMODE);
	fact_set(ctx, "receiver", "received_inode", st.st_ino);
	fact_set(ctx, "receiver", "bytes_received", got);
	fact_set(ctx, "receiver", "words_mismatched", bad);
	close(fd);
	free(buf);
	return got == ctx->opts.size && !bad ? 0 : ctx_error(ctx, "receiver: data lost or wrong");
}

static int writer(struct run_ctx *ctx, void *arg)
{
	int *sv = arg, fds[2];
	char *buf = xp_prefaulted(ctx->opts.block);
	uint64_t sent;

	if (!buf)
		return ctx_error(ctx, "out of memory");
	close(sv[1]); /* the receiver's end */
	if (pipe2(fds, O_CLOEXEC))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	fact_set(ctx, "writer", "pipe_inode", inode_of(fds[0]));
	if (send_fd(sv[0], fds[0]))
		return ctx_error(ctx, "sendmsg SCM_RIGHTS: %s", strerror(errno));
	/* from here the only read end is the receiver's */
	close(fds[0]);
	close(sv[0]);
	alarm(10);
	phase_mark(PHASE_TRANSFER);
	sent = pt_write_pattern(fds[1], buf, ctx->opts.block, ctx->opts.size);
	phase_mark(PHASE_TEARDOWN);
	close(fds[1]);
	fact_set(ctx, "writer", "bytes_written", sent);
	free(buf);
	return sent == ctx->opts.size ? 0 : ctx_error(ctx, "writer: write failed");
}

static int run(struct run_ctx *ctx)
{
	char fdarg[16];
	int sv[2], err = -1;
	pid_t pids[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return ctx_error(ctx, "socketpair: %s", strerror(errno));
	/* only the socket crosses exec; the pipe does not exist yet */
	fcntl(sv[1], F_SETFD, 0);
	snprintf(fdarg, sizeof(fdarg), "%d", sv[1]);
	pids[0] = spawn_exec(ctx, "receiver", (char *[]){ fdarg, NULL });
	fcntl(sv[1], F_SETFD, FD_CLOEXEC);
	if (pids[0] < 0)
		goto out;
	pids[1] = spawn(ctx, "writer", writer, sv);
	if (pids[1] < 0)
		goto out;
	close(sv[0]);
	close(sv[1]);
	return wait_workers(ctx, 2, pids, (const char *[]){ "receiver", "writer" });
out:
	close(sv[0]);
	close(sv[1]);
	return err;
}

const struct scenario scenario_pipe_scm_rights = {
	.name = "pipe-scm-rights",
	.summary = "a pipe's read end passed by SCM_RIGHTS to an exec'd, unrelated process",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 1 << 20,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
	.worker = receiver,
};
