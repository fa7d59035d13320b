// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * unix-dgram: a sender send()s MSGS_PER_SIZE messages of each of several
 * sizes, in turn, into socketpair(AF_UNIX, SOCK_DGRAM); its forked child
 * starts recv()ing only ~50 ms after the sender started, so the queue fills
 * and the sender must wait. The textbook calls unix sockets the most stable
 * IPC: here that means every recv() returns exactly one message, as sent
 * (boundaries kept), and a full queue makes a blocking sender sleep rather
 * than lose messages.
 *
 * Each message carries the test pattern at an offset given by its index,
 * so a lost, merged, split or reordered message shows as a mismatch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "scenario.h"
#include "xproc.h"

static const size_t sizes[] = { 1, 100, 1000, 4000 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define MSGS_PER_SIZE 64
#define NMSGS (NSIZES * MSGS_PER_SIZE)
#define MAX_MSG 8192 /* receive buffer: larger than any message */
#define RECEIVER_DELAY_NS 50000000ull
#define BLOCKED_NS 1000000ull /* a send() that took longer than this slept */
#define RECV_TIMEOUT_S 2      /* a message not there by then is lost */

struct control {
	uint32_t receiver_ready;
	uint32_t sender_started;
};

struct args {
	int sv[2];
	struct control *ctl;
};

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "message";
	ctx->units = NMSGS;
	ctx->nic_reason = "no network device: a unix socket";
	return 0;
}

static size_t msg_size(int i)
{
	return sizes[i % NSIZES];
}

/* Where message @i's bytes sit in the test pattern. */
static uint64_t msg_off(int i)
{
	return (uint64_t)i * MAX_MSG;
}

static int receiver(struct run_ctx *ctx, void *arg)
{
	struct args *a = arg;
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	char *buf = xp_prefaulted(MAX_MSG);
	int fd = a->sv[1], got = 0, kept = 0, wrong_size = 0, wrong_data = 0;
	ssize_t n;

	close(a->sv[0]);
	if (!buf || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return ctx_error(ctx, "receiver setup: %s", strerror(errno));
	xp_flag_raise(&a->ctl->receiver_ready);
	xp_flag_wait(&a->ctl->sender_started);
	xp_sleep_ns(RECEIVER_DELAY_NS);
	phase_mark(PHASE_TRANSFER);
	for (int i = 0; i < (int)NMSGS; i++) {
		n = recv(fd, buf, MAX_MSG, 0);
		if (n < 0 && errno == EINTR) {
			i--;
			continue;
		}
		if (n < 0)
			break; /* timed out: the rest never came */
		got++;
		wrong_size += (size_t)n != msg_size(i);
		wrong_data += pattern_check(buf, n, msg_off(i)) != 0;
		kept += (size_t)n == msg_size(i) && !pattern_check(buf, n, msg_off(i));
	}
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "receiver", "messages_received", got);
	fact_set(ctx, "receiver", "boundaries_kept", kept);
	fact_set(ctx, "receiver", "wrong_size", wrong_size);
	fact_set(ctx, "receiver", "wrong_data", wrong_data);
	fact_set(ctx, "receiver", "messages_lost", NMSGS - got);
	/* nothing more queued than was sent */
	fact_set(ctx, "receiver", "extra_messages", recv(fd, buf, MAX_MSG, MSG_DONTWAIT) >= 0);
	free(buf);
	return 0;
}

/* The limits that apply to the sender, from user space. */
static void sender_limits(struct run_ctx *ctx, int fd)
{
	FILE *f = fopen("/proc/sys/net/unix/max_dgram_qlen", "re");
	int sndbuf = 0, qlen = -1;
	socklen_t len = sizeof(sndbuf);

	if (f) {
		if (fscanf(f, "%d", &qlen) != 1)
			qlen = -1;
		fclose(f);
	}
	getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len);
	fact_set(ctx, "sender", "so_sndbuf", sndbuf);
	fact_set(ctx, "sender", "max_dgram_qlen", qlen);
}

static int sender(struct run_ctx *ctx, void *arg)
{
	struct args a = { .ctl = arg };
	uint64_t *ns = xp_prefaulted(NMSGS * sizeof(*ns)), bytes = 0, t;
	char *msgs = xp_prefaulted(NMSGS * MAX_MSG);
	int sent = 0, errors = 0, first_block = -1;
	uint64_t bytes_before_block = 0, blocked_ns = 0;
	pid_t child;

	if (!ns || !msgs)
		return ctx_error(ctx, "sender: out of memory");
	/* every message ready before the transfer, so it holds only send() */
	for (int i = 0; i < (int)NMSGS; i++)
		pattern_fill(msgs + msg_off(i), msg_size(i), msg_off(i));
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, a.sv))
		return ctx_error(ctx, "socketpair: %s", strerror(errno));
	sender_limits(ctx, a.sv[0]);
	child = spawn(ctx, "receiver", receiver, &a);
	if (child < 0)
		return -1;
	close(a.sv[1]);
	xp_flag_wait(&a.ctl->receiver_ready);
	xp_flag_raise(&a.ctl->sender_started);
	phase_mark(PHASE_TRANSFER);
	for (int i = 0; i < (int)NMSGS; i++) {
		t = xp_now_ns();
		if (send(a.sv[0], msgs + msg_off(i), msg_size(i), 0) != (ssize_t)msg_size(i))
			errors++;
		else
			sent++;
		ns[i] = xp_now_ns() - t;
	}
	phase_mark(PHASE_TEARDOWN);
	for (int i = 0; i < (int)NMSGS; i++) {
		if (ns[i] > BLOCKED_NS && first_block < 0) {
			first_block = i;
			bytes_before_block = bytes;
		}
		blocked_ns += ns[i] > BLOCKED_NS ? ns[i] : 0;
		bytes += msg_size(i);
	}
	fact_set(ctx, "sender", "messages_sent", sent);
	fact_set(ctx, "sender", "bytes_sent", bytes);
	fact_set(ctx, "sender", "send_errors", errors);
	/* the first send() that slept, and what was queued before it */
	fact_set(ctx, "sender", "messages_before_first_block", first_block);
	fact_set(ctx, "sender", "bytes_before_first_block", bytes_before_block);
	fact_set(ctx, "sender", "blocked_ns", blocked_ns);
	close(a.sv[0]);
	free(msgs);
	free(ns);
	return wait_worker(ctx, child, "receiver");
}

static int run(struct run_ctx *ctx)
{
	struct control *ctl = xp_shared(sizeof(*ctl));

	if (!ctl)
		return ctx_error(ctx, "shared memory: %s", strerror(errno));
	return run_one(ctx, "sender", sender, ctl);
}

const struct scenario scenario_unix_dgram = {
	.name = "unix-dgram",
	.summary = "messages of 1, 100, 1000, 4000 bytes over socketpair(AF_UNIX, SOCK_DGRAM)",
	.prepare = prepare,
	.run = run,
};
