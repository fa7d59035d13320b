// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sendfile: a sender pushes a --size file with sendfile() calls of --block
 * bytes into a TCP loopback socket, a unix socket, a pipe or a regular
 * file; a receiver read()s and checks the data (for a file, the sender
 * checks the copy afterwards). --cold evicts the file from the page cache
 * first, and records whether it really left.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include "scenario.h"

enum dest { TO_TCP, TO_UNIX, TO_PIPE, TO_FILE };
static const char *const dest_names[] = { "tcp", "unix", "pipe", "file" };

static enum dest dest_of(const struct run_ctx *ctx)
{
	for (int d = TO_TCP; d <= TO_FILE; d++)
		if (!strcmp(ctx->opts.to, dest_names[d]))
			return d;
	return TO_TCP;
}

static int prepare(struct run_ctx *ctx)
{
	int known = 0;

	if (!ctx->opts.to)
		ctx->opts.to = "tcp";
	for (int d = TO_TCP; d <= TO_FILE; d++)
		known |= !strcmp(ctx->opts.to, dest_names[d]);
	if (!known)
		return ctx_error(ctx, "--to must be tcp, unix, pipe or file, not '%s'",
				 ctx->opts.to);
	if (ctx->opts.block > ctx->opts.size)
		return ctx_error(ctx, "--block is larger than --size");
	ctx->unit = "sendfile call";
	ctx->units = (ctx->opts.size + ctx->opts.block - 1) / ctx->opts.block;
	ctx->nic_reason = dest_of(ctx) == TO_TCP ? "loopback: no device DMA"
						 : "no network device in this scenario";
	return 0;
}

/* Pages of @fd's first @size bytes that are in the page cache (mincore). */
static int64_t resident_pages(int fd, uint64_t size)
{
	size_t pg = sysconf(_SC_PAGESIZE), n = (size + pg - 1) / pg;
	unsigned char *vec = malloc(n);
	int64_t res = -1;
	void *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);

	if (vec && p != MAP_FAILED && !mincore(p, size, vec)) {
		res = 0;
		for (size_t i = 0; i < n; i++)
			res += vec[i] & 1;
	}
	if (p != MAP_FAILED)
		munmap(p, size);
	free(vec);
	return res;
}

static int evict(struct run_ctx *ctx, int fd)
{
	int err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	int64_t left;

	if (err)
		return ctx_error(ctx, "posix_fadvise(DONTNEED): %s", strerror(err));
	left = resident_pages(fd, ctx->opts.size);
	fact_set(ctx, "sender", "resident_pages_after_evict", left);
	return 0;
}

/*
 * Read everything from @fd and check it: the receiver's whole job, marked
 * as its transfer phase when @mark is set.
 */
static int drain(struct run_ctx *ctx, int fd, const char *role, bool mark)
{
	size_t block = ctx->opts.block;
	char *buf = malloc(block);
	uint64_t got, bad = 0;

	if (!buf)
		return -1;
	memset(buf, 0, block); /* fault it in now, not during the transfer */
	if (mark)
		phase_mark(PHASE_TRANSFER);
	got = read_checked(fd, buf, block, ctx->opts.size, &bad);
	if (mark)
		phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, role, "bytes_read", got);
	fact_set(ctx, role, "words_mismatched", bad);
	free(buf);
	return got == ctx->opts.size && !bad ? 0 : -1;
}

static int receiver(struct run_ctx *ctx, void *arg)
{
	int *fds = arg; /* [0]: ours, [1]: the sender's, or port for TCP */
	int fd = fds[0];

	if (dest_of(ctx) == TO_TCP) {
		struct sockaddr_in sa = { .sin_family = AF_INET,
					  .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
					  .sin_port = htons(fds[1]) };

		close(fds[0]); /* the sender's listener */
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return ctx_error(ctx, "connect to 127.0.0.1:%d: %s", fds[1],
					 strerror(errno));
	} else {
		close(fds[1]);
	}
	return drain(ctx, fd, "receiver", true);
}

