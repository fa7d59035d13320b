// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe-read-once: data read from a pipe is gone from it. A writer sends
 * --size bytes of the test pattern in --block writes through one pipe to
 * two readers, its children, reading the same read end: reader_a takes the
 * first half, then passes a baton (a byte on a second pipe) to reader_b,
 * which reads until EOF. The pattern is a stream of 8-byte words, each
 * naming its own offset, so each reader notes which records it got in a
 * bitmap shared with the writer; the writer then counts records read twice
 * and never. The textbook says: a second reader gets only what the first
 * did not take.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "compiler.h"
#include "pipe_tools.h"
#include "xproc.h"

#define REC 8 /* one pattern word: a record that names its own offset */

static int prepare(struct run_ctx *ctx)
{
	if (ctx->opts.size % REC || ctx->opts.block % REC || ctx->opts.size < 2 * REC)
		return ctx_error(ctx, "--size and --block must be multiples of %d bytes "
				 "(records), --size at least %d", REC, 2 * REC);
	return prepare_blocks(ctx, "block", "no network device: the data crosses a pipe");
}

struct once {
	int data[2];      /* the pipe under study */
	int baton[2];     /* reader_a tells reader_b it has taken its share */
	uint8_t *seen[2]; /* per reader, a bit per record it got (shared memory) */
	size_t seen_len;
};

struct take {
	uint64_t bytes, records, first, last, invalid, repeated, leftover;
};

static uint64_t records_of(const struct run_ctx *ctx)
{
	return ctx->opts.size / REC;
}

/* Note one record: which offset it names, and whether this reader had it already. */
static void note(const struct run_ctx *ctx, uint8_t *seen, uint64_t word, struct take *t)
{
	uint64_t off = pt_pattern_offset(word), i = off / REC;

	if (off % REC || i >= records_of(ctx)) {
		t->invalid++;
		return;
	}
	if (!t->records++)
		t->first = off;
	t->last = off;
	if (seen[i / 8] & (1u << (i % 8)))
		t->repeated++;
	seen[i / 8] |= 1u << (i % 8);
}

/*
 * read() @fd in --block calls until @limit bytes or EOF, noting every whole
 * record; bytes of a record cut by a read wait in @buf for the next one.
 */
static void take_records(struct run_ctx *ctx, int fd, char *buf, uint64_t limit, uint8_t *seen,
			 struct take *t)
{
	size_t have = 0, i;
	ssize_t n;

