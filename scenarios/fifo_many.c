// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fifo-many: a FIFO with several ends. The textbook says a FIFO takes one
 * reader and several writers, or one writer and several readers.
 *
 * Part a: three writers each write() A_RECORDS records of exactly PIPE_BUF
 * bytes into one FIFO, one reader reads the stream. Every record is filled
 * with words naming its writer, its sequence number and the word's place,
 * so the reader can tell whether any record was torn apart by another
 * writer's bytes (POSIX: writes of up to PIPE_BUF bytes are atomic).
 * Part b: one writer writes B_RECORDS records, two readers share them.
 *
 * All ends open the FIFO by path in setup and meet at a barrier before
 * anyone writes: a writer that finished and closed before another opened
 * would give the reader an early end of file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "scenario.h"
#include "xproc.h"

#define A_WRITERS 3
#define A_RECORDS 256
#define B_READERS 2
#define B_RECORDS 512
#define RECORD PIPE_BUF
#define WORDS (RECORD / 8)
#define READ_CHUNK (64 << 10)

struct control {
	uint32_t a_opened;             /* part a writers past open() */
	uint32_t b_opened;             /* part b ends past open() */
	uint32_t b_seen[B_RECORDS];    /* times each part b record was read */
};

struct end {
	const char *role;
	const char *path;
	struct control *ctl;
	bool part_b;
	uint32_t *barrier;  /* where this end meets the others after open(); NULL: nowhere */
	uint32_t parties;
	int writer;         /* writer number (1..) for writers, 0 for readers */
	int records;        /* records a writer writes */
	size_t capacity;    /* bytes a reader can hold */
};

static int prepare(struct run_ctx *ctx)
{
	ctx->unit = "record of PIPE_BUF bytes";
	ctx->units = A_WRITERS * A_RECORDS + B_RECORDS;
	ctx->nic_reason = "no network device: the data crosses a FIFO";
	return 0;
}

static uint64_t tag(int writer, int seq, int word)
{
	return (uint64_t)writer << 48 | (uint64_t)seq << 16 | (uint64_t)word;
}

static void record_fill(uint64_t *rec, int writer, int seq)
{
	for (int i = 0; i < WORDS; i++)
		rec[i] = tag(writer, seq, i);
}

/* Whether every word of @rec belongs to the record its first word names. */
static bool record_whole(const uint64_t *rec, int *writer, int *seq)
{
	*writer = rec[0] >> 48;
	*seq = (rec[0] >> 16) & 0xffffffff;
	for (int i = 0; i < WORDS; i++)
		if (rec[i] != tag(*writer, *seq, i))
			return false;
	return true;
}

static int open_end(struct run_ctx *ctx, const struct end *e)
{
	int fd = run_open(ctx, e->path, e->writer ? O_WRONLY : O_RDONLY, 0);

	if (fd < 0)
		return ctx_error(ctx, "%s: open %s: %s", e->role, e->path, strerror(errno));
	if (e->barrier)
		xp_barrier(e->barrier, e->parties);
	return fd;
}

static int writer(struct run_ctx *ctx, void *arg)
{
	const struct end *e = arg;
	uint64_t *rec = xp_prefaulted(RECORD);
	int fd, seq, short_writes = 0;
	int64_t bytes = 0;
	ssize_t n = 0;

	if (!rec || (fd = open_end(ctx, e)) < 0)
		return -1;
	phase_mark(PHASE_TRANSFER);
	for (seq = 0; seq < e->records; seq++) {
		record_fill(rec, e->writer, seq);
		/* one write() per record: no retry loop, a short write is a finding */
		n = write(fd, rec, RECORD);
		if (n != RECORD)
			short_writes++;
		if (n < 0)
			break;
		bytes += n;
	}
	phase_mark(PHASE_TEARDOWN);
	close(fd);
	fact_set(ctx, e->role, "records_written", seq);
	fact_set(ctx, e->role, "bytes_written", bytes);
	fact_set(ctx, e->role, "short_writes", short_writes);
	free(rec);
	return n < 0 ? ctx_error(ctx, "%s: write: %s", e->role, strerror(errno)) : 0;
}

