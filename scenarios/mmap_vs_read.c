// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap-vs-read: the same --size bytes of a file that is warm in the page
 * cache, obtained two ways by two processes. The "reader" read()s them in
 * --block calls into a buffer of its own (one CPU copy page cache -> user
 * per byte); the "mapper" maps the file and loads every word (no copy: its
 * page tables point at the page-cache pages, which read faults map, up to
 * 16 at a time by fault-around). Both check what they got.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "compiler.h"
#include "mapkit.h"
#include "xproc.h"

static int prepare(struct run_ctx *ctx)
{
	if (ctx->opts.block > ctx->opts.size)
		return ctx_error(ctx, "--block is larger than --size");
	ctx->unit = "page";
	ctx->units = page_round(ctx->opts.size) / page_size();
	ctx->nic_reason = "no network device: the data comes from the page cache";
	return 0;
}

static int open_data(struct run_ctx *ctx)
{
	char path[] = "data.dat";
	int fd;

	fd = run_open(ctx, path, O_RDONLY, 0);
	if (fd < 0)
		ctx_error(ctx, "open %s: %s", path, strerror(errno));
	return fd;
}

static int check_facts(struct run_ctx *ctx, const char *role, uint64_t got, uint64_t bad)
{
	fact_set(ctx, role, "bytes_checked", got);
	fact_set(ctx, role, "words_mismatched", bad);
	if (got != ctx->opts.size || bad)
		return ctx_error(ctx, "%s got %llu bytes, %llu wrong words", role,
				 (unsigned long long)got, (unsigned long long)bad);
	return 0;
}

static int reader(struct run_ctx *ctx, void *arg UNUSED)
{
	uint64_t size = ctx->opts.size, got = 0, bad;
	char *buf = xp_prefaulted(size); /* its faults belong to setup */
	int fd = open_data(ctx);
	ssize_t n = 1;

	if (fd < 0 || !buf)
		return -1;
	phase_mark(PHASE_TRANSFER);
	while (got < size && n > 0) {
		size_t want = size - got < ctx->opts.block ? size - got : ctx->opts.block;

		n = read(fd, buf + got, want);
		got += n > 0 ? n : 0;
	}
	phase_mark(PHASE_TEARDOWN);
	close(fd);
	bad = pattern_check(buf, got, 0);
	free(buf);
	return check_facts(ctx, "reader", got, bad);
}

static int mapper(struct run_ctx *ctx, void *arg UNUSED)
{
	uint64_t size = ctx->opts.size, bad;
	int fd = open_data(ctx);
	char *p;

	if (fd < 0)
		return -1;
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return ctx_error(ctx, "mmap: %s", strerror(errno));
	phase_mark(PHASE_TRANSFER);
	bad = pattern_check(p, size, 0); /* a load of every word */
	phase_mark(PHASE_TEARDOWN);
	munmap(p, size);
	return check_facts(ctx, "mapper", size, bad);
}

static int run(struct run_ctx *ctx)
{
	const char *roles[] = { "reader", "mapper" };
	char path[] = "data.dat";
	pid_t pids[2];
	int64_t bad;

	if (pattern_file(ctx, path, ctx->opts.size))
		return ctx_error(ctx, "create %s: %s", path, strerror(errno));
	/* read once here, untraced, so both workers find every page cached */
	bad = file_mismatches(ctx, path, ctx->opts.size);
	if (bad)
		return ctx_error(ctx, "%s reads back wrong (%lld)", path, (long long)bad);
	pids[0] = spawn(ctx, roles[0], reader, NULL);
	if (pids[0] < 0)
		return -1;
	pids[1] = spawn(ctx, roles[1], mapper, NULL);
	if (pids[1] < 0)
		return -1;
	return wait_workers(ctx, 2, pids, roles);
}

const struct scenario scenario_mmap_vs_read = {
	.name = "mmap-vs-read",
	.summary = "the same cached file bytes by read() into a buffer and by loads from a mapping",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 4 << 20,
	.needs = NEED_DISK | NEED_MEMORY,
	.default_block = 64 << 10,
	.prepare = prepare,
	.run = run,
};
