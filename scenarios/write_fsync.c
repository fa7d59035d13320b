// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * write-fsync: a writer write()s --size bytes into a new file in --block
 * writes and exits; then a second process, the syncer, opens the file and
 * fsync()s it. The textbook says writes land in the page cache and reach
 * the disk later, or at fsync. Phases are per process, so giving the
 * fsync a process of its own puts the write loop and the fsync each in a
 * transfer phase of its own, and the disk bytes of each show separately
 * (the fsync's data bios are submitted by the syncer itself; the
 * journal's by jbd2, which is not traced). The writer exits before the
 * syncer starts: nothing but the kernel's flusher (30 s by default) could
 * write the pages back in between.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include "transfer.h"
#include "xproc.h"

static int prepare(struct run_ctx *ctx)
{
	return prepare_blocks(ctx, "block", "no network device: writes to a file");
}

static int writer(struct run_ctx *ctx, void *arg)
{
	uint64_t off = 0;
	int64_t t0, t1;
	char *data;
	int fd, err = 0;

	/* read-write: resident_pages() maps it to ask mincore() */
	fd = run_open(ctx, arg, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return ctx_error(ctx, "create %s/%s: %s", ctx->tmpdir, (char *)arg, strerror(errno));
	/* the whole stream, made in setup so that the loop only writes */
	data = pattern_buffer(ctx, ctx->opts.size);
	if (!data)
		return -1;
	phase_mark(PHASE_TRANSFER);
	t0 = xp_now_ns();
	for (; off < ctx->opts.size; off += block_at(ctx, off)) {
		if (write_all(fd, data + off, block_at(ctx, off))) {
			err = ctx_error(ctx, "write: %s", strerror(errno));
			break;
		}
	}
	t1 = xp_now_ns();
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "writer", "bytes_written", off);
	fact_set(ctx, "writer", "write_ns", t1 - t0);
	fact_set(ctx, "writer", "resident_pages_after_writes", resident_pages(fd, ctx->opts.size));
	munmap(data, ctx->opts.size);
	close(fd);
	return err;
}

static int syncer(struct run_ctx *ctx, void *arg)
{
	int64_t t0, t1;
	uint64_t got, bad = 0;
	char *buf;
	int fd, ret;

	fd = run_open(ctx, arg, O_RDONLY, 0);
	if (fd < 0)
		return ctx_error(ctx, "open %s/%s: %s", ctx->tmpdir, (char *)arg, strerror(errno));
	phase_mark(PHASE_TRANSFER);
	t0 = xp_now_ns();
	ret = fsync(fd);
	t1 = xp_now_ns();
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "syncer", "fsync_return", ret ? -errno : 0);
	fact_set(ctx, "syncer", "fsync_ns", t1 - t0);
	/* what the file holds now (from the page cache) */
	buf = malloc(ctx->opts.block);
	if (!buf)
		return ctx_error(ctx, "no memory for a %llu-byte buffer",
				 (unsigned long long)ctx->opts.block);
	got = read_checked(fd, buf, ctx->opts.block, ctx->opts.size, &bad);
	free(buf);
	fact_set(ctx, "syncer", "bytes_checked", got);
	fact_set(ctx, "syncer", "words_mismatched", bad);
	close(fd);
	return ret || got != ctx->opts.size || bad ? ctx_error(ctx, "fsync or check failed") : 0;
}

static int run(struct run_ctx *ctx)
{
	char path[] = "written.dat";

	if (run_one(ctx, "writer", writer, path))
		return -1;
	return run_one(ctx, "syncer", syncer, path);
}

const struct scenario scenario_write_fsync = {
	.name = "write-fsync",
	.summary = "write() --size bytes into a new file in --block writes, then fsync() it",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 4 << 20,
	.needs = NEED_DISK,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
