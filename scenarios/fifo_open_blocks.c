// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fifo-open-blocks: a writer opens a FIFO O_WRONLY while no reader has it
 * open; a reader opens it about 50 ms later. The textbook says the
 * writer's open() blocks until then. The writer's transfer phase holds that
 * one open() and nothing else, so its voluntary context switches are the
 * sleep in open() (ipctrace tracks only data syscalls in flight, so
 * voluntary_in_io does not count it). Before that, in setup, the writer
 * tries open(O_WRONLY | O_NONBLOCK), which has no reader to wait for.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "scenario.h"
#include "xproc.h"

#define READER_DELAY_NS 50000000ull
#define WATCHDOG_S 10 /* a worker that waits longer than this is broken */

struct control {
	uint32_t writer_opening; /* the writer is about to open() */
};

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "open";
	ctx->units = 1;
	ctx->nic_reason = "no network device: nothing but open() on a FIFO";
	return 0;
}

struct args {
	const char *path;
	struct control *ctl;
};

static int writer(struct run_ctx *ctx, void *arg)
{
	struct args *a = arg;
	uint64_t t0, t1;
	int fd, nb_errno;
	char byte = 'w';

	alarm(WATCHDOG_S);
	fd = run_open(ctx, a->path, O_WRONLY | O_NONBLOCK, 0);
	nb_errno = fd < 0 ? errno : 0;
	fact_set(ctx, "writer", "nonblock_open_ret", fd < 0 ? -1 : 0);
	fact_set(ctx, "writer", "nonblock_open_errno", nb_errno);
	if (fd >= 0)
		return ctx_error(ctx, "open(O_WRONLY|O_NONBLOCK) with no reader succeeded");
	xp_flag_raise(&a->ctl->writer_opening);
	t0 = xp_now_ns();
	phase_mark(PHASE_TRANSFER);
	fd = run_open(ctx, a->path, O_WRONLY, 0);
	phase_mark(PHASE_TEARDOWN);
	t1 = xp_now_ns();
	if (fd < 0)
		return ctx_error(ctx, "writer: open %s: %s", a->path, strerror(errno));
	fact_set(ctx, "writer", "open_ns", t1 - t0);
	/* one byte, to show the reader it was this writer that got through */
	fact_set(ctx, "writer", "write_ret", write(fd, &byte, 1));
	close(fd);
	return 0;
}

static int reader(struct run_ctx *ctx, void *arg)
{
	struct args *a = arg;
	uint64_t t0, t1;
	char byte = 0;
	int fd;

	alarm(WATCHDOG_S);
	xp_flag_wait(&a->ctl->writer_opening);
	xp_sleep_ns(READER_DELAY_NS);
	t0 = xp_now_ns();
	phase_mark(PHASE_TRANSFER);
	fd = run_open(ctx, a->path, O_RDONLY, 0);
	phase_mark(PHASE_TEARDOWN);
	t1 = xp_now_ns();
	if (fd < 0)
		return ctx_error(ctx, "reader: open %s: %s", a->path, strerror(errno));
	fact_set(ctx, "reader", "delay_ns", READER_DELAY_NS);
	fact_set(ctx, "reader", "open_ns", t1 - t0);
	fact_set(ctx, "reader", "read_ret", read(fd, &byte, 1));
	fact_set(ctx, "reader", "byte_from_writer", byte == 'w');
	close(fd);
	return 0;
}

static int run(struct run_ctx *ctx)
{
	struct args a = { .ctl = xp_shared(sizeof(struct control)) };
	char path[] = "fifo";
	pid_t pids[2];

	if (!a.ctl)
		return ctx_error(ctx, "shared memory: %s", strerror(errno));
	a.path = path;
	if (run_mkfifo(ctx, path))
		return -1;
	pids[0] = spawn(ctx, "writer", writer, &a);
	if (pids[0] < 0)
		return -1;
	pids[1] = spawn(ctx, "reader", reader, &a);
	if (pids[1] < 0)
		return -1;
	return wait_workers(ctx, 2, pids, (const char *[]){ "writer", "reader" });
}

const struct scenario scenario_fifo_open_blocks = {
	.name = "fifo-open-blocks",
	.summary = "open(O_WRONLY) of a FIFO sleeps until a reader opens it ~50 ms later",
	.prepare = prepare,
	.run = run,
};
