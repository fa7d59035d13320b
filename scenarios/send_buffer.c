// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * send-buffer: a sender send()s 64 KiB blocks into a TCP loopback
 * connection whose receiver does not read yet. The textbook says send()
 * succeeding means the data is in the socket buffer, not delivered.
 *
 * The sender's transfer phase: non-blocking send()s (MSG_DONTWAIT) until
 * EAGAIN, noting after each how many bytes the receiver had read (it has
 * read nothing: it waits); then one blocking send() of 64 KiB on the full
 * buffer, which sleeps until the receiver starts reading, ~50 ms after the
 * buffer filled. The receiver learns that the buffer is full from a plain
 * store in shared memory, which it polls in its setup, so the sender's
 * transfer holds send() calls and nothing else.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "scenario.h"
#include "loopback.h"
#include "xproc.h"

#define BLOCK (64 << 10)
#define MAX_BUFFERED (64 << 20) /* far more than any socket buffer of this kernel */
#define READER_DELAY_NS 50000000ull
#define POLL_NS 1000000ull
#define WATCHDOG_S 20

struct control {
	uint32_t full;        /* the sender met EAGAIN */
	uint64_t peer_read;   /* bytes the receiver has read so far */
};

struct args {
	struct control *ctl;
	struct loopback tcp;
};

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "run (fill the buffer, then one blocking send)";
	ctx->units = 1;
	ctx->nic_reason = "loopback: no device DMA";
	return 0;
}

static int sockopt_int(int fd, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	getsockopt(fd, SOL_SOCKET, name, &v, &len);
	return v;
}

static int receiver(struct run_ctx *ctx, void *arg)
{
	struct args *a = arg;
	char *buf = xp_prefaulted(BLOCK);
	uint64_t got = 0, bad = 0;
	ssize_t n;
	int fd;

	alarm(WATCHDOG_S);
	if (!buf)
		return ctx_error(ctx, "receiver: out of memory");
	fd = loopback_connect(ctx, &a->tcp);
	if (fd < 0)
		return -1;
	fact_set(ctx, "receiver", "so_rcvbuf_at_start", sockopt_int(fd, SO_RCVBUF));
	while (!__atomic_load_n(&a->ctl->full, __ATOMIC_ACQUIRE))
		xp_sleep_ns(POLL_NS);
	xp_sleep_ns(READER_DELAY_NS);
	phase_mark(PHASE_TRANSFER);
	while ((n = read(fd, buf, BLOCK)) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		bad += pattern_check(buf, n, got);
		got += n;
		__atomic_store_n(&a->ctl->peer_read, got, __ATOMIC_RELEASE);
	}
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "receiver", "so_rcvbuf_at_end", sockopt_int(fd, SO_RCVBUF));
	fact_set(ctx, "receiver", "delay_ns", READER_DELAY_NS);
	fact_set(ctx, "receiver", "bytes_read", got);
	fact_set(ctx, "receiver", "words_mismatched", bad);
	close(fd);
	free(buf);
	return bad ? ctx_error(ctx, "receiver saw %llu wrong words", (unsigned long long)bad) : 0;
}

static int sender(struct run_ctx *ctx, void *arg)
{
	struct args a = { .ctl = arg };
	char *data = xp_prefaulted(MAX_BUFFERED + BLOCK);
	uint64_t accepted = 0, peer_read_max = 0, t0, t1;
	int fd, calls = 0, nb_errno = 0, blk_errno;
	ssize_t n, blk;
	pid_t child;

	alarm(WATCHDOG_S);
	if (!data)
		return ctx_error(ctx, "sender: out of memory");
	pattern_fill(data, MAX_BUFFERED + BLOCK, 0);
	if (loopback_open(ctx, &a.tcp))
		return -1;
	child = spawn(ctx, "receiver", receiver, &a);
	if (child < 0)
		return -1;
	fd = loopback_accept(ctx, &a.tcp, "sender");
	if (fd < 0)
		return -1;
	fact_set(ctx, "sender", "so_sndbuf_at_start", sockopt_int(fd, SO_SNDBUF));
	/* fault the shared page in now: a store to it ends the fill below */
	__atomic_store_n(&a.ctl->full, 0, __ATOMIC_RELEASE);
	phase_mark(PHASE_TRANSFER);
	while (accepted < MAX_BUFFERED) {
		n = send(fd, data + accepted, BLOCK, MSG_DONTWAIT);
		calls++;
		if (n < 0) {
			nb_errno = errno;
			if (nb_errno == EINTR)
				continue;
			break;
		}
		accepted += n;
		/* what the peer had read when this send() returned success */
		if (__atomic_load_n(&a.ctl->peer_read, __ATOMIC_ACQUIRE) > peer_read_max)
			peer_read_max = a.ctl->peer_read;
	}
	__atomic_store_n(&a.ctl->full, 1, __ATOMIC_RELEASE); /* a store: no syscall */
	t0 = xp_now_ns();
	blk = send(fd, data + accepted, BLOCK, 0);
	blk_errno = blk < 0 ? errno : 0;
	t1 = xp_now_ns();
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "sender", "peer_read_bytes_at_blocking_send_return",
		 __atomic_load_n(&a.ctl->peer_read, __ATOMIC_ACQUIRE));
	fact_set(ctx, "sender", "so_sndbuf_at_end", sockopt_int(fd, SO_SNDBUF));
	close(fd);
	fact_set(ctx, "sender", "nonblocking_sends", calls);
	fact_set(ctx, "sender", "bytes_before_eagain", accepted);
	fact_set(ctx, "sender", "nonblocking_errno", nb_errno);
	fact_set(ctx, "sender", "peer_read_bytes_at_send_return", peer_read_max);
	fact_set(ctx, "sender", "blocking_send_ret", blk);
	fact_set(ctx, "sender", "blocking_send_errno", blk_errno);
	fact_set(ctx, "sender", "blocking_send_ns", t1 - t0);
	free(data);
	if (wait_worker(ctx, child, "receiver"))
		return -1;
	if (nb_errno != EAGAIN)
		return ctx_error(ctx, "no EAGAIN after %llu bytes (errno %d)",
				 (unsigned long long)accepted, nb_errno);
	return blk == BLOCK ? 0 : ctx_error(ctx, "blocking send returned %zd", blk);
}

static int run(struct run_ctx *ctx)
{
	struct control *ctl = xp_shared(sizeof(*ctl));

	if (!ctl)
		return ctx_error(ctx, "shared memory: %s", strerror(errno));
	return run_one(ctx, "sender", sender, ctl);
}

const struct scenario scenario_send_buffer = {
	.name = "send-buffer",
	.summary = "TCP send() returns once the data is buffered; blocks when the buffer is full",
	.prepare = prepare,
	.run = run,
};
