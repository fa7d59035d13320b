// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-capacity: how much a pipe takes with nobody reading, and what a
 * write() does once it is full. The textbook says: with nobody reading,
 * write blocks once the pipe is full.
 * - The prober writes, with O_NONBLOCK, into five fresh pipes with writes of
 *   1, 100, 4096, 4097 and 65536 bytes until EAGAIN, and records the bytes
 *   each took: the capacity seen by that write size (the pipe is a ring of
 *   page-sized buffers; small writes are merged into the last buffer's free
 *   room, so the bytes a full pipe holds depend on the write size).
 * - The writer fills a pipe the same way in setup, then makes one blocking
 *   4096-byte write() as its transfer; its child, the drainer, waits until
 *   /proc shows the writer asleep in write(), 50 ms more, then reads all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include "compiler.h"
#include "pipe_tools.h"
#include "xproc.h"

#define CAP_PAGE 4096
#define CAP_DELAY_MS 50

static const size_t probe_sizes[] = { 1, 100, 4096, 4097, 65536 };
#define NR_PROBES (sizeof(probe_sizes) / sizeof(probe_sizes[0]))
#define MAX_PROBE 65536

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "write size probed";
	ctx->units = NR_PROBES;
	ctx->nic_reason = "no network device: the data crosses a pipe";
	return 0;
}

struct fill {
	uint64_t bytes;  /* accepted before EAGAIN */
	uint64_t writes; /* write()s that accepted something */
	long last;       /* the last such write's return value */
	int stop_errno;  /* why the loop ended: EAGAIN expected */
};

/* Write @size-byte pieces of @buf to the non-blocking @fd until it refuses. */
static void fill(int fd, const char *buf, size_t size, struct fill *f)
{
	ssize_t n;

	memset(f, 0, sizeof(*f));
	while ((n = write(fd, buf, size)) > 0) {
		f->bytes += n;
		f->writes++;
		f->last = n;
	}
	f->stop_errno = n < 0 ? errno : 0;
}

static void fill_facts(struct run_ctx *ctx, size_t size, const struct fill *f, int fd)
{
	struct { const char *what; int64_t v; } v[] = {
		{ "bytes", f->bytes },
		{ "writes", f->writes },
		{ "last_write", f->last },
		{ "stop_errno", f->stop_errno },
		/* pages the accepted bytes need at best: compare with the ring's 16 */
		{ "pages", (f->bytes + CAP_PAGE - 1) / CAP_PAGE },
		{ "queued", -1 },
	};
	char key[48];
	int queued;

	if (!ioctl(fd, FIONREAD, &queued))
		v[5].v = queued;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(key, sizeof(key), "cap_%zu_%s", size, v[i].what);
		fact_set(ctx, "prober", key, v[i].v);
	}
}

static int prober(struct run_ctx *ctx, void *arg UNUSED)
{
	char *buf = xp_prefaulted(MAX_PROBE);
	struct fill res[NR_PROBES];
	int fds[NR_PROBES][2];

	if (!buf)
		return ctx_error(ctx, "out of memory");
	for (size_t i = 0; i < NR_PROBES; i++)
		if (pipe2(fds[i], O_NONBLOCK))
			return ctx_error(ctx, "pipe: %s", strerror(errno));
	phase_mark(PHASE_TRANSFER);
	for (size_t i = 0; i < NR_PROBES; i++)
		fill(fds[i][1], buf, probe_sizes[i], &res[i]);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "prober", "pipe_size", fcntl(fds[0][1], F_GETPIPE_SZ));
	for (size_t i = 0; i < NR_PROBES; i++) {
		fill_facts(ctx, probe_sizes[i], &res[i], fds[i][0]);
		close(fds[i][0]);
		close(fds[i][1]);
	}
	free(buf);
	return 0;
}

static int drainer(struct run_ctx *ctx, void *arg)
{
	int *fds = arg, asleep;
	char *buf = xp_prefaulted(MAX_PROBE);
	uint64_t got, bad = 0;

	if (!buf)
		return ctx_error(ctx, "out of memory");
	close(fds[1]);
	asleep = pt_wait_asleep_in(getppid(), SYS_write, 5000);
	xp_sleep_ns((CAP_DELAY_MS) * 1000000ull);
	phase_mark(PHASE_TRANSFER);
	got = read_checked(fds[0], buf, MAX_PROBE, UINT64_MAX, &bad);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "drainer", "writer_seen_asleep_in_write", asleep);
	fact_set(ctx, "drainer", "bytes_read", got);
	fact_set(ctx, "drainer", "words_mismatched", bad);
	free(buf);
	return 0;
}

static int writer(struct run_ctx *ctx, void *arg UNUSED)
{
	char *buf = xp_prefaulted(CAP_PAGE);
	uint64_t full = 0;
	int64_t t0, t1;
	int fds[2], err;
	pid_t child;
	ssize_t n;

	if (!buf)
		return ctx_error(ctx, "out of memory");
	if (pipe2(fds, O_NONBLOCK))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	/*
	 * Fill it with the pattern, page by page, until it refuses; buf then
	 * holds the page that follows, for the blocking write. Then make both
	 * ends blocking again.
	 */
	for (;;) {
		pattern_fill(buf, CAP_PAGE, full);
		if (write(fds[1], buf, CAP_PAGE) != CAP_PAGE)
			break;
		full += CAP_PAGE;
	}
	fcntl(fds[1], F_SETFL, 0);
	fcntl(fds[0], F_SETFL, 0);
	child = spawn(ctx, "drainer", drainer, fds);
	if (child < 0)
		return -1;
	close(fds[0]);
	alarm(10); /* if the drainer never drains */
	xp_now_ns();
	phase_mark(PHASE_TRANSFER);
	t0 = xp_now_ns();
	n = write(fds[1], buf, CAP_PAGE);
	err = errno;
	t1 = xp_now_ns();
	phase_mark(PHASE_TEARDOWN);
	close(fds[1]);
	fact_set(ctx, "writer", "fill_bytes", full);
	pt_fact_call(ctx, "writer", "blocked_write", n, err);
	fact_set(ctx, "writer", "blocked_write_ns", t1 - t0);
	free(buf);
	return wait_worker(ctx, child, "drainer");
}

static int run(struct run_ctx *ctx)
{
	pid_t pids[2];

	pids[0] = spawn(ctx, "prober", prober, NULL);
	if (pids[0] < 0)
		return -1;
	pids[1] = spawn(ctx, "writer", writer, NULL);
	if (pids[1] < 0)
		return -1;
	return wait_workers(ctx, 2, pids, (const char *[]){ "prober", "writer" });
}

const struct scenario scenario_pipe_capacity = {
	.name = "pipe-capacity",
	.summary = "bytes a pipe takes before EAGAIN per write size; a write to a full pipe sleeps",
	.prepare = prepare,
	.run = run,
};
