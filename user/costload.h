/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The load of ipctrace probe --cost: 64-byte pipe messages, and every 256th
 * message a round of the other events ipctrace's programs see, so that
 * each program has traced events to be measured on.
 */
#ifndef COSTLOAD_H
#define COSTLOAD_H

#include <stdbool.h>
#include <sys/types.h>

/* Events the load made that ipctrace's counters do not count one by one. */
struct load_counts {
	volatile unsigned long sends, recvs; /* 64-byte unix-socket messages */
	volatile unsigned long execs;        /* children that exec'd /bin/true and exited 0 */
	volatile unsigned long pc_adds;      /* one-page folios put in the page cache */
	volatile unsigned long pc_deletes;   /* and taken out */
	volatile int stop;                   /* set by the parent: finish the round, exit */
};

struct cost_load {
	pid_t pid;                 /* the writer, leader of its process group */
	int file;                  /* its scratch file (O_TMPFILE; -1: no page-cache round) */
	struct load_counts *counts; /* shared with the load */
};

/*
 * Start the load in its own process group. @cold is a one-page file on a
 * disk, synced, for reads that miss the page cache (-1: none). With @gate
 * (a pipe) it waits until the write end is closed.
 */
int cost_load_start(struct cost_load *l, int cold, const int *gate);
/*
 * Stop the load between two rounds (so that no fork or page is half
 * counted), then kill what is left of its group and reap it (the caller
 * is a subreaper).
 */
void cost_load_stop(struct cost_load *l);
/* Free what the load left: its counters, its file (its pages leave the cache now). */
void cost_load_free(struct cost_load *l);
/* The one-page file on disk for cold reads, synced, or -1. */
int cost_load_cold_file(void);

#endif /* COSTLOAD_H */
