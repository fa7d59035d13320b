// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap-vs-sendfile: which sends a file to TCP faster, mmap()+write() or
 * sendfile(), for a small file (64 KiB in 4 KiB calls) and a large one
 * (--size in --block calls, 16 MiB in 1 MiB by default), warm in the page
 * cache. The textbook says mmap suits small transfers and sendfile large
 * ones.
 *
 * One timing of each is noise on a busy machine, so the sender runs rounds:
 * each round times, back to back, both ways on the small file and both on
 * the large one, in an order that alternates from round to round. A timing
 * is the sender's, on the monotonic clock, of its write() or sendfile()
 * calls: the file is mapped once, in setup, as by a program that keeps its
 * file mapped, and the untimed first transfer of each kind has faulted the
 * mapping in, so no timing holds an mmap() or a page fault.
 * After each transfer the receiver reads and checks everything and
 * acknowledges, untimed, so every timing starts with empty socket queues.
 * Each size's ratios mmap/sendfile are judged as in duel.h, at 95%
 * confidence, on the question the textbook asks of that size: is mmap at
 * least 10% faster on the small file (ratio below 1/1.1), is sendfile at
 * least 10% faster on the large one (ratio above 1.1)? A size is timed for
 * at least MIN_ROUNDS rounds and stops once its answer is clear; at its
 * budget of rounds it stops undecided.
 *
 * Facts (role sender; ratios in thousandths): small_mmap_faster and
 * large_sendfile_faster (1: yes, 0: no, -1: inconclusive), and per size
 * (small_, large_) ratio_median, ratio_lo, ratio_hi, confidence, rounds,
 * mmap_ns_median, sendfile_ns_median, size, block; bound_small and
 * bound_large, the ratios the answers were judged against.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include "compiler.h"
#include "duel.h"
#include "loopback.h"
#include "xproc.h"

#define SMALL_SIZE (64u << 10)
#define SMALL_BLOCK (4u << 10)
#define SMALL_REPS 16 /* a small transfer is cheap: the fastest of 16 per round */
#define MIN_ROUNDS 6
#define MAX_ROUNDS 48   /* array size; the small file's budget */
#define LARGE_REPS 3    /* the fastest of 3 per round */
#define LARGE_ROUNDS 24 /* the large file's budget */
#define MARGIN 0.10
#define CONFIDENCE 0.95
#define WATCHDOG_S 120
/*
 * Time the rounds may take in all. Here (a 2-core machine) a run takes
 * 0.3 to 1.2 s and never meets it; under an emulator (QEMU TCG, where
 * make test-kernels runs), rounds of 16 MiB transfers took minutes and
 * such timings mean little anyway: the contest stops there, decided or not.
 */
#define BUDGET_NS (5ull * 1000 * 1000 * 1000)

enum { SMALL, LARGE, NR_SIZES };
enum { MMAP, SENDFILE, NR_WAYS };
static const char *const size_names[NR_SIZES] = { "small", "large" };
static const char *const questions[NR_SIZES] = { "small_mmap_faster", "large_sendfile_faster" };

struct contest {
	uint64_t size, block;
	int reps;       /* transfers of each way per round */
	int max_rounds; /* then it stops, decided or not */
	double bound;   /* of the ratio mmap/sendfile, judged at it */
	int yes;        /* the answer "yes" is DUEL_BELOW or DUEL_ABOVE */
	uint64_t ns[NR_WAYS][MAX_ROUNDS];
	double ratio[MAX_ROUNDS];
	int rounds;
	struct duel_result res;
};

static int prepare(struct run_ctx *ctx)
{
	if (ctx->opts.size < SMALL_SIZE)
		return ctx_error(ctx, "--size must be at least the small file's %u bytes", SMALL_SIZE);
	if (prepare_blocks(ctx, "transfer", "loopback: no device DMA"))
		return -1;
	ctx->units = 0; /* set from the transfers made, once they are */
	return 0;
}

