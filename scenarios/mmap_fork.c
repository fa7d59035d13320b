// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap-fork: a parent maps a file MAP_SHARED and then forks; the child
 * stores --size bytes through the mapping it inherited and exits; the
 * parent then loads and checks them through its own. The textbook says
 * parent and child share the mapping across fork: no syscall, no copy,
 * and the stores reach the file.
 *
 * The child's exit is the only signal (waitpid, in the parent's setup), so
 * the transfer phase of each process holds only its stores or loads.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "compiler.h"
#include "mapkit.h"

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "page";
	ctx->units = page_round(ctx->opts.size) / page_size();
	ctx->nic_reason = "no network device: the data stays in shared page-cache pages";
	return 0;
}

static int parent(struct run_ctx *ctx, void *arg UNUSED)
{
	uint64_t len = page_round(ctx->opts.size);
	char path[] = "fork-shared.dat";
	int fd, err;
	char *p;

	fd = run_open(ctx, path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return ctx_error(ctx, "create %s: %s", path, strerror(errno));
	if (ftruncate(fd, len)) {
		close(fd);
		return ctx_error(ctx, "ftruncate %s: %s", path, strerror(errno));
	}
	/* mapped before fork: the child inherits this very mapping */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	err = errno;
	close(fd);
	if (p == MAP_FAILED)
		return ctx_error(ctx, "mmap %s: %s", path, strerror(err));
	err = fork_store_load(ctx, p, len);
	munmap(p, len);
	fact_set(ctx, "parent", "words_mismatched_in_file", file_mismatches(ctx, path, len));
	return err;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "parent", parent, NULL);
}

const struct scenario scenario_mmap_fork = {
	.name = "mmap-fork",
	.summary = "a child stores into a MAP_SHARED file mapping made before fork, parent loads",
	.opts = OPT_SIZE,
	.default_size = 1 << 20,
	.needs = NEED_DISK,
	.prepare = prepare,
	.run = run,
};