/* Check the records a reader got; part b readers also count each in b_seen. */
static void reader_facts(struct run_ctx *ctx, const struct end *e, const char *buf, size_t got)
{
	int per_writer[A_WRITERS + 1] = { 0 }, last_seq[A_WRITERS + 1];
	int torn = 0, out_of_order = 0, switches = 0, prev = 0, w, seq;
	char key[48];

	memset(last_seq, 0xff, sizeof(last_seq)); /* -1 */
	for (size_t off = 0; off + RECORD <= got; off += RECORD) {
		if (!record_whole((const uint64_t *)(buf + off), &w, &seq) || w < 1 ||
		    w > A_WRITERS) {
			torn++;
			continue;
		}
		per_writer[w]++;
		out_of_order += seq <= last_seq[w];
		last_seq[w] = seq;
		switches += prev && prev != w;
		prev = w;
		if (e->part_b && seq < B_RECORDS)
			__atomic_add_fetch(&e->ctl->b_seen[seq], 1, __ATOMIC_RELAXED);
	}
	fact_set(ctx, e->role, "bytes_read", got);
	fact_set(ctx, e->role, "records_read", got / RECORD);
	fact_set(ctx, e->role, "partial_record_bytes", got % RECORD);
	fact_set(ctx, e->role, "records_torn", torn);
	fact_set(ctx, e->role, "records_out_of_order", out_of_order);
	/* how often the stream passes from one writer's record to another's */
	fact_set(ctx, e->role, "writer_switches", switches);
	for (w = 1; w <= A_WRITERS && !e->part_b; w++) {
		snprintf(key, sizeof(key), "records_from_writer%d", w);
		fact_set(ctx, e->role, key, per_writer[w]);
	}
}

static int reader(struct run_ctx *ctx, void *arg)
{
	const struct end *e = arg;
	char *buf = xp_prefaulted(e->capacity);
	size_t got = 0;
	ssize_t n;
	int fd;

	if (!buf || (fd = open_end(ctx, e)) < 0)
		return -1;
	phase_mark(PHASE_TRANSFER);
	/* until every writer has closed: end of file */
	while (got < e->capacity) {
		size_t want = e->capacity - got < READ_CHUNK ? e->capacity - got : READ_CHUNK;

		n = read(fd, buf + got, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	phase_mark(PHASE_TEARDOWN);
	close(fd);
	reader_facts(ctx, e, buf, got);
	free(buf);
	return 0;
}

/* Start @n ends and wait for all of them. */
static int run_part(struct run_ctx *ctx, struct end *ends, int n)
{
	pid_t pids[A_WRITERS + B_READERS];
	const char *roles[A_WRITERS + B_READERS];

	for (int i = 0; i < n; i++) {
		roles[i] = ends[i].role;
		pids[i] = spawn(ctx, ends[i].role, ends[i].writer ? writer : reader, &ends[i]);
		if (pids[i] < 0)
			return -1;
	}
	return wait_workers(ctx, n, pids, roles);
}

/* Part b: every record read exactly once, by one reader or the other. */
static void b_totals(struct run_ctx *ctx, const struct control *ctl)
{
	int missing = 0, duplicated = 0;

	for (int i = 0; i < B_RECORDS; i++) {
		missing += ctl->b_seen[i] == 0;
		duplicated += ctl->b_seen[i] > 1;
	}
	fact_set(ctx, "b_readers", "records_missing", missing);
	fact_set(ctx, "b_readers", "records_read_twice", duplicated);
}

static int run(struct run_ctx *ctx)
{
	struct control *ctl = xp_shared(sizeof(*ctl));
	char a_path[] = "fifo-a", b_path[] = "fifo-b";
	struct end a[A_WRITERS + 1], b[B_READERS + 1];
	static const char *const a_roles[] = { "a_writer1", "a_writer2", "a_writer3" };
	static const char *const b_roles[] = { "b_reader1", "b_reader2" };

	if (!ctl)
		return ctx_error(ctx, "shared memory: %s", strerror(errno));
	if (run_mkfifo(ctx, a_path) || run_mkfifo(ctx, b_path))
		return -1;
	for (int i = 0; i < A_WRITERS; i++)
		a[i] = (struct end){ a_roles[i], a_path, ctl, false, &ctl->a_opened, A_WRITERS,
				     i + 1, A_RECORDS, 0 };
	/*
	 * The lone reader of part a reads as the writers come, at no barrier;
	 * it has room for one record more than was sent, so excess would show.
	 */
	a[A_WRITERS] = (struct end){ "a_reader", a_path, ctl, false, NULL, 0, 0, 0,
				     (A_WRITERS * A_RECORDS + 1) * RECORD };
	if (run_part(ctx, a, A_WRITERS + 1))
		return -1;
	b[0] = (struct end){ "b_writer", b_path, ctl, true, &ctl->b_opened, B_READERS + 1, 1,
			     B_RECORDS, 0 };
	for (int i = 0; i < B_READERS; i++)
		b[i + 1] = (struct end){ b_roles[i], b_path, ctl, true, &ctl->b_opened,
					 B_READERS + 1, 0, 0, (B_RECORDS + 1) * RECORD };
	if (run_part(ctx, b, B_READERS + 1))
		return -1;
	b_totals(ctx, ctl);
	return 0;
}

const struct scenario scenario_fifo_many = {
	.name = "fifo-many",
	.summary = "a FIFO with three writers of PIPE_BUF records, then one with two readers",
	.prepare = prepare,
	.run = run,
};
