/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The private directory of one run, in TMPDIR (or /tmp).
 *
 * TMPDIR may be hostile: it is refused unless root or the caller owns it,
 * it is not a symlink, and others may write to it only with the sticky bit
 * (safefs). The run's directory is made there (0700, a random name) and
 * from then on reached only through its fd: scenarios create, open and
 * remove their files relative to it, and so does the removal.
 *
 * Nothing of size may outlive ipctrace, not even a SIGKILL of it: a guard
 * process started with the directory waits for ipctrace's end (its
 * socket's EOF) and, unless told the run cleaned up after itself, empties and
 * removes the directory and unlinks the run's POSIX shm object.
 */
#ifndef RUNDIR_H
#define RUNDIR_H

#include <stddef.h>
#include <sys/types.h>

struct rundir {
	int base;         /* TMPDIR, checked */
	int fd;           /* the run's directory */
	char name[32];    /* its name in TMPDIR */
	char path[300];   /* TMPDIR/name, for messages */
	pid_t guard;      /* the guard process, 0: none */
	int guard_fd;     /* our end of its pipe */
	unsigned long long blocks;     /* TMPDIR's file system: its size (0: ramfs) */
	unsigned long long free_bytes; /* and what it has free */
};

/* Open and check TMPDIR: 0, or -1 with the reason in @why. */
int rundir_base(struct rundir *rd, char *why, size_t len);
/*
 * Make the run's directory and its guard; @shm_name (in memory shared
 * with the guard) names a POSIX shm object to unlink if ipctrace dies.
 */
int rundir_create(struct rundir *rd, const char *shm_name, char *why, size_t len);
/* Remove the directory and everything in it; stop the guard. */
void rundir_remove(struct rundir *rd);

#endif /* RUNDIR_H */
