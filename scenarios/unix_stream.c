// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * unix-stream: a sender write()s --size bytes in --block-byte calls into
 * one end of socketpair(AF_UNIX, SOCK_STREAM), its forked child read()s and
 * checks them from the other. The textbook says IPC through the kernel is
 * one copy in and one copy out; the receiver's copy is observed on the
 * kernel's own skb -> user copy (skb:skb_copy_datagram_iovec).
 *
 * Then, in the sender's teardown, after the receiver has exited and so
 * closed its end: what writing to a stream socket with no peer does, three
 * ways (send with MSG_NOSIGNAL, write with a SIGPIPE handler, write with
 * SIGPIPE ignored). The textbook calls unix sockets the most stable IPC;
 * this is how one reports a dead peer.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "compiler.h"
#include "scenario.h"
#include "xproc.h"

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig UNUSED)
{
	sigpipes++;
}

static int prepare(struct run_ctx *ctx)
{
	return prepare_blocks(ctx, "block", "no network device: a unix socket");
}

static int receiver(struct run_ctx *ctx, void *arg)
{
	int *sv = arg;
	size_t block = ctx->opts.block;
	char *buf = xp_prefaulted(block);
	uint64_t got, bad = 0;

	close(sv[0]);
	if (!buf)
		return ctx_error(ctx, "receiver: out of memory");
	phase_mark(PHASE_TRANSFER);
	got = read_checked(sv[1], buf, block, ctx->opts.size, &bad);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "receiver", "bytes_read", got);
	fact_set(ctx, "receiver", "words_mismatched", bad);
	free(buf);
	/* exiting closes the receiving end: the sender's peer is gone */
	if (got != ctx->opts.size || bad)
		return ctx_error(ctx, "receiver got %llu bytes, %llu bad", (unsigned long long)got,
				 (unsigned long long)bad);
	return 0;
}

/* Record ret and errno of one attempt to send a byte to the dead peer. */
static void dead_peer_try(struct run_ctx *ctx, int fd, const char *how, bool nosignal)
{
	char key[48], byte = 'x';
	ssize_t ret = nosignal ? send(fd, &byte, 1, MSG_NOSIGNAL) : write(fd, &byte, 1);
	int err = ret < 0 ? errno : 0;

	snprintf(key, sizeof(key), "%s_ret", how);
	fact_set(ctx, "sender", key, ret);
	snprintf(key, sizeof(key), "%s_errno", how);
	fact_set(ctx, "sender", key, err);
}

static void dead_peer(struct run_ctx *ctx, int fd)
{
	struct sigaction sa = { .sa_handler = on_sigpipe };

	dead_peer_try(ctx, fd, "nosignal_send", true);
	fact_set(ctx, "sender", "sigpipes_after_nosignal_send", sigpipes);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	dead_peer_try(ctx, fd, "handled_write", false);
	fact_set(ctx, "sender", "sigpipes_caught", sigpipes);
	signal(SIGPIPE, SIG_IGN);
	dead_peer_try(ctx, fd, "ignored_write", false);
}

static int sender(struct run_ctx *ctx, void *arg UNUSED)
{
	size_t block = ctx->opts.block;
	uint64_t sent = 0;
	char *buf;
	pid_t child;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return ctx_error(ctx, "socketpair: %s", strerror(errno));
	child = spawn(ctx, "receiver", receiver, sv);
	if (child < 0)
		return -1;
	close(sv[1]);
	buf = xp_prefaulted(block);
	if (!buf)
		return ctx_error(ctx, "sender: out of memory");
	phase_mark(PHASE_TRANSFER);
	while (sent < ctx->opts.size) {
		size_t n = ctx->opts.size - sent < block ? ctx->opts.size - sent : block;

		pattern_fill(buf, n, sent);
		if (write_all(sv[0], buf, n))
			break;
		sent += n;
	}
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "sender", "bytes_written", sent);
	free(buf);
	if (wait_worker(ctx, child, "receiver"))
		return -1;
	dead_peer(ctx, sv[0]);
	close(sv[0]);
	return sent == ctx->opts.size ? 0 : ctx_error(ctx, "sender: write: %s", strerror(errno));
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "sender", sender, NULL);
}

const struct scenario scenario_unix_stream = {
	.name = "unix-stream",
	.summary = "--size bytes in --block writes over a unix stream socketpair; then a dead peer",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 1 << 20,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
