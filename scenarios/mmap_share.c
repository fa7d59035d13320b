// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap-share: two unrelated processes map one file MAP_SHARED; the writer
 * (forked by ipctrace) stores --size bytes through its mapping, the reader
 * (exec'd, so it shares no memory with anyone) loads and checks them
 * through its own, then reads the file once both have unmapped it. The
 * textbook says: no syscall and no copy after mmap, and the file is changed.
 *
 * The file holds the data pages and then one control page with three
 * futex words (mapkit.h). Waiting on them happens in setup and teardown, so the
 * transfer phase of each process holds only its loads or stores.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "mapkit.h"

static uint64_t data_bytes(const struct run_ctx *ctx)
{
	return page_round(ctx->opts.size);
}

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "page";
	ctx->units = data_bytes(ctx) / page_size();
	ctx->nic_reason = "no network device: the data stays in shared page-cache pages";
	return 0;
}

/* Map the scenario's file; the control page follows the data. */
static int map_file(struct run_ctx *ctx, const char *path, struct share_map *m)
{
	int fd = run_open(ctx, path, O_RDWR, 0);

	if (fd < 0)
		return ctx_error(ctx, "open %s: %s", path, strerror(errno));
	return share_map_fd(ctx, fd, data_bytes(ctx), PROT_READ | PROT_WRITE, m);
}

static int writer(struct run_ctx *ctx, void *arg)
{
	struct share_map m;

	if (map_file(ctx, arg, &m))
		return -1;
	share_store(ctx, &m, "writer");
	share_unmap(&m);
	return 0;
}

/* The reader: ipctrace __worker mmap-share SHFD reader PATH */
static int reader(struct run_ctx *ctx, int argc, char **argv)
{
	struct share_map m;
	int err;

	if (argc < 1)
		return ctx_error(ctx, "reader: no file given");
	if (map_file(ctx, argv[0], &m))
		return -1;
	err = share_load(ctx, &m, "reader");
	share_unmap(&m);
	/* with every mapping gone, the stores must be in the file itself */
	fact_set(ctx, "reader", "words_mismatched_in_file",
		 file_mismatches(ctx, argv[0], data_bytes(ctx)));
	return err;
}

static int run(struct run_ctx *ctx)
{
	char path[] = "shared.dat";
	int fd, err;
	pid_t pids[2];

	fd = run_open(ctx, path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return ctx_error(ctx, "create %s: %s", path, strerror(errno));
	err = ftruncate(fd, data_bytes(ctx) + page_size());
	close(fd);
	if (err)
		return ctx_error(ctx, "ftruncate %s: %s", path, strerror(errno));
	pids[0] = spawn_exec(ctx, "reader", (char *[]){ path, NULL });
	if (pids[0] < 0)
		return -1;
	pids[1] = spawn(ctx, "writer", writer, path);
	if (pids[1] < 0)
		return -1;
	return wait_workers(ctx, 2, pids, (const char *[]){ "reader", "writer" });
}

const struct scenario scenario_mmap_share = {
	.name = "mmap-share",
	.summary = "two unrelated processes share a file with MAP_SHARED: one stores, one loads",
	.opts = OPT_SIZE,
	.default_size = 1 << 20,
	.needs = NEED_DISK,
	.prepare = prepare,
	.run = run,
	.worker = reader,
};
