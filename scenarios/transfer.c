// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The parts every file-transfer scenario shares (see transfer.h): the
 * destination, the receiver, eviction, and the sender's setup and teardown
 * around the one loop that differs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include "loopback.h"
#include "transfer.h"
#include "xproc.h"

static const char *const dest_names[] = { "tcp", "unix", "pipe", "file" };

enum dest dest_of(const struct run_ctx *ctx)
{
	for (int d = TO_TCP; d <= TO_FILE; d++)
		if (!strcmp(ctx->opts.to, dest_names[d]))
			return d;
	return TO_TCP;
}

int transfer_prepare(struct run_ctx *ctx, const char *dflt, const char *unit)
{
	int known = 0;

	if (!ctx->opts.to)
		ctx->opts.to = dflt;
	for (int d = TO_TCP; d <= TO_FILE; d++)
		known |= !strcmp(ctx->opts.to, dest_names[d]);
	if (!known)
		return ctx_error(ctx, "--to must be tcp, unix, pipe or file, not '%s'",
				 ctx->opts.to);
	return prepare_blocks(ctx, unit, dest_of(ctx) == TO_TCP ? "loopback: no device DMA"
						 : "no network device in this scenario");
}

int64_t resident_pages(int fd, uint64_t size)
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

int evict(struct run_ctx *ctx, int fd, uint64_t size, const char *role, const char *key)
{
	int err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);

	if (err)
		return ctx_error(ctx, "posix_fadvise(DONTNEED): %s", strerror(err));
	fact_set(ctx, role, key, resident_pages(fd, size));
	return 0;
}

char *pattern_buffer(struct run_ctx *ctx, size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		ctx_error(ctx, "mmap %zu bytes: %s", len, strerror(errno));
		return NULL;
	}
	pattern_fill(p, len, 0);
	return p;
}

int pipe_sized(struct run_ctx *ctx, int fds[2], size_t bytes)
{
	if (pipe2(fds, O_CLOEXEC))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	/* the kernel rounds up to a power-of-two number of pages */
	if (fcntl(fds[1], F_GETPIPE_SZ) < (int)bytes && fcntl(fds[1], F_SETPIPE_SZ, bytes) < 0)
		return ctx_error(ctx, "F_SETPIPE_SZ %zu: %s", bytes, strerror(errno));
	return 0;
}

int splice_out(struct run_ctx *ctx, int pipe_rd, int out, size_t len)
{
	while (len) {
		ssize_t n = splice(pipe_rd, NULL, out, NULL, len, SPLICE_F_MOVE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ctx_error(ctx, "splice from the pipe: %s",
					 n ? strerror(errno) : "no progress");
		len -= n;
	}
	return 0;
}

/*
 * Read everything from @fd and check it: the receiver's whole job, marked
 * as its transfer phase when @mark is set.
 */
static int drain(struct run_ctx *ctx, int fd, const char *role, bool mark)
{
	size_t block = ctx->opts.block;
	char *buf = xp_prefaulted(block); /* faulted in now, not during the transfer */
	uint64_t got, bad = 0;

	if (!buf)
		return -1;
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

/* The receiver's end of the destination, and what it must close of the sender's. */
struct peer {
	int fds[2]; /* [0]: the receiver's end, [1]: the sender's (-1 in [0]: no receiver) */
	struct loopback tcp;
};

static int receiver(struct run_ctx *ctx, void *arg)
{
	struct peer *p = arg;
	int fd = p->fds[0];

	if (dest_of(ctx) == TO_TCP) {
		fd = loopback_connect(ctx, &p->tcp);
		if (fd < 0)
			return -1;
	} else {
		close(p->fds[1]);
	}
	return drain(ctx, fd, "receiver", true);
}

/* Make the destination; the receiver's end goes to @peer. */
static int open_dest(struct run_ctx *ctx, int *out, struct peer *peer)
{
	int fds[2];

	switch (dest_of(ctx)) {
	case TO_TCP: /* the sender accepts once the receiver is there */
		peer->fds[0] = 0;
		return loopback_open(ctx, &peer->tcp);
	case TO_UNIX:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds))
			return ctx_error(ctx, "socketpair: %s", strerror(errno));
		break;
	case TO_PIPE:
		if (pipe2(fds, O_CLOEXEC))
			return ctx_error(ctx, "pipe: %s", strerror(errno));
		*out = fds[1];
		peer->fds[0] = fds[0]; /* the receiver reads */
		peer->fds[1] = fds[1];
		return 0;
	case TO_FILE:
		*out = run_open(ctx, "copy.dat", O_RDWR | O_CREAT | O_EXCL, 0600);
		peer->fds[0] = -1;
		return *out < 0 ? ctx_error(ctx, "create copy.dat: %s", strerror(errno)) : 0;
	}
	*out = fds[0];
	peer->fds[0] = fds[1];
	peer->fds[1] = fds[0];
	return 0;
}

int transfer_open(struct run_ctx *ctx, const char *src, struct transfer *t)
{
	struct peer peer;

	t->in = t->out = t->receiver = -1;
	if (src) {
		t->in = run_open(ctx, src, O_RDONLY, 0);
		if (t->in < 0)
			return ctx_error(ctx, "open %s: %s", src, strerror(errno));
		if (ctx->opts.cold &&
		    evict(ctx, t->in, ctx->opts.size, "sender", "resident_pages_after_evict"))
			return -1;
	}
	if (open_dest(ctx, &t->out, &peer))
		return -1;
	if (peer.fds[0] < 0)
		return 0;
	t->receiver = spawn(ctx, "receiver", receiver, &peer);
	if (t->receiver < 0)
		return -1;
	if (dest_of(ctx) == TO_TCP)
		return (t->out = loopback_accept(ctx, &peer.tcp, "sender")) < 0 ? -1 : 0;
	close(peer.fds[0]);
	return 0;
}

int transfer_close(struct run_ctx *ctx, struct transfer *t, uint64_t sent, int err)
{
	fact_set(ctx, "sender", "bytes_sent", sent);
	if (dest_of(ctx) == TO_FILE && !err) {
		lseek(t->out, 0, SEEK_SET);
		err = drain(ctx, t->out, "sender", false);
	}
	close(t->out);
	if (t->in >= 0)
		close(t->in);
	if (t->receiver > 0 && wait_worker(ctx, t->receiver, "receiver"))
		err = -1;
	return err;
}

int transfer_run(struct run_ctx *ctx, int (*sender)(struct run_ctx *, void *))
{
	char path[] = "source.dat";

	if (pattern_file(ctx, path, ctx->opts.size))
		return ctx_error(ctx, "writing %s: %s", path, strerror(errno));
	return run_one(ctx, "sender", sender, path);
}
