/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the file-transfer scenarios (sendfile, read-write, mmap-write,
 * splice, vmsplice) share: a --size source file, a destination chosen with
 * --to (TCP loopback, unix socket, pipe or regular file), a receiver that
 * read()s and checks everything, and --cold eviction with its mincore check.
 * Their sender differs only in how it moves the bytes, so their figures per
 * block compare directly.
 */
#ifndef TRANSFER_H
#define TRANSFER_H

#include "scenario.h"

enum dest { TO_TCP, TO_UNIX, TO_PIPE, TO_FILE };

enum dest dest_of(const struct run_ctx *ctx);

/*
 * prepare() of a transfer scenario: --to (default @dflt) must be one of
 * tcp, unix, pipe, file; one unit (named @unit) is one --block.
 */
int transfer_prepare(struct run_ctx *ctx, const char *dflt, const char *unit);

/* Pages of @fd's first @size bytes that are in the page cache (mincore). */
int64_t resident_pages(int fd, uint64_t size);

/*
 * Drop @fd's first @size bytes from the page cache (the file must be
 * clean); record how many pages stayed as the fact @role.@key.
 */
int evict(struct run_ctx *ctx, int fd, uint64_t size, const char *role, const char *key);

/*
 * @len bytes of fresh, page-aligned anonymous memory holding the test
 * pattern from stream offset 0 (so every page is already faulted in); NULL
 * with ctx->error set. munmap() it.
 */
char *pattern_buffer(struct run_ctx *ctx, size_t len);

/* A pipe holding at least @bytes (F_SETPIPE_SZ), close-on-exec. */
int pipe_sized(struct run_ctx *ctx, int fds[2], size_t bytes);

/*
 * splice() @len bytes out of the pipe @pipe_rd into @out, in as many calls
 * as it takes; 0, or -1 with ctx->error set.
 */
int splice_out(struct run_ctx *ctx, int pipe_rd, int out, size_t len);

/* A sender's two ends, and the receiver it started. */
struct transfer {
	int in;         /* the source file, read-only; -1 when there is none */
	int out;        /* where the sender puts the data */
	pid_t receiver; /* -1 for a file destination: the sender checks it */
};

/*
 * The sender's setup: open @src (if not NULL; evicted with --cold), make
 * the destination, start the receiver and connect to it.
 */
int transfer_open(struct run_ctx *ctx, const char *src, struct transfer *t);

/*
 * The sender's teardown: record bytes_sent, check a file copy, close both
 * ends and wait for the receiver. Returns @err, or -1 if anything failed.
 */
int transfer_close(struct run_ctx *ctx, struct transfer *t, uint64_t sent, int err);

/*
 * run() of a transfer scenario: write the --size source file (pattern data,
 * fsync'd) and run @sender(ctx, path) as the "sender" process.
 */
int transfer_run(struct run_ctx *ctx, int (*sender)(struct run_ctx *, void *));

/* The length of the block at byte @off of the transfer. */
static inline size_t block_at(const struct run_ctx *ctx, uint64_t off)
{
	uint64_t left = ctx->opts.size - off;

	return left < ctx->opts.block ? left : ctx->opts.block;
}

#endif /* TRANSFER_H */
