/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* One report (JSON, REPORT_SCHEMA) from what the tracer read back: run and trace share it. */
#ifndef ASSEMBLE_H
#define ASSEMBLE_H

#include <json-c/json.h>
#include "tracer.h"

struct report_info {
	const char *name;             /* scenario, or "trace" */
	struct json_object *params;   /* taken over */
	const char *unit;
	__u64 units;
	const char *nic_reason;
	const char *error;            /* NULL: the run completed */
	struct json_object *facts;    /* taken over; NULL: none */
	/* a process's role, NULL for "comm.pid" */
	const char *(*role)(void *ctx, __u32 tgid);
	void *role_ctx;
	double secs;
};

struct json_object *report_assemble(const struct report_info *ri, const struct tracer *t,
				    const struct trace_result *r);

#endif
