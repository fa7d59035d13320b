// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * cold-read: a reader evicts a --size file (1 MiB by default, so that
 * readahead has room) from the page cache, checks with mincore() that it
 * left, and then makes ONE read() of 100 bytes at offset 0. The textbook
 * says the kernel caches at least the whole 4 KiB page; the figures show
 * how many pages really came in (readahead included) and how many bytes
 * the disk transferred, and mincore() afterwards how many stay resident.
 * In teardown it repeats the read with readahead off, for the facts only
 * (facts random_*: resident pages after eviction and after that read).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "transfer.h"

#define READ_BYTES 100

static int prepare(struct run_ctx *ctx)
{
	if (ctx->opts.size < READ_BYTES)
		return ctx_error(ctx, "--size must be at least %d bytes", READ_BYTES);
	ctx->unit = "read() of 100 bytes";
	ctx->units = 1;
	ctx->nic_reason = "no network device: a file read";
	return 0;
}

/*
 * For comparison, in teardown: the same read with readahead switched off
 * (POSIX_FADV_RANDOM), which leaves only the page cache's own granularity.
 */
static ssize_t read_without_readahead(struct run_ctx *ctx, int fd, char *buf)
{
	ssize_t n;

	if (evict(ctx, fd, ctx->opts.size, "reader", "random_resident_pages_after_evict") ||
	    posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM))
		return -1;
	n = pread(fd, buf, READ_BYTES, 0);
	fact_set(ctx, "reader", "random_bytes_returned", n < 0 ? -errno : n);
	fact_set(ctx, "reader", "random_resident_pages_after_read",
		 resident_pages(fd, ctx->opts.size));
	return n;
}

static int reader(struct run_ctx *ctx, void *arg)
{
	char buf[READ_BYTES];
	ssize_t n;
	int fd;

	fd = run_open(ctx, arg, O_RDONLY, 0);
	if (fd < 0)
		return ctx_error(ctx, "open %s: %s", (char *)arg, strerror(errno));
	/* the file was fsync'd when written: clean pages, which DONTNEED drops */
	if (evict(ctx, fd, ctx->opts.size, "reader", "resident_pages_after_evict"))
		return -1;
	memset(buf, 0, sizeof(buf));
	phase_mark(PHASE_TRANSFER);
	n = read(fd, buf, sizeof(buf));
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "reader", "bytes_returned", n < 0 ? -errno : n);
	fact_set(ctx, "reader", "words_mismatched", n > 0 ? pattern_check(buf, n, 0) : 0);
	fact_set(ctx, "reader", "resident_pages_after_read", resident_pages(fd, ctx->opts.size));
	fact_set(ctx, "reader", "page_size", sysconf(_SC_PAGESIZE));
	if (n == READ_BYTES)
		n = read_without_readahead(ctx, fd, buf);
	close(fd);
	return n == READ_BYTES ? 0 : ctx_error(ctx, "read returned %zd", n);
}

static int run(struct run_ctx *ctx)
{
	char name[] = "cold.dat";

	if (pattern_file(ctx, name, ctx->opts.size))
		return ctx_error(ctx, "writing %s: %s", name, strerror(errno));
	return run_one(ctx, "reader", reader, name);
}

const struct scenario scenario_cold_read = {
	.name = "cold-read",
	.summary = "one 100-byte read() of an evicted --size file: what the page cache brings in",
	.opts = OPT_SIZE,
	.default_size = 1 << 20,
	.needs = NEED_DISK,
	.prepare = prepare,
	.run = run,
};