/* The receiver: per transfer an 8-byte length, the bytes (checked), then a 1-byte ack. */
static int receiver(struct run_ctx *ctx, void *arg)
{
	struct loopback *lb = arg;
	char *buf = xp_prefaulted(ctx->opts.block);
	uint64_t len, total = 0, bad = 0;
	int fd = loopback_connect(ctx, lb);

	alarm(WATCHDOG_S);
	if (fd < 0 || !buf)
		return -1;
	phase_mark(PHASE_TRANSFER);
	for (;;) {
		size_t got = 0;
		ssize_t n;

		while (got < sizeof(len) && (n = read(fd, (char *)&len + got, sizeof(len) - got)) > 0)
			got += n;
		if (got < sizeof(len))
			break; /* EOF: the sender is done */
		if (read_checked(fd, buf, ctx->opts.block, len, &bad) != len)
			return ctx_error(ctx, "receiver: the transfer stopped short");
		total += len;
		if (write(fd, "k", 1) != 1)
			return ctx_error(ctx, "receiver: ack: %s", strerror(errno));
	}
	phase_mark(PHASE_TEARDOWN);
	fact_set(ctx, "receiver", "bytes_read", total);
	fact_set(ctx, "receiver", "words_mismatched", bad);
	free(buf);
	return bad ? ctx_error(ctx, "receiver: %llu words differ", (unsigned long long)bad) : 0;
}

/*
 * Send @size bytes of the file @in (mapped at @map) to @out one way; its
 * time in ns, 0 on failure.
 */
static uint64_t send_once(struct run_ctx *ctx, int way, int in, const char *map, int out,
			  uint64_t size, uint64_t block)
{
	uint64_t t0, t, off = 0;
	char ack;

	if (write_all(out, &size, sizeof(size)))
		return ctx_error(ctx, "length: %s", strerror(errno)), 0;
	t0 = xp_now_ns();
	if (way == MMAP) {
		for (; off < size; off += block)
			if (write_all(out, map + off, size - off < block ? size - off : block))
				break;
	} else {
		off_t pos = 0;

		while ((uint64_t)pos < size) {
			ssize_t n = sendfile(out, in, &pos, size - pos < block ? size - pos : block);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
		}
		off = pos;
	}
	t = xp_now_ns() - t0;
	if (off < size)
		return ctx_error(ctx, "%s: %s", way == MMAP ? "write" : "sendfile", strerror(errno)), 0;
	if (read(out, &ack, 1) != 1) /* the receiver has it all: queues are empty again */
		return ctx_error(ctx, "no ack from the receiver"), 0;
	return t ? t : 1;
}

/*
 * One round of one size: each way @reps times, alternating (starting with
 * @first_way); a way's time in the round is its fastest, the one least
 * disturbed by whatever else the machine was doing.
 */
static int round_of(struct run_ctx *ctx, struct contest *c, int in, const char *map, int out,
		    int first_way)
{
	int r = c->rounds;

	c->ns[MMAP][r] = c->ns[SENDFILE][r] = UINT64_MAX;
	for (int i = 0; i < 2 * c->reps; i++) {
		int way = i % 2 ? !first_way : first_way;
		uint64_t t = send_once(ctx, way, in, map, out, c->size, c->block);

		if (!t)
			return -1;
		if (t < c->ns[way][r])
			c->ns[way][r] = t;
	}
	c->ratio[r] = (double)c->ns[MMAP][r] / c->ns[SENDFILE][r];
	c->rounds++;
	return 0;
}

static bool decided(struct contest *c)
{
	double r[MAX_ROUNDS];

	memcpy(r, c->ratio, c->rounds * sizeof(*r));
	duel_judge(r, c->rounds, c->bound, CONFIDENCE, &c->res);
	return (c->rounds >= MIN_ROUNDS && c->res.outcome != DUEL_UNDECIDED) ||
	       c->rounds >= c->max_rounds;
}

static void report(struct run_ctx *ctx, const char *name, const char *question,
		   struct contest *c)
{
	char key[48];
#define FACT(suffix, v) (snprintf(key, sizeof(key), "%s_%s", name, suffix), \
			 fact_set(ctx, "sender", key, (v)))
	fact_set(ctx, "sender", question, c->res.outcome == DUEL_UNDECIDED ? -1
					  : c->res.outcome == c->yes);
	FACT("ratio_median", llround(1000 * c->res.median));
	FACT("ratio_lo", llround(1000 * c->res.lo));
	FACT("ratio_hi", llround(1000 * c->res.hi));
	FACT("confidence", llround(1000 * c->res.confidence));
	FACT("rounds", c->rounds);
	FACT("mmap_ns_median", xp_median(c->ns[MMAP], c->rounds));
	FACT("sendfile_ns_median", xp_median(c->ns[SENDFILE], c->rounds));
	FACT("size", c->size);
	FACT("block", c->block);
	FACT("bound", llround(1000 * c->bound));
