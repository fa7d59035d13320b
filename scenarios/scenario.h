/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A scenario is a workload that exists to be traced: one file per mechanism
 * in scenarios/, registered in the table of registry.c.
 *
 * It runs in processes forked (or forked and exec'd) by ipctrace; the
 * kernel traces them and everything they fork. Each process marks its own
 * phases with phase_mark(), so setup and teardown costs stay out of the
 * transfer figures. What a process sees from user space (bytes checked,
 * return values, errno) it records with fact_set().
 */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/types.h>
#include "ipctrace.h"
#include "testpoint.h"

/* Options a scenario accepts (struct scenario.opts). */
#define OPT_SIZE (1u << 0)
#define OPT_BLOCK (1u << 1)
#define OPT_TO (1u << 2)
#define OPT_COLD (1u << 3)

/* What --size costs (struct scenario.needs). */
#define NEED_DISK (1u << 0)   /* a file of --size bytes in the run's directory */
#define NEED_MEMORY (1u << 1) /* --size bytes of memory */

struct run_opts {
	uint64_t size;
	uint64_t block;
	const char *to;
	bool cold;
	bool timeline; /* record the event stream (ipctrace's, not the scenario's) */
};

/* the memory ipctrace shares with every process of a run (runner.h) */
struct shared;

struct run_ctx {
	const struct scenario *sc;
	struct run_opts opts;
	char tmpdir[300]; /* the run's private directory, for messages */
	int dirfd;        /* that directory: every file of the run is made and used relative to it */
	struct shared *sh;
	int shfd;
	/* declared by the scenario for the report */
	const char *unit;
	uint64_t units;
	const char *nic_reason; /* why there is no NIC DMA figure */
	char error[256];        /* set when the workload failed */
};

struct scenario {
	const char *name;
	const char *summary;
	unsigned opts;
	/* with OPT_TO: the values --to takes, '|'-separated, the default first (help, completion) */
	const char *to_kinds;
	uint64_t default_size;
	uint64_t default_block;
	/* what --size bytes take: checked against what the machine has, before anything runs */
	unsigned needs;
	/* check options and declare unit/units; 0 or -1 with ctx->error set */
	int (*prepare)(struct run_ctx *ctx);
	/* run in ipctrace's process: spawn the workload and wait for it */
	int (*run)(struct run_ctx *ctx);
	/* entry point of an exec'd worker: ipctrace __worker NAME ARGS... */
	int (*worker)(struct run_ctx *ctx, int argc, char **argv);
};

/* registry.c */
extern const struct scenario *const scenarios[];
const struct scenario *scenario_find(const char *name);

/* kit.c: tools for scenarios */
static inline void phase_mark(enum ipct_phase phase)
{
	if (phase == PHASE_TRANSFER) /* test-only, outside the transfer's figures */
		test_point(TP_TRANSFER);
	/* an unimplemented syscall: -ENOSYS, seen by the sys_enter program */
	__asm__ volatile("syscall"
			 :
			 : "a"(IPCT_MARK_NR), "D"(IPCT_MARK_MAGIC), "S"((long)phase)
			 : "rcx", "r11", "memory");
	if (phase == PHASE_TEARDOWN)
		test_point(TP_TEARDOWN);
}

/* fork a worker that runs fn(ctx, arg) and exits with its return value */
pid_t spawn(struct run_ctx *ctx, const char *role, int (*fn)(struct run_ctx *, void *), void *arg);
/* fork and exec ipctrace itself as "__worker <scenario> <args...>" */
pid_t spawn_exec(struct run_ctx *ctx, const char *role, char *const args[]);
/* fault in all code pages now (done for every worker at its start) */
void prefault_code(void);
/* name the calling process in the report, and its comm (PR_SET_NAME) */
void role_set(struct run_ctx *ctx, const char *role);
/*
 * Wait for workers (children of the caller); 0 when all exited 0, else -1
 * with ctx->error set at the first failure, leaving the others running.
 */
int wait_workers(struct run_ctx *ctx, int n, const pid_t *pids, const char *const *roles);
int wait_worker(struct run_ctx *ctx, pid_t pid, const char *role);
/* run() of a scenario with one top worker: spawn it, wait for it */
int run_one(struct run_ctx *ctx, const char *role, int (*fn)(struct run_ctx *, void *), void *arg);
/*
 * prepare() of a scenario moving --size bytes in --block calls: one unit
 * (named @unit) per --block; refuses a block larger than the size.
 */
int prepare_blocks(struct run_ctx *ctx, const char *unit, const char *nic_reason);
void fact_set(struct run_ctx *ctx, const char *role, const char *key, int64_t value);
int64_t fact_get(const struct run_ctx *ctx, const char *role, const char *key, int64_t dflt);
int ctx_error(struct run_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Files of the run's private directory, by name relative to ctx->dirfd
 * (never by path: another user may own the directory above it). run_open()
 * adds O_NOFOLLOW and O_CLOEXEC; run_mkfifo() sets ctx->error on failure.
 */
int run_open(const struct run_ctx *ctx, const char *name, int flags, mode_t mode);
int run_mkfifo(struct run_ctx *ctx, const char *name);
/*
 * A POSIX shm object @name the run creates: ipctrace's guard of the run
 * (user/rundir.h) unlinks it if ipctrace dies before the scenario does.
 */
void run_shm_guard(struct run_ctx *ctx, const char *name);

/* test data: the 8-byte word at byte offset @off of a stream */
static inline uint64_t pattern_word(uint64_t off)
{
	return (off + 1) * 0x9E3779B97F4A7C15ull;
}
void pattern_fill(void *buf, size_t len, uint64_t off);
/* number of 8-byte words of @buf that differ from the pattern at @off */
uint64_t pattern_check(const void *buf, size_t len, uint64_t off);
/* write @size bytes of pattern to a new file @name of the run's directory; fsync it */
int pattern_file(const struct run_ctx *ctx, const char *name, uint64_t size);
int write_all(int fd, const void *buf, size_t len);
/*
 * read() @fd in @block-byte calls into @buf until @size bytes or EOF,
 * checking them against the pattern (mismatched words added to *bad).
 * Returns the bytes read.
 */
uint64_t read_checked(int fd, void *buf, size_t block, uint64_t size, uint64_t *bad);

#endif /* SCENARIO_H */
