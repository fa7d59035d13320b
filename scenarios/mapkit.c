// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Helpers of the shared-memory scenarios: see mapkit.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "mapkit.h"

size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

uint64_t page_round(uint64_t n)
{
	return (n + page_size() - 1) / page_size() * page_size();
}

void flag_wait(uint32_t *word, uint32_t n)
{
	uint32_t v;

	while ((v = __atomic_load_n(word, __ATOMIC_ACQUIRE)) < n)
		syscall(SYS_futex, word, FUTEX_WAIT, v, NULL, NULL, 0);
}

void flag_raise(uint32_t *word)
{
	__atomic_add_fetch(word, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

int share_map_fd(struct run_ctx *ctx, int fd, uint64_t len, int prot, struct share_map *m)
{
	char *p = mmap(NULL, len + page_size(), prot, MAP_SHARED, fd, 0);
	int err = errno;

	close(fd); /* the mapping outlives the fd */
	if (p == MAP_FAILED)
		return ctx_error(ctx, "mmap of %llu bytes: %s", (unsigned long long)len,
				 strerror(err));
	m->data = p;
	m->len = len;
	m->ctl = (struct control *)(p + len);
	return 0;
}

void share_unmap(struct share_map *m)
{
	munmap(m->data, m->len + page_size());
}

int share_store(struct run_ctx *ctx, struct share_map *m, const char *role)
{
	flag_wait(&m->ctl->mapped, 1);
	phase_mark(PHASE_TRANSFER);
	pattern_fill(m->data, m->len, 0);
	phase_mark(PHASE_TEARDOWN);
	flag_raise(&m->ctl->ready);
	flag_wait(&m->ctl->done, 1);
	fact_set(ctx, role, "bytes_stored", m->len);
	return 0;
}

static int load_checked(struct run_ctx *ctx, const char *p, uint64_t len, const char *role)
{
	uint64_t bad;

	phase_mark(PHASE_TRANSFER);
	bad = pattern_check(p, len, 0);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, role, "bytes_checked", len);
	fact_set(ctx, role, "words_mismatched", bad);
	return bad ? ctx_error(ctx, "%s saw %llu wrong words", role, (unsigned long long)bad) : 0;
}

int share_load(struct run_ctx *ctx, struct share_map *m, const char *role)
{
	int err;

	flag_raise(&m->ctl->mapped);
	flag_wait(&m->ctl->ready, 1);
	err = load_checked(ctx, m->data, m->len, role);
	flag_raise(&m->ctl->done);
	return err;
}

struct store_job {
	char *p;
	uint64_t len;
};

static int store_child(struct run_ctx *ctx, void *arg)
{
	struct store_job *job = arg;

	phase_mark(PHASE_TRANSFER);
	pattern_fill(job->p, job->len, 0);
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "child", "bytes_stored", job->len);
	return 0;
}

int fork_store_load(struct run_ctx *ctx, char *p, uint64_t len)
{
	struct store_job job = { p, len };
	pid_t child = spawn(ctx, "child", store_child, &job);

	/* the child's exit is the signal: waitpid() stays in the setup phase */
	if (child < 0 || wait_worker(ctx, child, "child"))
		return -1;
	return load_checked(ctx, p, len, "parent");
}

int64_t file_mismatches(const struct run_ctx *ctx, const char *path, uint64_t len)
{
	size_t block = 1 << 16;
	int fd = run_open(ctx, path, O_RDONLY, 0);
	char *buf = malloc(block);
	uint64_t bad = 0, got = 0;
	ssize_t n = 1;

	/* exactly @len bytes: the file may go on (a control page) */
	while (fd >= 0 && buf && got < len && n > 0) {
		n = pread(fd, buf, len - got < block ? len - got : block, got);
		if (n > 0)
			bad += pattern_check(buf, n, got);
		got += n > 0 ? n : 0;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return got == len ? (int64_t)bad : -1;
}
