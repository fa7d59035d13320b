/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Tools the pipe-family scenarios (pipe-ends, pipe-read-once, pipe-eof,
 * pipe-read-blocks, pipe-sigpipe, pipe-capacity, pipe-scm-rights) share
 * beyond xproc.h's buffers and clock: recording a call's outcome, waiting until a peer sleeps in a given syscall, and
 * telling which stream offset a pattern word came from.
 */
#ifndef PIPE_TOOLS_H
#define PIPE_TOOLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "scenario.h"

/* The errno of a call that returned @ret, as a positive number; 0 when it did not fail. */
static inline int64_t pt_errno_of(long ret, int err)
{
	return ret < 0 ? err : 0;
}
/* Facts @name_ret and @name_errno for one call. */
void pt_fact_call(struct run_ctx *ctx, const char *role, const char *name, long ret, int err);
/*
 * Poll /proc/@pid/syscall until @pid sleeps inside syscall @nr, for at most
 * @timeout_ms: 1 when it did, 0 when it never did (or /proc does not say).
 */
int pt_wait_asleep_in(pid_t pid, long nr, unsigned timeout_ms);
/*
 * Wait until the pipe whose write end is @wfd has no reader left (poll
 * reports POLLERR): a writer that lingers so that its exit (SIGCHLD) does
 * not land inside its parent's transfer phase.
 */
void pt_wait_no_reader(int wfd);
/*
 * Write @size bytes of the test pattern to @fd in @block-byte write()s from
 * @buf (block bytes); the bytes written.
 */
uint64_t pt_write_pattern(int fd, void *buf, size_t block, uint64_t size);
/*
 * The stream offset a pattern word was made for (pattern_word() is a
 * multiplication by an odd constant, so it can be undone modulo 2^64).
 */
uint64_t pt_pattern_offset(uint64_t word);

#endif /* PIPE_TOOLS_H */
