// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap-rules: one worker, the "prober", checks in turn what the textbook
 * says mmap() and munmap() allow, and records each outcome as facts:
 * a return value (0 or -1), the errno (a positive number), the signal a
 * touch raised (SIGBUS 7, SIGSEGV 11; 0 for none), words that read wrong.
 *
 *   offset 4096 vs 100 (asked of the kernel, and of glibc, which answers
 *   itself without a syscall); length 0; an empty file mapped with length 4096
 *   and touched; a 100-byte file mapped with length 8192 (the rest of its
 *   first page, then its second page); an O_WRONLY fd; PROT_WRITE with
 *   MAP_SHARED and with MAP_PRIVATE on an O_RDONLY fd; close() right after
 *   mmap(); munmap() of an unaligned address and of a page in the middle
 *   of a mapping (then the rest of it, and the hole).
 *
 * Touches that fault end in a handler that jumps back (siglongjmp), so the
 * prober survives them and the kernel's signal figures count them: 2 SIGBUS
 * and 1 SIGSEGV. Files are made and opened in setup; the transfer phase
 * holds the checks. Facts are written in teardown, after the file checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "compiler.h"
#include "mapkit.h"

#define MAX_OUTCOMES 48
#define STAMP 0x5ca1ab1e0ddba11ull /* stored through a mapping whose fd is closed */

struct outcomes {
	int n;
	struct { char key[48]; int64_t value; } o[MAX_OUTCOMES];
};

/* facts wait until teardown: recording them costs nothing in the transfer */
static void note(struct outcomes *out, const char *check, const char *what, int64_t value)
{
	if (out->n >= MAX_OUTCOMES)
		return;
	snprintf(out->o[out->n].key, sizeof(out->o[0].key), "%s_%s", check, what);
	out->o[out->n++].value = value;
}

typedef void *mmap_fn(void *addr, size_t len, int prot, int flags, int fd, off_t off);

/* the system call itself: glibc turns down an unaligned offset before the kernel sees it */
static void *kernel_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

/* mmap through @fn, noting check_ret (0 or -1) and, on failure, check_errno */
static char *try_mmap_with(mmap_fn *fn, struct outcomes *out, const char *check, size_t len,
			   int prot, int flags, int fd, off_t off)
{
	char *p = fn(NULL, len, prot, flags, fd, off);
	int err = errno;

	note(out, check, "ret", p == MAP_FAILED ? -1 : 0);
	if (p == MAP_FAILED) {
		note(out, check, "errno", err);
		return NULL;
	}
	return p;
}

static char *try_mmap(struct outcomes *out, const char *check, size_t len, int prot, int flags,
		      int fd, off_t off)
{
	return try_mmap_with(mmap, out, check, len, prot, flags, fd, off);
}

static void try_munmap(struct outcomes *out, const char *check, void *p, size_t len)
{
	int ret = munmap(p, len), err = errno;

	note(out, check, "ret", ret);
	if (ret)
		note(out, check, "errno", err);
}

static sigjmp_buf touch_env;

static void on_touch_fault(int sig)
{
	siglongjmp(touch_env, sig);
}

/*
 * Load a byte at @p; the signal it raised, or 0. The handler runs with
 * SA_NODEFER and jumps straight back here without restoring a mask, so
 * neither side makes a syscall.
 */
static int touch(const volatile char *p)
{
	int sig = sigsetjmp(touch_env, 0);

	if (sig)
		return sig;
	(void)*p;
	return 0;
}

struct files {
	int pages_ro, pages_wo; /* 4 pages of pattern: O_RDONLY, O_WRONLY */
	int empty;              /* 0 bytes */
	int small;              /* 100 bytes of pattern */
	int closed;             /* 1 page, O_RDWR: closed right after mmap() */
	const char *pages_path, *closed_path;
};

