// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The timeline: one unit of work in the steady state, as the ordered
 * events the kernel recorded across processes and the user/kernel line.
 *
 * The unit: the "driver" is the process with the most data syscalls in the
 * transfer (or, with none, the most page faults: mmap); its middle one
 * starts the window, its next one ends it. Everything any traced process
 * did in that window is shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ledger.h"
#include "syscall_table.h"
#include "textfmt.h"
#include "textsafe.h"
#include "timeline.h"

#define MAX_TIDS 64

struct unit_marks {
	__u64 *ts;
	size_t n;
};

static bool data_exit(const struct ipct_event *e)
{
	return e->type == EV_SYS_EXIT && (e->c & 0xff) != IO_NONE;
}

/* Start times of the unit events of @slot: data syscalls, else user faults. */
static struct unit_marks unit_starts(const struct event_log *log, __u32 slot, bool faults)
{
	struct unit_marks m = { calloc(log->n ? log->n : 1, sizeof(__u64)), 0 };
	struct { __u32 tid; __u64 ts; } enter[MAX_TIDS] = {};

	for (size_t i = 0; m.ts && i < log->n; i++) {
		const struct ipct_event *e = &log->v[i];

		if (e->slot != slot)
			continue;
		if (faults) {
			if (e->type == EV_FAULT && e->b)
				m.ts[m.n++] = e->ts;
			continue;
		}
		if (e->type == EV_SYS_ENTER)
			enter[e->tid % MAX_TIDS].tid = e->tid, enter[e->tid % MAX_TIDS].ts = e->ts;
		else if (data_exit(e) && enter[e->tid % MAX_TIDS].tid == e->tid)
			m.ts[m.n++] = enter[e->tid % MAX_TIDS].ts;
	}
	return m;
}

/* The slot with the most unit events of one kind. */
static int driver(const struct event_log *log, bool faults, size_t *count)
{
	size_t per[IPCT_MAX_SLOTS] = { 0 }, best = 0;
	int slot = -1;

	for (size_t i = 0; i < log->n; i++) {
		const struct ipct_event *e = &log->v[i];

		if (e->slot < IPCT_MAX_SLOTS &&
		    (faults ? e->type == EV_FAULT && e->b : data_exit(e)))
			per[e->slot]++;
	}
	for (int s = 0; s < IPCT_MAX_SLOTS; s++)
		if (per[s] > best)
			best = per[s], slot = s;
	*count = best;
	return slot;
}

int timeline_window(const struct event_log *log, struct tl_window *w)
{
	size_t count;
	struct unit_marks m;

	memset(w, 0, sizeof(*w));
	w->slot = driver(log, false, &count);
	if (w->slot < 0) {
		w->by_faults = true;
		w->slot = driver(log, true, &count);
	}
	if (w->slot < 0)
		return -1;
	m = unit_starts(log, w->slot, w->by_faults);
	if (m.n < 1) {
		free(m.ts);
		return -1;
	}
	w->units = m.n;
	w->index = m.n / 2; /* the middle one: steady state, not the first */
	w->start = m.ts[w->index];
	/* the last unit ends with the last event of the transfer */
	w->end = w->index + 1 < m.n ? m.ts[w->index + 1] : log->v[log->n - 1].ts + 1;
	free(m.ts);
	return 0;
}

/* The workload's phase marker (ipctrace.h): bookkeeping, not what the kernel did for it. */
static bool phase_mark(const struct ipct_event *e)
{
	return (e->type == EV_SYS_ENTER || e->type == EV_SYS_EXIT) && e->a == IPCT_MARK_NR;
}

static const char *copy_words(enum column c)
{
	switch (c) {
	case COL_U2K: return "copied user->kernel";
	case COL_K2U: return "copied kernel->user";
	case COL_K2K: return "copied kernel->kernel";
	case COL_PAGEREF: return "passed by page reference";
	case COL_U2U: return "copied user->user";
	case COL_DISCARD: return "discarded by a sink";
	case COL_REMAP: return "remapped (extents shared, no copy)";
	case COL_COPY_OR_REMAP: return "copied or remapped (unknown)";
	default: return "moved by device DMA (O_DIRECT)";
	}
}

