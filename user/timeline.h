/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The timeline of one unit of work: chosen, described, drawn. */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdio.h>
#include <json-c/json.h>
#include "tracer.h"

struct tl_window {
	int slot;       /* the driver process */
	bool by_faults; /* its units are page faults, not data syscalls */
	size_t units;   /* units of the driver seen in the event log */
	size_t index;   /* the one shown (0-based): the middle one */
	__u64 start, end;
};

/* Choose the unit shown; -1 when the log holds no unit of work. */
int timeline_window(const struct event_log *log, struct tl_window *w);

enum tl_side { TL_KERNEL, TL_CROSS_IN, TL_CROSS_OUT };

struct tl_text {
	enum tl_side side;
	char what[96];
	char detail[160];
};

/* What an event says, in words. */
void timeline_describe(const struct ipct_event *e, struct tl_text *t);

/* The report's "timeline" object; @role names the process in a slot. */
struct json_object *timeline_json(const struct event_log *log, __u64 dropped,
				  const char *(*role)(void *ctx, __u32 slot), void *ctx);
void timeline_print_text(struct json_object *timeline, FILE *out);
int timeline_write_svg(struct json_object *timeline, const char *title, FILE *out);
/* Text in SVG/HTML: & < > " ' escaped. */
void svg_escape(FILE *out, const char *s);

#endif /* TIMELINE_H */
