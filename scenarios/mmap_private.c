// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap-private: a file holds --size bytes of known content. Two processes
 * map it MAP_PRIVATE and store a different pattern into every page:
 * "writer" stores straight away (each first touch is a write fault on an
 * absent page: the kernel copies the page-cache page into a new anonymous
 * page), "read-then-write" first loads every page in its setup (the
 * page-cache pages get mapped read-only) and then stores (each store is a
 * write-protect fault: the classic copy-on-write). An unrelated process,
 * "observer" (exec'd), maps the file MAP_SHARED and, after both wrote,
 * loads it: it must see the original content. Once the writers have
 * unmapped, they read the file: it must be unchanged.
 *
 * The control page after the data is mapped MAP_SHARED by everyone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
	ctx->nic_reason = "no network device: the data stays in memory";
	return 0;
}

/* Anonymous pages of the mapping that starts at @addr (/proc/self/smaps), or -1. */
static int64_t anon_pages(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	unsigned long lo, hi;
	long long kib = -1;
	bool ours = false;
	char line[512];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) /* a mapping's header line */
			ours = lo == (unsigned long)addr;
		else if (ours && sscanf(line, "Anonymous: %lld kB", &kib) == 1)
			break;
	}
	fclose(f);
	return kib < 0 ? -1 : kib * 1024 / (int64_t)page_size();
}

struct writer_kind {
	const char *role;
	bool read_first;
};

static const struct writer_kind kinds[] = {
	{ "writer", false },
	{ "read-then-write", true },
};

#define FILE_NAME "private.dat" /* in the run's directory */

static int private_writer(struct run_ctx *ctx, void *arg)
{
	const struct writer_kind *k = arg;
	uint64_t len = data_bytes(ctx);
	struct control *ctl;
	const char *path = FILE_NAME;
	char *p;
	int fd;

	fd = run_open(ctx, path, O_RDWR, 0);
	if (fd < 0)
		return ctx_error(ctx, "open %s: %s", path, strerror(errno));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ctl = mmap(NULL, page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, len);
	close(fd);
	if (p == MAP_FAILED || ctl == MAP_FAILED)
		return ctx_error(ctx, "%s: mmap %s: %s", k->role, path, strerror(errno));
	if (k->read_first)
		fact_set(ctx, k->role, "words_mismatched_before", pattern_check(p, len, 0));
	phase_mark(PHASE_TRANSFER);
	/* another stream of the pattern: every word differs from the file's */
	pattern_fill(p, len, len);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, k->role, "words_not_kept", pattern_check(p, len, len));
	/* the pages copied on write are anonymous pages of this mapping now */
	fact_set(ctx, k->role, "anon_pages", anon_pages(p));
	flag_raise(&ctl->ready);
	flag_wait(&ctl->done, 1);
	munmap(p, len);
	munmap(ctl, page_size());
	fact_set(ctx, k->role, "words_changed_in_file", file_mismatches(ctx, path, len));
	return 0;
}

/* The observer: ipctrace __worker mmap-private SHFD observer PATH */
static int observer(struct run_ctx *ctx, int argc, char **argv)
{
	struct share_map m;
	uint64_t changed;
	int fd;

	if (argc < 1)
		return ctx_error(ctx, "observer: no file given");
	fd = run_open(ctx, argv[0], O_RDWR, 0);
	if (fd < 0)
		return ctx_error(ctx, "open %s: %s", argv[0], strerror(errno));
	if (share_map_fd(ctx, fd, data_bytes(ctx), PROT_READ | PROT_WRITE, &m))
		return -1;
	flag_wait(&m.ctl->ready, 2);
	phase_mark(PHASE_TRANSFER);
	changed = pattern_check(m.data, m.len, 0);
	phase_mark(PHASE_TEARDOWN);
	flag_raise(&m.ctl->done);
	share_unmap(&m);
	fact_set(ctx, "observer", "bytes_checked", m.len);
	fact_set(ctx, "observer", "words_changed_seen_by_other", changed);
	return 0;
}

static int run(struct run_ctx *ctx)
{
	const char *roles[] = { "observer", kinds[0].role, kinds[1].role };
	char path[] = FILE_NAME;
	pid_t pids[3];
	int fd;

	/* known content, then a zeroed control page */
	if (pattern_file(ctx, path, data_bytes(ctx)) || (fd = run_open(ctx, path, O_RDWR, 0)) < 0)
		return ctx_error(ctx, "create %s: %s", path, strerror(errno));
	if (ftruncate(fd, data_bytes(ctx) + page_size())) {
		close(fd);
		return ctx_error(ctx, "ftruncate %s: %s", path, strerror(errno));
	}
	close(fd);
	pids[0] = spawn_exec(ctx, roles[0], (char *[]){ path, NULL });
	for (int i = 0; i < 2 && pids[0] > 0; i++)
		if ((pids[i + 1] = spawn(ctx, roles[i + 1], private_writer, (void *)&kinds[i])) < 0)
			return -1;
	return pids[0] < 0 ? -1 : wait_workers(ctx, 3, pids, roles);
}

const struct scenario scenario_mmap_private = {
	.name = "mmap-private",
	.summary = "MAP_PRIVATE stores (straight, and after loads) stay private: copy-on-write",
	.opts = OPT_SIZE,
	.default_size = 1 << 20,
	.needs = NEED_DISK,
	.prepare = prepare,
	.run = run,
	.worker = observer,
};