void timeline_describe(const struct ipct_event *e, struct tl_text *t)
{
	const char *name;
	__u8 op = e->c & 0xff, kin = (e->c >> 8) & 0xff, kout = (e->c >> 16) & 0xff;
	__u32 flags = e->c >> 24;
	char n[32];

	t->side = TL_KERNEL;
	t->what[0] = t->detail[0] = 0;
	switch (e->type) {
	case EV_SYS_ENTER:
		name = syscall_name(e->a);
		snprintf(t->what, sizeof(t->what), "-> %s()", name ? name : "syscall");
		t->side = TL_CROSS_IN;
		break;
	case EV_SYS_EXIT:
		name = syscall_name(e->a);
		if (e->a == (__u32)-1) /* rt_sigreturn sets orig_ax = -1: no restart */
			snprintf(t->what, sizeof(t->what), "<- sigreturn, rax restored = %s",
				 fmt_count(e->b, n, sizeof(n)));
		else
			snprintf(t->what, sizeof(t->what), "<- %s = %s", name ? name : "syscall",
				 fmt_count(e->b, n, sizeof(n)));
		t->side = TL_CROSS_OUT;
		if (op != IO_NONE && e->b > 0)
			snprintf(t->detail, sizeof(t->detail), "%s bytes %s (%s%s%s)",
				 fmt_count(e->b, n, sizeof(n)), copy_words(ledger_column(op, kin, kout, flags)),
				 fd_kind_name(kin), kout ? " to " : "", kout ? fd_kind_name(kout) : "");
		break;
	case EV_FAULT:
		snprintf(t->what, sizeof(t->what), "%s page fault%s%s", e->b ? "user" : "kernel",
			 e->a & 2 ? ", write" : "", e->a & 1 ? ", protection" : "");
		t->side = e->b ? TL_CROSS_IN : TL_KERNEL;
		break;
	case EV_SWITCH_OUT:
		snprintf(t->what, sizeof(t->what), "off CPU (%s)",
			 e->b ? "preempted" : e->a ? "sleeps" : "still runnable");
		break;
	case EV_SWITCH_IN:
		snprintf(t->what, sizeof(t->what), "on CPU");
		break;
	case EV_WAKEUP:
		snprintf(t->what, sizeof(t->what), "woken up");
		break;
	case EV_BIO:
		snprintf(t->what, sizeof(t->what), "disk %s %s bytes (DMA)", e->a ? "write" : "read",
			 fmt_count(e->b, n, sizeof(n)));
		break;
	case EV_SIGNAL:
		snprintf(t->what, sizeof(t->what), "signal %u delivered", e->a);
		break;
	default:
		snprintf(t->what, sizeof(t->what), "event %u", e->type);
	}
}

struct json_object *timeline_json(const struct event_log *log, __u64 dropped,
				  const char *(*role)(void *ctx, __u32 slot), void *ctx)
{
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
	struct tl_window w;

	json_object_object_add(o, "events_recorded", json_object_new_int64(log->n));
	json_object_object_add(o, "events_dropped", json_object_new_int64(dropped));
	json_object_object_add(o, "log_overflow", json_object_new_boolean(log->overflow));
	if (timeline_window(log, &w)) {
		json_object_object_add(o, "events", arr);
		json_object_object_add(o, "unit", NULL);
		return o;
	}
	json_object_object_add(o, "driver", json_object_new_string(role(ctx, w.slot)));
	json_object_object_add(o, "unit_by", json_object_new_string(w.by_faults ? "page fault"
										 : "data syscall"));
	json_object_object_add(o, "unit", json_object_new_int64(w.index + 1));
	json_object_object_add(o, "units_seen", json_object_new_int64(w.units));
	json_object_object_add(o, "duration_us", json_object_new_double((w.end - w.start) / 1e3));
	for (size_t i = 0; i < log->n; i++) {
		const struct ipct_event *e = &log->v[i];
		struct json_object *j;
		struct tl_text t;
		static const char *const sides[] = { "kernel", "user->kernel", "kernel->user" };

		if (e->ts < w.start || e->ts >= w.end || phase_mark(e))
			continue;
		timeline_describe(e, &t);
		j = json_object_new_object();
		json_object_object_add(j, "t_us", json_object_new_double((e->ts - w.start) / 1e3));
		json_object_object_add(j, "who", json_object_new_string(role(ctx, e->slot)));
		json_object_object_add(j, "tid", json_object_new_int(e->tid));
		json_object_object_add(j, "side", json_object_new_string(sides[t.side]));
		json_object_object_add(j, "what", json_object_new_string(t.what));
		if (t.detail[0])
			json_object_object_add(j, "detail", json_object_new_string(t.detail));
		json_object_array_add(arr, j);
	}
	json_object_object_add(o, "events", arr);
	return o;
}

/* ---- text ----------------------------------------------------------------- */

/* A lane's columns at most (the time column and its gap before the first) */
#define LANE_W 44
#define LANE_MIN 10
#define TIME_W 12
/* a syscall's detail line, indented under it */
#define DETAIL_IN 3

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

