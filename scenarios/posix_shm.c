// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * posix-shm: a POSIX shared memory object (shm_open + ftruncate + mmap)
 * between two unrelated processes: the writer (forked) stores --size bytes,
 * the reader (exec'd) loads and checks them, as in mmap-share but with a
 * tmpfs object in /dev/shm instead of a file on disk.
 *
 * The object's name holds ipctrace's pid and 64 random bits, so no other
 * process can guess it and open it first. The writer unlinks it once both
 * sides are done; run() unlinks it again whatever happened, so a failed run
 * leaves nothing in /dev/shm.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include "mapkit.h"

static uint64_t data_bytes(const struct run_ctx *ctx)
{
	return page_round(ctx->opts.size);
}

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "page";
	ctx->units = data_bytes(ctx) / page_size();
	ctx->nic_reason = "no network device: the data stays in shared memory pages";
	return 0;
}

static int map_object(struct run_ctx *ctx, const char *name, struct share_map *m)
{
	int fd = shm_open(name, O_RDWR, 0);

	if (fd < 0)
		return ctx_error(ctx, "shm_open %s: %s", name, strerror(errno));
	return share_map_fd(ctx, fd, data_bytes(ctx), PROT_READ | PROT_WRITE, m);
}

static int writer(struct run_ctx *ctx, void *arg)
{
	const char *name = arg;
	struct share_map m;

	if (map_object(ctx, name, &m))
		return -1;
	share_store(ctx, &m, "writer");
	share_unmap(&m);
	/* the reader is done with it too: the name can go */
	fact_set(ctx, "writer", "shm_unlink_ret", shm_unlink(name));
	return 0;
}

/* The reader: ipctrace __worker posix-shm SHFD reader NAME */
static int reader(struct run_ctx *ctx, int argc, char **argv)
{
	struct share_map m;
	int err;

	if (argc < 1)
		return ctx_error(ctx, "reader: no object name given");
	if (map_object(ctx, argv[0], &m))
		return -1;
	err = share_load(ctx, &m, "reader");
	share_unmap(&m);
	return err;
}

/* "/ipctrace-PID-RANDOM": unguessable, and recognisable as ours in /dev/shm */
static int object_name(struct run_ctx *ctx, char *name, size_t len)
{
	uint64_t r;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return ctx_error(ctx, "getrandom: %s", strerror(errno));
	snprintf(name, len, "/ipctrace-%d-%016llx", (int)getpid(), (unsigned long long)r);
	return 0;
}

static int spawn_both(struct run_ctx *ctx, char *name)
{
	pid_t pids[2];

	pids[0] = spawn_exec(ctx, "reader", (char *[]){ name, NULL });
	if (pids[0] < 0)
		return -1;
	pids[1] = spawn(ctx, "writer", writer, name);
	if (pids[1] < 0)
		return -1;
	return wait_workers(ctx, 2, pids, (const char *[]){ "reader", "writer" });
}

static int run(struct run_ctx *ctx)
{
	char name[64];
	int fd, err;

	if (object_name(ctx, name, sizeof(name)))
		return -1;
	/* if ipctrace dies before the unlink below, its guard unlinks it (rundir.h) */
	run_shm_guard(ctx, name);
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return ctx_error(ctx, "shm_open %s: %s", name, strerror(errno));
	/* the data and a control page after it */
	err = ftruncate(fd, data_bytes(ctx) + page_size());
	close(fd);
	if (err)
		err = ctx_error(ctx, "ftruncate %s: %s", name, strerror(errno));
	else
		err = spawn_both(ctx, name);
	/* on every path: normally the writer did it already (ENOENT) */
	shm_unlink(name);
	return err;
}

const struct scenario scenario_posix_shm = {
	.name = "posix-shm",
	.summary = "two unrelated processes share a POSIX shm_open object: one stores, one loads",
	.opts = OPT_SIZE,
	.default_size = 1 << 20,
	.needs = NEED_MEMORY,
	.prepare = prepare,
	.run = run,
	.worker = reader,
};