/* Make the destination; the receiver's end goes to @peer (-1: none). */
static int open_dest(struct run_ctx *ctx, int *out, int peer[2])
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	char path[300];
	int fds[2];

	switch (dest_of(ctx)) {
	case TO_TCP:
		/* the listener stays in peer[0]; the receiver connects to peer[1] */
		peer[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (peer[0] < 0 || bind(peer[0], (struct sockaddr *)&sa, sizeof(sa)) ||
		    listen(peer[0], 1) || getsockname(peer[0], (struct sockaddr *)&sa, &len))
			return ctx_error(ctx, "TCP listener on 127.0.0.1: %s", strerror(errno));
		peer[1] = ntohs(sa.sin_port);
		return 0;
	case TO_UNIX:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds))
			return ctx_error(ctx, "socketpair: %s", strerror(errno));
		break;
	case TO_PIPE:
		if (pipe2(fds, O_CLOEXEC))
			return ctx_error(ctx, "pipe: %s", strerror(errno));
		*out = fds[1];
		peer[0] = fds[0]; /* the receiver reads */
		peer[1] = fds[1];
		return 0;
	case TO_FILE:
		tmp_path(ctx, path, sizeof(path), "copy.dat");
		*out = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		peer[0] = -1;
		return *out < 0 ? ctx_error(ctx, "create %s: %s", path, strerror(errno)) : 0;
	}
	*out = fds[0];
	peer[0] = fds[1];
	peer[1] = fds[0];
	return 0;
}

static int sender(struct run_ctx *ctx, void *arg)
{
	int in, out = -1, peer[2];
	off_t off = 0;
	pid_t child = -1;
	int err = 0;

	in = open(arg, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return ctx_error(ctx, "open %s: %s", (char *)arg, strerror(errno));
	if (ctx->opts.cold && evict(ctx, in))
		return -1;
	if (open_dest(ctx, &out, peer))
		return -1;
	if (peer[0] >= 0) {
		child = spawn(ctx, "receiver", receiver, peer);
		if (child < 0)
			return -1;
		if (dest_of(ctx) == TO_TCP) {
			out = accept4(peer[0], NULL, NULL, SOCK_CLOEXEC);
			if (out < 0)
				return ctx_error(ctx, "accept: %s", strerror(errno));
		}
		close(peer[0]);
	}
	phase_mark(PHASE_TRANSFER);
	while ((uint64_t)off < ctx->opts.size) {
		uint64_t left = ctx->opts.size - off;
		ssize_t n = sendfile(out, in, &off, left < ctx->opts.block ? left : ctx->opts.block);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = ctx_error(ctx, "sendfile: %s", n ? strerror(errno) : "no progress");
			break;
		}
	}
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "sender", "bytes_sent", off);
	if (dest_of(ctx) == TO_FILE && !err) {
		lseek(out, 0, SEEK_SET);
		err = drain(ctx, out, "sender", false);
	}
	close(out);
	close(in);
	if (child > 0 && wait_worker(ctx, child, "receiver"))
		err = -1;
	return err;
}

static int run(struct run_ctx *ctx)
{
	char path[300];
	pid_t pid;

	tmp_path(ctx, path, sizeof(path), "source.dat");
	if (pattern_file(path, ctx->opts.size))
		return ctx_error(ctx, "writing %s: %s", path, strerror(errno));
	pid = spawn(ctx, "sender", sender, path);
	return pid < 0 ? -1 : wait_worker(ctx, pid, "sender");
}

const struct scenario scenario_sendfile = {
	.name = "sendfile",
	.summary = "sendfile() of a file into a TCP, unix socket, pipe or file (--to), --cold",
	.opts = OPT_SIZE | OPT_BLOCK | OPT_TO | OPT_COLD,
	.default_size = 16 << 20,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
