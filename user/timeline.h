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

/*
 * What a picture of the timeline shows: one row an event, except that a
 * run of scheduling events of one process (on CPU, off CPU, woken up, with
 * nothing else of that process between them) is one row spanning its time;
 * at most TL_MAX_ROWS rows, the rest counted.
 */
#define TL_MAX_ROWS 48
#define TL_MAX_LANES 8

struct tl_row {
	double t0, t1;      /* us from the unit's start: t1 > t0 for a run */
	int lane;
	enum tl_side side;
	bool sched;         /* a run of scheduling events */
	int events;         /* events it stands for */
	int off, on, woken; /* of a run */
	const char *what, *detail; /* of one event: strings of the JSON */
};

struct tl_rows {
	const char *lanes[TL_MAX_LANES]; /* the processes, in order of first appearance */
	int nlanes;
	struct tl_row row[TL_MAX_ROWS];
	int n;
	int more_rows;      /* rows not shown past the cap */
	size_t more_events; /* events in them */
	size_t events;      /* events in the unit */
	double duration_us;
};

/* The rows of @timeline's "events"; -1 when it has none to show. */
int timeline_rows(struct json_object *timeline, struct tl_rows *r);
/* "off CPU x3, on CPU x3" for a run of scheduling events. */
void timeline_run_words(const struct tl_row *row, char *buf, size_t len);
void timeline_print_text(struct json_object *timeline, FILE *out);
int timeline_write_svg(struct json_object *timeline, const char *title, FILE *out);
/* A step between axis ticks near @raw: 1, 2 or 5 times a power of ten. */
double svg_nice_step(double raw);
/* Text in SVG/HTML: & < > " ' escaped. */
void svg_escape(FILE *out, const char *s);

#endif /* TIMELINE_H */
