// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * notify-cost: what one notification from one process to another waiting
 * process costs, by one mechanism per run (--to): a signal (kill() to a
 * process in sigsuspend() with a handler), a 1-byte pipe message, a 1-byte
 * unix socket message, or a flag in shared memory with FUTEX_WAKE /
 * FUTEX_WAIT. The textbook says signals are the cheapest IPC.
 *
 * A pinger and its forked ponger bounce ROUND_TRIPS notifications back and
 * forth; each process's transfer phase holds only its notify and wait
 * calls, so the kernel figures per unit (one notification, two per round
 * trip) are the cost of the mechanism. Compare four runs, one per --to.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "compiler.h"
#include "scenario.h"
#include "xproc.h"

#define ROUND_TRIPS 1000
#define WATCHDOG_S 30

enum mech { M_SIGNAL, M_PIPE, M_UNIX, M_FUTEX, NR_MECHS };
static const char *const mech_names[NR_MECHS] = { "signal", "pipe", "unix", "futex" };

/* Both directions of one mechanism; side 0 is the pinger, side 1 the ponger. */
struct channel {
	enum mech mech;
	pid_t peer[2];    /* signal: whom each side notifies */
	int rd[2], wr[2]; /* pipe: each side's read and write fds; unix: one socket each */
	uint32_t *turn;   /* futex: the side whose turn it is */
	uint32_t *ready;  /* the ponger is set up */
	uint32_t *done;   /* the pinger has left its transfer phase */
	sigset_t waitmask;
};

static volatile sig_atomic_t notified;

static void on_notify(int sig UNUSED)
{
	notified = 1;
}

static enum mech mech_of(const struct run_ctx *ctx)
{
	for (int m = 0; m < NR_MECHS; m++)
		if (!strcmp(ctx->opts.to, mech_names[m]))
			return m;
	return NR_MECHS;
}

static int prepare(struct run_ctx *ctx)
{
	if (!ctx->opts.to)
		ctx->opts.to = "signal";
	if (mech_of(ctx) == NR_MECHS)
		return ctx_error(ctx, "--to must be signal, pipe, unix or futex, not '%s'",
				 ctx->opts.to);
	ctx->unit = "notification";
	ctx->units = 2 * ROUND_TRIPS;
	ctx->nic_reason = "no network device: notifications between two processes";
	return 0;
}

static void notify(struct channel *ch, int side)
{
	char byte = 'n';

	switch (ch->mech) {
	case M_SIGNAL:
		kill(ch->peer[side], SIGUSR1);
		break;
	case M_PIPE:
		write(ch->wr[side], &byte, 1);
		break;
	case M_UNIX:
		send(ch->wr[side], &byte, 1, 0);
		break;
	default:
		__atomic_store_n(ch->turn, !side, __ATOMIC_RELEASE);
		syscall(SYS_futex, ch->turn, FUTEX_WAKE, 1, NULL, NULL, 0);
		break;
	}
}

static void wait_notified(struct channel *ch, int side)
{
	char byte;

	switch (ch->mech) {
	case M_SIGNAL:
		/* SIGUSR1 is blocked except here, so it lands in this sigsuspend() */
		while (!notified)
			sigsuspend(&ch->waitmask);
		notified = 0;
		break;
	case M_PIPE:
		while (read(ch->rd[side], &byte, 1) < 0 && errno == EINTR)
			;
		break;
	case M_UNIX:
		while (recv(ch->rd[side], &byte, 1, 0) < 0 && errno == EINTR)
			;
		break;
	default:
		while (__atomic_load_n(ch->turn, __ATOMIC_ACQUIRE) != (uint32_t)side)
			syscall(SYS_futex, ch->turn, FUTEX_WAIT, !side, NULL, NULL, 0);
		break;
	}
}

