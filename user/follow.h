/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * `ipctrace trace -- CMD`: the processes CMD leaves running when it exits
 * (a job put in the background, a daemon) are followed until the last
 * exits, unless asked otherwise; the report names those that outlived it.
 */
#ifndef FOLLOW_H
#define FOLLOW_H

#include <sys/types.h>
#include <json-c/json.h>
#include "tracer.h"

/* How following the command's descendants ended. */
enum follow_end {
	FOLLOW_DONE,    /* the last one exited */
	FOLLOW_OFF,     /* --no-follow: the trace ended with the command */
	FOLLOW_TIMEOUT, /* --follow-timeout ran out */
	FOLLOW_SIGNAL,  /* a signal ended the trace */
};

struct follow_info {
	pid_t cmd;        /* the command's pid */
	enum follow_end end;
	double timeout;   /* --follow-timeout, seconds */
	int sig;          /* FOLLOW_SIGNAL: which */
};

/*
 * Add to @cmd_facts (facts.command) which traced processes outlived the
 * command (exited after it, by the kernel's clock, or still running):
 * "outlived": [{pid, comm, exited}], "still_running": N and "followed",
 * how the trace ended for them. Returns how many still run.
 */
int follow_facts(struct json_object *cmd_facts, const struct trace_result *r,
		 const struct follow_info *fi);

#endif /* FOLLOW_H */