static int lane_of(struct tl_rows *r, const char *who)
{
	for (int k = 0; k < r->nlanes; k++)
		if (!strcmp(r->lanes[k], who))
			return k;
	if (r->nlanes == TL_MAX_LANES)
		return TL_MAX_LANES - 1; /* more processes than lanes: the last one holds them */
	r->lanes[r->nlanes] = who;
	return r->nlanes++;
}

static bool sched_event(const char *what)
{
	return !strncmp(what, "on CPU", 6) || !strncmp(what, "off CPU", 7) ||
	       !strncmp(what, "woken up", 8);
}

static enum tl_side side_of(const char *side)
{
	return !strcmp(side, "user->kernel") ? TL_CROSS_IN
	       : !strcmp(side, "kernel->user") ? TL_CROSS_OUT : TL_KERNEL;
}

/* A new row (the @logical-th), or NULL past the cap (then counted). */
static struct tl_row *new_row(struct tl_rows *r, int logical)
{
	if (logical >= TL_MAX_ROWS) {
		r->more_rows++;
		return NULL;
	}
	r->n = logical + 1;
	return memset(&r->row[logical], 0, sizeof(r->row[logical]));
}

/* Event @e (at @t us) of lane @k into the rows; @open[k]: its run in progress. */
static void add_event(struct tl_rows *r, struct json_object *e, double t, int k, int *open,
		      int *logical)
{
	const char *what = str(e, "what") ? str(e, "what") : "";
	bool sched = sched_event(what);
	struct tl_row *row;

	if (sched && open[k] >= 0) { /* the run goes on */
		if (open[k] >= TL_MAX_ROWS) {
			r->more_events++;
			return;
		}
		row = &r->row[open[k]];
	} else {
		open[k] = sched ? *logical : -1;
		row = new_row(r, (*logical)++);
		if (!row) {
			r->more_events++;
			return;
		}
		*row = (struct tl_row){ .t0 = t, .lane = k, .sched = sched, .what = what,
					.detail = str(e, "detail"), .side = side_of(str(e, "side") ?: "") };
	}
	row->t1 = t;
	row->events++;
	row->off += what[1] == 'f';
	row->on += what[1] == 'n';
	row->woken += what[0] == 'w';
}

int timeline_rows(struct json_object *tl, struct tl_rows *r)
{
	struct json_object *events, *v;
	int open[TL_MAX_LANES], logical = 0;

	memset(r, 0, sizeof(*r));
	if (!tl || !json_object_object_get_ex(tl, "events", &events) ||
	    !json_object_object_get_ex(tl, "unit", &v) || !v)
		return -1;
	for (int k = 0; k < TL_MAX_LANES; k++)
		open[k] = -1;
	r->duration_us = json_object_get_double(json_object_object_get(tl, "duration_us"));
	r->events = json_object_array_length(events);
	for (size_t i = 0; i < r->events; i++) {
		struct json_object *e = json_object_array_get_idx(events, i);

		add_event(r, e, json_object_get_double(json_object_object_get(e, "t_us")),
			  lane_of(r, str(e, "who") ? str(e, "who") : "?"), open, &logical);
	}
	return 0;
}

void timeline_run_words(const struct tl_row *row, char *buf, size_t len)
{
	size_t n = 0;
	const struct { int count; const char *name; } parts[] = {
		{ row->off, "off CPU" }, { row->on, "on CPU" }, { row->woken, "woken up" },
	};

	buf[0] = 0;
	for (size_t i = 0; i < 3 && n < len; i++)
		if (parts[i].count)
			n += snprintf(buf + n, len - n, "%s%s x%d", n ? ", " : "", parts[i].name,
				      parts[i].count);
}

/* The header of the text timeline, wrapped at @width. */
static void print_header(struct json_object *tl, const struct tl_rows *r, int width, FILE *out)
{
	char safe[TEXT_SAFE_LEN], line[TEXT_SAFE_LEN + 256], n[3][32];
	struct json_object *v;

	fmt_count((long long)r->events, n[0], sizeof(n[0]));
	fmt_count(json_object_object_get_ex(tl, "events_recorded", &v) ? json_object_get_int64(v) : 0,
		  n[1], sizeof(n[1]));
	fmt_count(json_object_object_get_ex(tl, "events_dropped", &v) ? json_object_get_int64(v) : 0,
		  n[2], sizeof(n[2]));
	snprintf(line, sizeof(line),
		 "unit %s of %s (one %s of %s), %.3f us, %s event%s; %s recorded, %s dropped%s",
		 str(tl, "unit"), str(tl, "units_seen"), str(tl, "unit_by"),
		 text_safe(str(tl, "driver"), safe, sizeof(safe)), r->duration_us, n[0],
		 r->events == 1 ? "" : "s", n[1], n[2],
		 json_object_get_boolean(json_object_object_get(tl, "log_overflow")) ? " (log full)" : "");
	text_wrap_words(out, "Timeline: ", line, width);
}