static void check_offsets(struct outcomes *out, struct files *f)
{
	size_t pg = page_size();
	char *p = try_mmap(out, "offset_4096", pg, PROT_READ, MAP_SHARED, f->pages_ro, pg);

	if (p) {
		note(out, "offset_4096", "words_mismatched", pattern_check(p, pg, pg));
		munmap(p, pg);
	}
	p = try_mmap_with(kernel_mmap, out, "offset_100", pg, PROT_READ, MAP_SHARED, f->pages_ro,
			  100);
	if (p)
		munmap(p, pg);
	p = try_mmap(out, "offset_100_libc", pg, PROT_READ, MAP_SHARED, f->pages_ro, 100);
	if (p)
		munmap(p, pg);
	p = try_mmap(out, "length_0", 0, PROT_READ, MAP_SHARED, f->pages_ro, 0);
	if (p)
		munmap(p, pg);
}

static void check_past_eof(struct outcomes *out, struct files *f)
{
	size_t pg = page_size();
	int64_t nonzero = 0;
	char *p = try_mmap(out, "empty", pg, PROT_READ, MAP_SHARED, f->empty, 0);

	if (p) {
		note(out, "empty", "touch_signal", touch(p));
		munmap(p, pg);
	}
	p = try_mmap(out, "small", 2 * pg, PROT_READ, MAP_SHARED, f->small, 0);
	if (!p)
		return;
	note(out, "small", "head_mismatched", pattern_check(p, 100, 0));
	for (size_t i = 100; i < pg; i++)
		nonzero += p[i] != 0;
	note(out, "small", "tail_nonzero_bytes", nonzero);
	note(out, "small", "page2_touch_signal", touch(p + pg));
	munmap(p, 2 * pg);
}

static void check_open_modes(struct outcomes *out, struct files *f)
{
	size_t pg = page_size();
	uint64_t mark = ~pattern_word(0);
	char *p;

	p = try_mmap(out, "wronly_read", pg, PROT_READ, MAP_SHARED, f->pages_wo, 0);
	if (p)
		munmap(p, pg);
	p = try_mmap(out, "wronly_write", pg, PROT_WRITE, MAP_SHARED, f->pages_wo, 0);
	if (p)
		munmap(p, pg);
	p = try_mmap(out, "rdonly_shared_write", pg, PROT_READ | PROT_WRITE, MAP_SHARED,
		     f->pages_ro, 0);
	if (p)
		munmap(p, pg);
	p = try_mmap(out, "rdonly_private_write", pg, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		     f->pages_ro, 0);
	if (p) {
		*(volatile uint64_t *)p = mark;
		note(out, "rdonly_private_write", "seen", *(volatile uint64_t *)p == mark);
		munmap(p, pg);
	}
}

static void check_close(struct outcomes *out, struct files *f)
{
	size_t pg = page_size();
	char *p = try_mmap(out, "closed", pg, PROT_READ | PROT_WRITE, MAP_SHARED, f->closed, 0);

	note(out, "closed", "close_ret", close(f->closed));
	f->closed = -1;
	if (!p)
		return;
	note(out, "closed", "words_mismatched", pattern_check(p, pg, 0));
	*(volatile uint64_t *)p = STAMP;
	note(out, "closed", "stamp_seen", *(volatile uint64_t *)p == STAMP);
	munmap(p, pg);
}

static void check_munmap(struct outcomes *out, struct files *f)
{
	size_t pg = page_size();
	char *p = try_mmap(out, "unmap_map", 4 * pg, PROT_READ, MAP_SHARED, f->pages_ro, 0);

	if (!p)
		return;
	try_munmap(out, "unmap_unaligned", p + 100, pg);
	try_munmap(out, "unmap_inside", p + pg, pg);
	/* pages 0, 2 and 3 are still there, page 1 is a hole */
	note(out, "unmap_rest", "words_mismatched",
	     pattern_check(p, pg, 0) + pattern_check(p + 2 * pg, 2 * pg, 2 * pg));
	note(out, "unmap_hole", "touch_signal", touch(p + pg));
	try_munmap(out, "unmap_whole", p, 4 * pg);
}

