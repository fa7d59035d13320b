/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* ipctrace's side of running a workload: signals, the worker group, roles. */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include <sys/types.h>
#include "scenario.h"

/* Catch SIGINT/SIGTERM/SIGHUP in ipctrace: they end the run, cleanly. */
void workload_install_signals(void);
/* The signal that asked ipctrace to stop, 0 if none. */
int workload_stop_signal(void);
/* Kill every worker of the run (SIGKILL to its group) and reap them. */
void workload_kill_all(void);
pid_t workload_pgid(void);
const char *role_of(const struct run_ctx *ctx, pid_t pid);

#endif /* WORKLOAD_H */