	while (t->bytes < limit) {
		uint64_t want = limit - t->bytes < ctx->opts.block ? limit - t->bytes
								   : ctx->opts.block;

		n = read(fd, buf + have, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		t->bytes += n;
		have += n;
		for (i = 0; i + REC <= have; i += REC) {
			uint64_t w;

			memcpy(&w, buf + i, REC);
			note(ctx, seen, w, t);
		}
		memmove(buf, buf + i, have - i);
		have -= i;
	}
	t->leftover = have;
}

static void take_facts(struct run_ctx *ctx, const char *role, const struct take *t)
{
	fact_set(ctx, role, "bytes_read", t->bytes);
	fact_set(ctx, role, "records", t->records);
	fact_set(ctx, role, "first_offset", t->records ? (int64_t)t->first : -1);
	fact_set(ctx, role, "last_offset", t->records ? (int64_t)t->last : -1);
	fact_set(ctx, role, "records_invalid", t->invalid);
	fact_set(ctx, role, "records_repeated", t->repeated);
	fact_set(ctx, role, "bytes_leftover", t->leftover);
}

static int reader_a(struct run_ctx *ctx, void *arg)
{
	struct once *o = arg;
	char *buf = xp_prefaulted(ctx->opts.block + REC);
	struct take t = {};
	char baton = 1;

	if (!buf)
		return ctx_error(ctx, "out of memory");
	close(o->data[1]);
	close(o->baton[0]);
	memset(o->seen[0], 0, o->seen_len); /* fault in our bitmap now */
	phase_mark(PHASE_TRANSFER);
	take_records(ctx, o->data[0], buf, ctx->opts.size / 2 / REC * REC, o->seen[0], &t);
	phase_mark(PHASE_TEARDOWN);
	close(o->data[0]);
	if (write(o->baton[1], &baton, 1) != 1)
		return ctx_error(ctx, "reader_a: baton: %s", strerror(errno));
	take_facts(ctx, "reader_a", &t);
	free(buf);
	return 0;
}

static int reader_b(struct run_ctx *ctx, void *arg)
{
	struct once *o = arg;
	char *buf = xp_prefaulted(ctx->opts.block + REC);
	struct take t = {};
	char baton;

	if (!buf)
		return ctx_error(ctx, "out of memory");
	close(o->data[1]);
	close(o->baton[1]);
	memset(o->seen[1], 0, o->seen_len);
	/* EOF here means reader_a died before taking its share */
	if (read(o->baton[0], &baton, 1) != 1)
		return ctx_error(ctx, "reader_b: no baton from reader_a");
	phase_mark(PHASE_TRANSFER);
	take_records(ctx, o->data[0], buf, UINT64_MAX, o->seen[1], &t);
	phase_mark(PHASE_TEARDOWN);
	take_facts(ctx, "reader_b", &t);
	free(buf);
	return 0;
}

/* Records both readers got, and records neither did. */
static void tally(struct run_ctx *ctx, const struct once *o)
{
	uint64_t twice = 0, never = 0;

	for (uint64_t i = 0; i < records_of(ctx); i++) {
		int a = !!(o->seen[0][i / 8] & (1u << (i % 8)));
		int b = !!(o->seen[1][i / 8] & (1u << (i % 8)));

		twice += a && b;
		never += !a && !b;
	}
	fact_set(ctx, "writer", "records_written", records_of(ctx));
	fact_set(ctx, "writer", "records_read_twice", twice);
	fact_set(ctx, "writer", "records_never_read", never);
	fact_set(ctx, "writer", "bytes_read_total",
		 fact_get(ctx, "reader_a", "bytes_read", 0) +
		 fact_get(ctx, "reader_b", "bytes_read", 0));
}

static int writer(struct run_ctx *ctx, void *arg UNUSED)
{
	char *buf = xp_prefaulted(ctx->opts.block);
	struct once o = { .seen_len = (records_of(ctx) + 7) / 8 };
	char *maps;
	uint64_t sent;
	pid_t pids[2];
	int err;

	maps = mmap(NULL, 2 * o.seen_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
	if (!buf || maps == MAP_FAILED)
		return ctx_error(ctx, "out of memory");
	o.seen[0] = (uint8_t *)maps;
	o.seen[1] = (uint8_t *)maps + o.seen_len;
	if (pipe(o.data) || pipe(o.baton))
		return ctx_error(ctx, "pipe: %s", strerror(errno));
	pids[0] = spawn(ctx, "reader_a", reader_a, &o);
	if (pids[0] < 0)
		return -1;
	pids[1] = spawn(ctx, "reader_b", reader_b, &o);
	if (pids[1] < 0)
		return -1;
	close(o.data[0]);
	close(o.baton[0]);
	close(o.baton[1]);
	phase_mark(PHASE_TRANSFER);
	sent = pt_write_pattern(o.data[1], buf, ctx->opts.block, ctx->opts.size);
	phase_mark(PHASE_TEARDOWN);
	close(o.data[1]);
	fact_set(ctx, "writer", "bytes_written", sent);
	err = wait_workers(ctx, 2, pids, (const char *[]){ "reader_a", "reader_b" });
	if (!err)
		tally(ctx, &o);
	munmap(maps, 2 * o.seen_len);
	free(buf);
	return err || sent != ctx->opts.size ? -1 : 0;
}

static int run(struct run_ctx *ctx)
{
	return run_one(ctx, "writer", writer, NULL);
}

const struct scenario scenario_pipe_read_once = {
	.name = "pipe-read-once",
	.summary = "two readers of one pipe: the second gets only what the first did not take",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 64 << 10,
	.default_block = 4 << 10,
	.prepare = prepare,
	.run = run,
};
