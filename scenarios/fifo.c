// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fifo: two unrelated processes (both exec'd by ipctrace, so neither is a
 * fork of the other's memory) find each other through a FIFO made with
 * mkfifo() in the run's directory: the writer sends --size bytes in
 * --block-byte write()s, the reader read()s and checks them. The textbook
 * says a FIFO connects unrelated processes, and that the data is copied
 * into a kernel buffer and out again, as for a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include "scenario.h"
#include "xproc.h"

static int prepare(struct run_ctx *ctx)
{
	return prepare_blocks(ctx, "block", "no network device: the data crosses a FIFO");
}

/*
 * What the process holds, seen from user space: a FIFO (S_IFIFO) that lives
 * in a real file system, not pipefs where anonymous pipes live.
 */
static void record_fd_kind(struct run_ctx *ctx, const char *role, int fd)
{
	struct stat st;
	struct statfs sf;

	fact_set(ctx, role, "fd_is_named_fifo",
		 !fstat(fd, &st) && S_ISFIFO(st.st_mode) && !fstatfs(fd, &sf) &&
			 sf.f_type != PIPEFS_MAGIC);
}

static int reader(struct run_ctx *ctx, const char *path)
{
	size_t block = ctx->opts.block;
	uint64_t got, bad = 0;
	char *buf = xp_prefaulted(block);
	int fd;

	if (!buf)
		return ctx_error(ctx, "reader: out of memory");
	fd = run_open(ctx, path, O_RDONLY, 0);
	if (fd < 0)
		return ctx_error(ctx, "reader: open %s: %s", path, strerror(errno));
	phase_mark(PHASE_TRANSFER);
	got = read_checked(fd, buf, block, ctx->opts.size, &bad);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "reader", "bytes_read", got);
	fact_set(ctx, "reader", "words_mismatched", bad);
	fact_set(ctx, "reader", "read_after_writer_closed", read(fd, buf, block));
	record_fd_kind(ctx, "reader", fd);
	close(fd);
	free(buf);
	if (got != ctx->opts.size || bad)
		return ctx_error(ctx, "reader got %llu bytes, %llu bad", (unsigned long long)got,
				 (unsigned long long)bad);
	return 0;
}

static int writer(struct run_ctx *ctx, const char *path)
{
	size_t block = ctx->opts.block;
	uint64_t sent = 0;
	char *buf = xp_prefaulted(block);
	int fd;

	if (!buf)
		return ctx_error(ctx, "writer: out of memory");
	/* blocks until the reader opens its end: in setup, not in the transfer */
	fd = run_open(ctx, path, O_WRONLY, 0);
	if (fd < 0)
		return ctx_error(ctx, "writer: open %s: %s", path, strerror(errno));
	phase_mark(PHASE_TRANSFER);
	while (sent < ctx->opts.size) {
		size_t n = ctx->opts.size - sent < block ? ctx->opts.size - sent : block;

		pattern_fill(buf, n, sent);
		if (write_all(fd, buf, n))
			break;
		sent += n;
	}
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "writer", "bytes_written", sent);
	record_fd_kind(ctx, "writer", fd);
	close(fd);
	free(buf);
	return sent == ctx->opts.size ? 0 : ctx_error(ctx, "writer: write: %s", strerror(errno));
}

/* ipctrace __worker fifo SHFD ROLE ROLE PATH */
static int worker(struct run_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return ctx_error(ctx, "fifo worker: expected ROLE PATH");
	return !strcmp(argv[0], "writer") ? writer(ctx, argv[1]) : reader(ctx, argv[1]);
}

static int run(struct run_ctx *ctx)
{
	char path[] = "fifo";
	pid_t pids[2];

	if (run_mkfifo(ctx, path))
		return -1;
	pids[0] = spawn_exec(ctx, "reader", (char *[]){ "reader", path, NULL });
	if (pids[0] < 0)
		return -1;
	pids[1] = spawn_exec(ctx, "writer", (char *[]){ "writer", path, NULL });
	if (pids[1] < 0)
		return -1;
	return wait_workers(ctx, 2, pids, (const char *[]){ "reader", "writer" });
}

const struct scenario scenario_fifo = {
	.name = "fifo",
	.summary = "two unrelated processes exchange --size bytes in --block writes through a FIFO",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 1 << 20,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
	.worker = worker,
};