#undef FACT
}

static int sender(struct run_ctx *ctx, void *arg UNUSED)
{
	char path[] = "source.dat";
	struct contest c[NR_SIZES] = {
		{ .size = SMALL_SIZE, .block = SMALL_BLOCK, .reps = SMALL_REPS,
		  .max_rounds = MAX_ROUNDS, .bound = 1 / (1 + MARGIN), .yes = DUEL_BELOW },
		{ .size = ctx->opts.size, .block = ctx->opts.block, .reps = LARGE_REPS,
		  .max_rounds = LARGE_ROUNDS, .bound = 1 + MARGIN, .yes = DUEL_ABOVE },
	};
	bool done[NR_SIZES] = { false, false };
	struct loopback lb;
	char *map;
	pid_t rcv;
	int in, out, err = 0, transfers = 0, bufsz;
	uint64_t t0;

	alarm(WATCHDOG_S);
	in = run_open(ctx, path, O_RDONLY, 0);
	if (in < 0)
		return ctx_error(ctx, "open %s: %s", path, strerror(errno));
	map = mmap(NULL, ctx->opts.size, PROT_READ, MAP_SHARED, in, 0);
	if (map == MAP_FAILED)
		return ctx_error(ctx, "mmap: %s", strerror(errno));
	if (loopback_open(ctx, &lb))
		return -1;
	/*
	 * Socket buffers that hold a whole large transfer (root may exceed
	 * the sysctl caps): the sender never waits for the receiver, so its
	 * time is its own work, not how the scheduler placed the receiver.
	 */
	bufsz = ctx->opts.size > INT_MAX / 4 ? INT_MAX : (int)(4 * ctx->opts.size);
	setsockopt(lb.client, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz));
	rcv = spawn(ctx, "receiver", receiver, &lb);
	if (rcv < 0)
		return -1;
	out = loopback_accept(ctx, &lb, "sender");
	if (out < 0)
		return -1;
	setsockopt(out, SOL_SOCKET, SO_SNDBUFFORCE, &bufsz, sizeof(bufsz));
	/* one untimed transfer of each kind: code, page tables and TCP windows warm */
	for (int s = 0; s < NR_SIZES && !err; s++)
		for (int way = 0; way < NR_WAYS && !err; way++)
			err = !send_once(ctx, way, in, map, out, c[s].size, c[s].block);
	phase_mark(PHASE_TRANSFER);
	t0 = xp_now_ns();
	for (int r = 0; r < MAX_ROUNDS && !err && !(done[SMALL] && done[LARGE]) &&
			xp_now_ns() - t0 < BUDGET_NS;
	     r++) {
		for (int s = 0; s < NR_SIZES && !err; s++) {
			if (done[s])
				continue;
			err = round_of(ctx, &c[s], in, map, out, (r + s) % 2 ? SENDFILE : MMAP);
			transfers += 2 * c[s].reps;
			done[s] = !err && decided(&c[s]);
		}
	}
	phase_mark(PHASE_TEARDOWN);
	for (int s = 0; s < NR_SIZES && !err; s++) {
		decided(&c[s]);
		report(ctx, size_names[s], questions[s], &c[s]);
	}
	fact_set(ctx, "sender", "transfers", transfers);
	close(out);
	munmap(map, ctx->opts.size);
	close(in);
	if (wait_worker(ctx, rcv, "receiver"))
		err = -1;
	return err ? -1 : 0;
}

static int run(struct run_ctx *ctx)
{
	int rc;

	if (pattern_file(ctx, "source.dat", ctx->opts.size))
		return ctx_error(ctx, "writing source.dat: %s", strerror(errno));
	rc = run_one(ctx, "sender", sender, NULL);
	ctx->units = fact_get(ctx, "sender", "transfers", 0);
	return rc;
}

const struct scenario scenario_mmap_vs_sendfile = {
	.name = "mmap-vs-sendfile",
	.summary = "mmap()+write() against sendfile() to TCP, small and large file: repeated, interleaved timings",
	.opts = OPT_SIZE | OPT_BLOCK,
	.default_size = 16 << 20,
	.needs = NEED_DISK,
	.default_block = 1 << 20,
	.prepare = prepare,
	.run = run,
};
