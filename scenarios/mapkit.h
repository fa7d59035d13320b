/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Helpers the shared-memory scenarios (mmap-*, posix-shm) have in common:
 * page arithmetic, futex flags in a shared control page, and the two sides
 * of a transfer through a mapping (one process stores the test pattern, the
 * other loads and checks it), each with its own transfer phase.
 */
#ifndef MAPKIT_H
#define MAPKIT_H

#include <stdint.h>
#include "scenario.h"

/* Futex words, in a page both sides map MAP_SHARED. */
struct control {
	uint32_t mapped; /* the loader has mapped the data */
	uint32_t ready;  /* the storer has stored everything */
	uint32_t done;   /* the loader has checked everything */
};

/* A data area of @len bytes, and the control page right after it. */
struct share_map {
	char *data;
	uint64_t len;
	struct control *ctl;
};

size_t page_size(void);
/* @n rounded up to whole pages */
uint64_t page_round(uint64_t n);
/* wait until *@word >= @n; the waiting is a futex, out of any transfer phase */
void flag_wait(uint32_t *word, uint32_t n);
/* add one to *@word and wake its waiters */
void flag_raise(uint32_t *word);

/* map @len bytes of @fd and a control page after them, MAP_SHARED; closes @fd */
int share_map_fd(struct run_ctx *ctx, int fd, uint64_t len, int prot, struct share_map *m);
void share_unmap(struct share_map *m);
/*
 * Store the pattern through @m once the loader has mapped it (transfer
 * phase: the stores only), tell the loader, wait until it has checked.
 * Fact: bytes_stored.
 */
int share_store(struct run_ctx *ctx, struct share_map *m, const char *role);
/*
 * Say the mapping is there, wait for the storer, load and check everything
 * (transfer phase: the loads only). Facts: bytes_checked, words_mismatched.
 */
int share_load(struct run_ctx *ctx, struct share_map *m, const char *role);
/*
 * In a process that has mapped @len shared bytes at @p: fork a "child" that
 * stores the pattern through the inherited mapping, wait for it to exit
 * (setup, not transfer), then load and check the bytes as "parent".
 * Facts: child.bytes_stored, parent.bytes_checked, parent.words_mismatched.
 */
int fork_store_load(struct run_ctx *ctx, char *p, uint64_t len);
/*
 * 8-byte words of the first @len bytes of the run's file @path that differ
 * from the pattern (at offset 0), read with pread(); -1 if it cannot be
 * read whole.
 */
int64_t file_mismatches(const struct run_ctx *ctx, const char *path, uint64_t len);

#endif /* MAPKIT_H */