static int open_file(struct run_ctx *ctx, const char *path, int flags)
{
	int fd = run_open(ctx, path, flags, 0);

	if (fd < 0)
		ctx_error(ctx, "open %s: %s", path, strerror(errno));
	return fd;
}

static int make_files(struct run_ctx *ctx, struct files *f)
{
	const char *empty = "empty.dat", *small = "small.dat";

	f->pages_path = "pages.dat";
	f->closed_path = "closed.dat";
	if (pattern_file(ctx, f->pages_path, 4 * page_size()) || pattern_file(ctx, empty, 0) ||
	    pattern_file(ctx, small, 100) || pattern_file(ctx, f->closed_path, page_size()))
		return ctx_error(ctx, "create files in %s: %s", ctx->tmpdir, strerror(errno));
	f->pages_ro = open_file(ctx, f->pages_path, O_RDONLY);
	f->pages_wo = open_file(ctx, f->pages_path, O_WRONLY);
	f->empty = open_file(ctx, empty, O_RDWR);
	f->small = open_file(ctx, small, O_RDONLY);
	f->closed = open_file(ctx, f->closed_path, O_RDWR);
	return f->pages_ro < 0 || f->pages_wo < 0 || f->empty < 0 || f->small < 0 ||
	       f->closed < 0 ? -1 : 0;
}

static void close_files(struct files *f)
{
	int *fds[] = { &f->pages_ro, &f->pages_wo, &f->empty, &f->small, &f->closed };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
}

/* The stamp stored through the mapping whose fd was closed, read from the file. */
static int64_t stamp_in_file(const struct run_ctx *ctx, const char *path)
{
	uint64_t word = 0;
	int fd = run_open(ctx, path, O_RDONLY, 0);
	ssize_t n = fd >= 0 ? pread(fd, &word, sizeof(word), 0) : -1;

	if (fd >= 0)
		close(fd);
	return n == sizeof(word) && word == STAMP;
}

static int prober(struct run_ctx *ctx, void *arg UNUSED)
{
	struct sigaction sa = { .sa_handler = on_touch_fault, .sa_flags = SA_NODEFER };
	struct files f = { -1, -1, -1, -1, -1, NULL, NULL };
	static struct outcomes out; /* static: prefaulted with the rest of the data */

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) || sigaction(SIGSEGV, &sa, NULL))
		return ctx_error(ctx, "sigaction: %s", strerror(errno));
	if (make_files(ctx, &f)) {
		close_files(&f);
		return -1;
	}
	phase_mark(PHASE_TRANSFER);
	check_offsets(&out, &f);
	check_past_eof(&out, &f);
	check_open_modes(&out, &f);
	check_close(&out, &f);
	check_munmap(&out, &f);
	phase_mark(PHASE_TEARDOWN);
	close_files(&f);
	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	/* what reached the files: nothing from MAP_PRIVATE, the stamp from MAP_SHARED */
	note(&out, "rdonly_private_write", "file_words_changed",
	     file_mismatches(ctx, f.pages_path, 4 * page_size()));
	note(&out, "closed", "stamp_in_file", stamp_in_file(ctx, f.closed_path));
	for (int i = 0; i < out.n; i++)
		fact_set(ctx, "prober", out.o[i].key, out.o[i].value);
	return out.n < MAX_OUTCOMES ? 0 : ctx_error(ctx, "more outcomes than room for them");
}

static int prepare(struct run_ctx *ctx)
{
	/* every check has its own fixed size; the core checks the other options */
	if (ctx->opts.size)
		return ctx_error(ctx, "scenario %s takes no --size option", ctx->sc->name);
	ctx->unit = "check";
	ctx->units = 13;
	ctx->nic_reason = "no network device: nothing is transferred";
	return 0;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "prober", prober, NULL);
}

const struct scenario scenario_mmap_rules = {
	.name = "mmap-rules",
	.summary = "what mmap/munmap allow: offsets, length 0, past EOF, open modes, close, munmap",
	.opts = 0,
	.prepare = prepare,
	.run = run,
};
