// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap-anon: a parent makes a shared mapping backed by no file of its own,
 * forks, the child stores --size bytes through it and exits, the parent
 * loads and checks them. --to anon: MAP_SHARED | MAP_ANONYMOUS; --to
 * devzero: MAP_SHARED of /dev/zero, the older portable way. Both give
 * shmem (tmpfs) pages behind the scenes, zero-filled at the first touch.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "compiler.h"
#include "mapkit.h"

static bool devzero(const struct run_ctx *ctx)
{
	return !strcmp(ctx->opts.to, "devzero");
}

static int prepare(struct run_ctx *ctx)
{
	if (!ctx->opts.to)
		ctx->opts.to = "anon";
	if (strcmp(ctx->opts.to, "anon") && !devzero(ctx))
		return ctx_error(ctx, "--to must be anon or devzero, not '%s'", ctx->opts.to);
	ctx->unit = "page";
	ctx->units = page_round(ctx->opts.size) / page_size();
	ctx->nic_reason = "no network device: the data stays in shared memory pages";
	return 0;
}

static int parent(struct run_ctx *ctx, void *arg UNUSED)
{
	uint64_t len = page_round(ctx->opts.size);
	int fd = -1, flags = MAP_SHARED, err;
	char *p;

	if (devzero(ctx)) {
		fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return ctx_error(ctx, "open /dev/zero: %s", strerror(errno));
	} else {
		flags |= MAP_ANONYMOUS;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);
	err = errno;
	if (fd >= 0)
		close(fd);
	if (p == MAP_FAILED)
		return ctx_error(ctx, "mmap (%s): %s", ctx->opts.to, strerror(err));
	err = fork_store_load(ctx, p, len);
	munmap(p, len);
	return err;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "parent", parent, NULL);
}

const struct scenario scenario_mmap_anon = {
	.name = "mmap-anon",
	.summary = "a child stores into shared anonymous (or /dev/zero) memory, its parent loads",
	.opts = OPT_SIZE | OPT_TO,
	.to_kinds = "anon|devzero",
	.default_size = 1 << 20,
	.needs = NEED_MEMORY,
	.prepare = prepare,
	.run = run,
};