/* What row @row prints on its first line: one event, or the words of a run. */
static const char *row_text(const struct tl_row *row, char *buf, size_t len)
{
	char run[96];

	if (!(row->sched && row->events > 1))
		return row->what;
	timeline_run_words(row, run, sizeof(run));
	snprintf(buf, len, "%s, until %.3f", run, row->t1);
	return buf;
}

/*
 * Columns between one lane and the next: LANE_W + 2 when that fits, less
 * so that the longest text of each lane ends within @width, at least
 * LANE_MIN (then a longer line moves left: see lane_pad) unless the lanes'
 * names need less.
 */
static int lane_step(const struct tl_rows *r, int width)
{
	int step = LANE_W + 2;
	char buf[160];

	for (int i = 0; i < r->n; i++) {
		const struct tl_row *row = &r->row[i];
		int len = (int)strlen(row_text(row, buf, sizeof(buf)));

		if (row->detail && !(row->sched && row->events > 1) && DETAIL_IN + (int)strlen(row->detail) > len)
			len = DETAIL_IN + (int)strlen(row->detail);
		if (row->lane > 0 && (width - TIME_W - len) / row->lane < step)
			step = (width - TIME_W - len) / row->lane;
	}
	if (step < LANE_MIN)
		step = LANE_MIN;
	/* every lane's name has a column: 8 lanes on 80 columns are 8 apart */
	return r->nlanes && step > (width - TIME_W) / r->nlanes ? (width - TIME_W) / r->nlanes : step;
}

/* Where text of @len columns in lane @lane starts after the time column: in its lane, or left enough to fit. */
static int lane_pad(int lane, int step, int len, int width)
{
	int pad = lane * step;

	if (TIME_W + pad + len > width)
		pad = width - TIME_W - len;
	return pad < 0 ? 0 : pad;
}

/* The lanes' names over their columns, each cut to its column; no trailing blanks. */
static void print_lanes(const struct tl_rows *r, int step, int width, FILE *out)
{
	char safe[TEXT_SAFE_LEN];

	fprintf(out, "%10s", "t (us)");
	for (int k = 0; k < r->nlanes; k++) {
		int room = k + 1 < r->nlanes ? step - 2 : width - TIME_W - k * step;

		text_safe(r->lanes[k], safe, room > 0 ? (size_t)room + 1 : 1);
		fprintf(out, "  %s", safe);
		if (k + 1 < r->nlanes)
			fprintf(out, "%*s", step - 2 - (int)strlen(safe), "");
	}
	fputc('\n', out);
}

/*
 * A lane is named by its role, or by comm.pid for a process the scenario
 * did not start: escaped (textsafe.h), a comm can hold any byte. Lines fit
 * the width of @out (textfmt.h): lanes closer than LANE_W when they must.
 */
void timeline_print_text(struct json_object *tl, FILE *out)
{
	struct tl_rows *r = malloc(sizeof(*r));
	int width = text_width(out), step;
	char buf[160];

	if (!tl || !json_object_object_get(tl, "events") || !r) {
		free(r);
		return;
	}
	fputc('\n', out);
	if (timeline_rows(tl, r)) {
		fprintf(out, "Timeline: no unit of work recorded (%s events)\n",
			fmt_count(json_object_get_int64(json_object_object_get(tl, "events_recorded")), buf,
				  sizeof(buf)));
		free(r);
		return;
	}
	print_header(tl, r, width, out);
	step = lane_step(r, width);
	print_lanes(r, step, width, out);
	for (int i = 0; i < r->n; i++) {
		const struct tl_row *row = &r->row[i];
		const char *text = row_text(row, buf, sizeof(buf));

		fprintf(out, "%10.3f  %*s%s\n", row->t0, lane_pad(row->lane, step, (int)strlen(text), width), "",
			text);
		if (row->detail && !(row->sched && row->events > 1))
			fprintf(out, "%10s  %*s%*s%s\n", "", lane_pad(row->lane, step,
				DETAIL_IN + (int)strlen(row->detail), width), "", DETAIL_IN, "", row->detail);
	}
	if (r->more_rows)
		fprintf(out, "%10s  ... %d more rows (%zu events) not shown: --json has them all\n", "",
			r->more_rows, r->more_events);
	free(r);
}

/* ---- SVG ------------------------------------------------------------------ */

void svg_escape(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}
