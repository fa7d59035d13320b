// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-rules: what the two ends of a pipe allow, and that data read is gone.
 * One process tries both directions on both ends (pipe.fds,
 * pipe.half-duplex); then two readers share one read end while a writer
 * sends numbered PIPE_BUF records: every record must be read exactly once
 * (pipe.read-once).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "scenario.h"
#include "xproc.h"

#define RECORDS 64
#define RECORD 4096 /* PIPE_BUF: a write of this size is atomic */

struct seen {
	uint32_t count[RECORDS]; /* times record i was read, over both readers */
};

struct reader_arg {
	int *fds;          /* the pipe, then struct seen, in shared memory */
	const char *role;
};

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "record";
	ctx->units = RECORDS;
	ctx->nic_reason = "no network device: a pipe";
	return 0;
}

/* Try an operation on the wrong end: its return value and errno as facts. */
static void wrong_end(struct run_ctx *ctx, const char *what, ssize_t ret)
{
	char key[48];

	snprintf(key, sizeof(key), "%s_ret", what);
	fact_set(ctx, "prober", key, ret);
	snprintf(key, sizeof(key), "%s_errno", what);
	fact_set(ctx, "prober", key, ret < 0 ? errno : 0);
}

static int reader(struct run_ctx *ctx, void *arg)
{
	const struct reader_arg *ra = arg;
	int *fds = ra->fds;
	struct seen *seen = (struct seen *)(fds + 2);
	char *buf = xp_prefaulted(RECORD);
	int64_t n = 0;
	uint32_t seq;

	close(fds[1]);
	phase_mark(PHASE_TRANSFER);
	while (read(fds[0], buf, RECORD) == RECORD) {
		memcpy(&seq, buf, sizeof(seq));
		if (seq < RECORDS)
			__atomic_fetch_add(&seen->count[seq], 1, __ATOMIC_RELAXED);
		n++;
	}
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, ra->role, "records_read", n);
	return 0;
}

static int prober(struct run_ctx *ctx, void *arg)
{
	int *shared = xp_shared(2 * sizeof(int) + sizeof(struct seen)), fds[2];
	struct seen *seen = (struct seen *)(shared + 2);
	char *buf = xp_prefaulted(RECORD);
	int64_t missing = 0, twice = 0;
	pid_t r[2];

	if (!shared || !buf || pipe(fds))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	fact_set(ctx, "prober", "read_end_mode_is_rdonly", (fcntl(fds[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
	fact_set(ctx, "prober", "write_end_mode_is_wronly", (fcntl(fds[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	phase_mark(PHASE_TRANSFER);
	wrong_end(ctx, "write_read_end", write(fds[0], "x", 1));
	wrong_end(ctx, "read_write_end", read(fds[1], buf, 1));
	wrong_end(ctx, "write_write_end", write(fds[1], "hello", 5));
	wrong_end(ctx, "read_read_end", read(fds[0], buf, RECORD));
	phase_mark(PHASE_TEARDOWN);

	/* read-once: two readers on one read end */
	shared[0] = fds[0];
	shared[1] = fds[1];
	r[0] = spawn(ctx, "reader1", reader, &(struct reader_arg){ shared, "reader1" });
	r[1] = spawn(ctx, "reader2", reader, &(struct reader_arg){ shared, "reader2" });
	if (r[0] < 0 || r[1] < 0)
		return -1;
	close(fds[0]);
	for (uint32_t i = 0; i < RECORDS; i++) {
		memset(buf, 0, RECORD);
		memcpy(buf, &i, sizeof(i));
		if (write_all(fds[1], buf, RECORD))
			return ctx_error(ctx, "write: %s", strerror(errno));
	}
	close(fds[1]);
	if (wait_workers(ctx, 2, r, (const char *[]){ "reader1", "reader2" }))
		return -1;
	for (int i = 0; i < RECORDS; i++) {
		missing += seen->count[i] == 0;
		twice += seen->count[i] > 1;
	}
	fact_set(ctx, "prober", "records_written", RECORDS);
	fact_set(ctx, "prober", "records_missing", missing);
	fact_set(ctx, "prober", "records_read_twice", twice);
	return 0;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "prober", prober, NULL);
}

const struct scenario scenario_pipe_rules = {
	.name = "pipe-rules",
	.summary = "a pipe's ends: which way each works (EBADF the other way); data read is gone",
	.prepare = prepare,
	.run = run,
};
