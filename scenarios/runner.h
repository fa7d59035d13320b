/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The workload kit's side for ipctrace's runner (user/run.c), not for
 * scenarios: the memory a run shares with its workers, signals, the worker
 * group, roles.
 */
#ifndef RUNNER_H
#define RUNNER_H

#include <stdint.h>
#include <sys/types.h>
#include "scenario.h"

#define MAX_FACTS 256
#define MAX_ROLES 16

struct fact {
	char role[16];
	char key[48];
	int64_t value;
};

/*
 * Memory shared by ipctrace and every process of a run (a memfd: forked
 * workers inherit the mapping, exec'd ones map it again from the fd).
 */
struct shared {
	volatile int nfacts;
	struct fact facts[MAX_FACTS];
	volatile int nroles;
	struct { pid_t pid; char role[16]; } roles[MAX_ROLES];
	char error[256]; /* the first error any worker met */
	/* the run's options and directory, for exec'd workers */
	uint64_t size, block;
	int cold;
	char to[16];
	char tmpdir[300]; /* for messages; files are reached through dirfd only */
	int dirfd;        /* the run's directory, inherited by every worker */
	char shm_name[64]; /* a POSIX shm object of the run, removed if ipctrace dies */
};


/* Catch SIGINT/SIGTERM/SIGHUP in ipctrace: they end the run, cleanly. */
void workload_install_signals(void);
/* The signal that asked ipctrace to stop, 0 if none. */
int workload_stop_signal(void);
/* Kill every worker of the run (SIGKILL to its group) and reap them. */
void workload_kill_all(void);
pid_t workload_pgid(void);
const char *role_of(const struct run_ctx *ctx, pid_t pid);

#endif /* RUNNER_H */