/* Everything both sides need, made before the fork so both inherit it. */
static int channel_open(struct run_ctx *ctx, struct channel *ch)
{
	struct sigaction sa = { .sa_handler = on_notify };
	int a[2], b[2];
	sigset_t block;

	ch->mech = mech_of(ctx);
	ch->turn = xp_shared(3 * sizeof(uint32_t));
	if (!ch->turn)
		return ctx_error(ctx, "shared memory: %s", strerror(errno));
	ch->ready = ch->turn + 1;
	ch->done = ch->turn + 2;
	switch (ch->mech) {
	case M_SIGNAL:
		sigemptyset(&block);
		sigaddset(&block, SIGUSR1);
		sigprocmask(SIG_BLOCK, &block, &ch->waitmask);
		sigdelset(&ch->waitmask, SIGUSR1);
		sigemptyset(&sa.sa_mask);
		return sigaction(SIGUSR1, &sa, NULL);
	case M_PIPE:
		if (pipe2(a, O_CLOEXEC) || pipe2(b, O_CLOEXEC))
			return ctx_error(ctx, "pipe: %s", strerror(errno));
		/* the pinger writes a, reads b; the ponger the other way round */
		ch->wr[0] = a[1], ch->rd[1] = a[0], ch->wr[1] = b[1], ch->rd[0] = b[0];
		return 0;
	case M_UNIX:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a))
			return ctx_error(ctx, "socketpair: %s", strerror(errno));
		ch->rd[0] = ch->wr[0] = a[0];
		ch->rd[1] = ch->wr[1] = a[1];
		return 0;
	default:
		*ch->turn = 0;
		return 0;
	}
}

static int ponger(struct run_ctx *ctx, void *arg)
{
	struct channel *ch = arg;

	alarm(WATCHDOG_S);
	ch->peer[1] = getppid();
	xp_flag_raise(ch->ready);
	phase_mark(PHASE_TRANSFER);
	for (int i = 0; i < ROUND_TRIPS; i++) {
		wait_notified(ch, 1);
		notify(ch, 1);
	}
	phase_mark(PHASE_TEARDOWN);
	/* exit (and SIGCHLD) only once the pinger's transfer phase is over */
	xp_flag_wait(ch->done);
	fact_set(ctx, "ponger", "notifications_received", ROUND_TRIPS);
	return 0;
}

static int pinger(struct run_ctx *ctx, void *arg UNUSED)
{
	struct channel ch = { 0 };
	uint64_t *rtt = xp_prefaulted(ROUND_TRIPS * sizeof(*rtt)), t0, t1, t;
	pid_t child;

	alarm(WATCHDOG_S);
	if (!rtt || channel_open(ctx, &ch))
		return ctx_error(ctx, "pinger setup failed");
	child = spawn(ctx, "ponger", ponger, &ch);
	if (child < 0)
		return -1;
	ch.peer[0] = child;
	xp_flag_wait(ch.ready);
	phase_mark(PHASE_TRANSFER);
	t0 = xp_now_ns(); /* vDSO: no syscall */
	for (int i = 0; i < ROUND_TRIPS; i++) {
		t = xp_now_ns();
		notify(&ch, 0);
		wait_notified(&ch, 0);
		rtt[i] = xp_now_ns() - t;
	}
	t1 = xp_now_ns();
	phase_mark(PHASE_TEARDOWN);
	xp_flag_raise(ch.done);
	fact_set(ctx, "pinger", "round_trips", ROUND_TRIPS);
	fact_set(ctx, "pinger", "total_ns", t1 - t0);
	fact_set(ctx, "pinger", "ns_per_notification", (t1 - t0) / (2 * ROUND_TRIPS));
	fact_set(ctx, "pinger", "ns_per_notification_median", xp_median(rtt, ROUND_TRIPS) / 2);
	fact_set(ctx, "pinger", "rtt_min_ns", rtt[0]);
	free(rtt);
	return wait_worker(ctx, child, "ponger");
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "pinger", pinger, NULL);
}

const struct scenario scenario_notify_cost = {
	.name = "notify-cost",
	.summary = "cost of one notification between two processes: --to signal|pipe|unix|futex",
	.opts = OPT_TO,
	.to_kinds = "signal|pipe|unix|futex",
	.prepare = prepare,
	.run = run,
};
