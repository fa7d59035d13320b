// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap-share: two unrelated processes map one file MAP_SHARED; the writer
 * (forked by ipctrace) stores --size bytes through its mapping, the reader
 * (exec'd, so it shares no memory with anyone) loads and checks them
 * through its own. The textbook says: no syscall and no copy after mmap.
 *
 * The file holds the data pages and then one control page with three
 * futex words. Waiting on them happens in setup and teardown, so the
 * transfer phase of each process holds only its loads or stores.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "scenario.h"

struct control {
	uint32_t mapped; /* reader has mapped the file */
	uint32_t ready;  /* writer has stored everything */
	uint32_t done;   /* reader has checked everything */
};

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static uint64_t data_bytes(const struct run_ctx *ctx)
{
	return (ctx->opts.size + page_size() - 1) / page_size() * page_size();
}

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "page";
	ctx->units = data_bytes(ctx) / page_size();
	ctx->nic_reason = "no network device: the data stays in shared page-cache pages";
	return 0;
}

static void flag_wait(uint32_t *word)
{
	while (!__atomic_load_n(word, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, word, FUTEX_WAIT, 0, NULL, NULL, 0);
}

static void flag_raise(uint32_t *word)
{
	__atomic_store_n(word, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Map the scenario's file; the control page follows the data. */
static char *map_file(struct run_ctx *ctx, const char *path, int oflags, int prot,
		      struct control **ctl)
{
	size_t len = data_bytes(ctx) + page_size();
	int fd = open(path, oflags | O_CLOEXEC | O_NOFOLLOW);
	char *p;

	if (fd < 0) {
		ctx_error(ctx, "open %s: %s", path, strerror(errno));
		return NULL;
	}
	p = mmap(NULL, len, prot, MAP_SHARED, fd, 0);
	close(fd); /* the mapping outlives the fd */
	if (p == MAP_FAILED) {
		ctx_error(ctx, "mmap %s: %s", path, strerror(errno));
		return NULL;
	}
	*ctl = (struct control *)(p + data_bytes(ctx));
	return p;
}

static int writer(struct run_ctx *ctx, void *arg)
{
	struct control *ctl;
	char *p = map_file(ctx, arg, O_RDWR, PROT_READ | PROT_WRITE, &ctl);

	if (!p)
		return -1;
	flag_wait(&ctl->mapped);
	phase_mark(PHASE_TRANSFER);
	pattern_fill(p, data_bytes(ctx), 0);
	phase_mark(PHASE_TEARDOWN);
	flag_raise(&ctl->ready);
	flag_wait(&ctl->done);
	fact_set(ctx, "writer", "bytes_stored", data_bytes(ctx));
	return munmap(p, data_bytes(ctx) + page_size());
}

/* The reader: ipctrace __worker mmap-share SHFD reader PATH */
static int reader(struct run_ctx *ctx, int argc, char **argv)
{
	struct control *ctl;
	uint64_t bad;
	char *p;

	if (argc < 1)
		return ctx_error(ctx, "reader: no file given");
	p = map_file(ctx, argv[0], O_RDWR, PROT_READ | PROT_WRITE, &ctl);
	if (!p)
		return -1;
	flag_raise(&ctl->mapped);
	flag_wait(&ctl->ready);
	phase_mark(PHASE_TRANSFER);
	bad = pattern_check(p, data_bytes(ctx), 0);
	phase_mark(PHASE_TEARDOWN);
	flag_raise(&ctl->done);
	fact_set(ctx, "reader", "bytes_checked", data_bytes(ctx));
	fact_set(ctx, "reader", "words_mismatched", bad);
	munmap(p, data_bytes(ctx) + page_size());
	return bad ? ctx_error(ctx, "reader saw %llu wrong words", (unsigned long long)bad) : 0;
}

static int run(struct run_ctx *ctx)
{
	char path[300];
	int fd, err;
	pid_t pids[2];

	tmp_path(ctx, path, sizeof(path), "shared.dat");
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
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
	.prepare = prepare,
	.run = run,
	.worker = reader,
};
