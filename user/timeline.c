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

static const char *copy_words(enum column c)
{
	switch (c) {
	case COL_U2K: return "copied user->kernel";
	case COL_K2U: return "copied kernel->user";
	case COL_K2K: return "copied kernel->kernel";
	case COL_PAGEREF: return "passed by page reference";
	case COL_U2U: return "copied user->user";
	case COL_DISCARD: return "discarded by a sink";
	default: return "moved by device DMA (O_DIRECT)";
	}
}

void timeline_describe(const struct ipct_event *e, struct tl_text *t)
{
	const char *name;
	__u8 op = e->c & 0xff, kin = (e->c >> 8) & 0xff, kout = (e->c >> 16) & 0xff;
	__u32 flags = e->c >> 24;

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
		snprintf(t->what, sizeof(t->what), "<- %s = %lld", name ? name : "syscall",
			 (long long)e->b);
		t->side = TL_CROSS_OUT;
		if (op != IO_NONE && e->b > 0)
			snprintf(t->detail, sizeof(t->detail), "%lld bytes %s (%s%s%s)",
				 (long long)e->b, copy_words(ledger_column(op, kin, kout, flags)),
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
		snprintf(t->what, sizeof(t->what), "disk %s %lld bytes (DMA)", e->a ? "write" : "read",
			 (long long)e->b);
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

		if (e->ts < w.start || e->ts >= w.end)
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

#define LANE_W 44

/* The lanes: the processes, in order of first appearance. */
static int lanes_of(struct json_object *events, const char **lanes, int max)
{
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(events); i++) {
		struct json_object *who;
		const char *w;
		int k;

		json_object_object_get_ex(json_object_array_get_idx(events, i), "who", &who);
		w = json_object_get_string(who);
		for (k = 0; k < n && strcmp(lanes[k], w); k++)
			;
		if (k == n && n < max)
			lanes[n++] = w;
	}
	return n;
}

static int lane_index(const char **lanes, int n, const char *who)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(lanes[k], who))
			return k;
	return 0;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

/*
 * A lane is named by its role, or by comm.pid for a process the scenario
 * did not start: escaped (textsafe.h), a comm can hold any byte.
 */
void timeline_print_text(struct json_object *tl, FILE *out)
{
	struct json_object *events, *v;
	const char *lanes[8];
	char safe[TEXT_SAFE_LEN];
	int n;

	if (!tl || !json_object_object_get_ex(tl, "events", &events))
		return;
	fprintf(out, "\nTimeline");
	if (!json_object_object_get_ex(tl, "unit", &v) || !v) {
		fprintf(out, ": no unit of work recorded (%s events)\n", str(tl, "events_recorded"));
		return;
	}
	fprintf(out, ": unit %s of %s (one %s of %s), %.3f us, %zu events; %s recorded, %s dropped%s\n",
		str(tl, "unit"), str(tl, "units_seen"), str(tl, "unit_by"),
		text_safe(str(tl, "driver"), safe, sizeof(safe)),
		json_object_get_double(json_object_object_get(tl, "duration_us")),
		json_object_array_length(events), str(tl, "events_recorded"), str(tl, "events_dropped"),
		json_object_get_boolean(json_object_object_get(tl, "log_overflow")) ? " (log full)" : "");
	n = lanes_of(events, lanes, 8);
	fprintf(out, "%10s", "t (us)");
	for (int k = 0; k < n; k++)
		fprintf(out, "  %-*s", LANE_W, text_safe(lanes[k], safe, sizeof(safe)));
	fputc('\n', out);
	for (size_t i = 0; i < json_object_array_length(events); i++) {
		struct json_object *e = json_object_array_get_idx(events, i);
		int k = lane_index(lanes, n, str(e, "who"));
		const char *detail = str(e, "detail");

		fprintf(out, "%10.3f  %*s%s\n",
			json_object_get_double(json_object_object_get(e, "t_us")), k * (LANE_W + 2), "",
			str(e, "what") ? str(e, "what") : "");
		if (detail)
			fprintf(out, "%10s  %*s   %s\n", "", k * (LANE_W + 2), "", detail);
	}
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

#define SVG_ROW 22
#define SVG_LANE 640
#define SVG_LEFT 90
#define SVG_TOP 70

/*
 * One lane per process, split by its user/kernel line: syscalls and user
 * faults cross it, work in the kernel sits right of it.
 */
int timeline_write_svg(struct json_object *tl, const char *title, FILE *out)
{
	struct json_object *events;
	const char *lanes[8];
	int n, rows, width, height;

	if (!tl || !json_object_object_get_ex(tl, "events", &events))
		return -1;
	n = lanes_of(events, lanes, 8);
	rows = json_object_array_length(events);
	width = SVG_LEFT + (n ? n : 1) * SVG_LANE + 20;
	height = SVG_TOP + rows * SVG_ROW + 40;
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		     "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"12\">\n",
		width, height, width, height);
	fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"10\" y=\"20\" "
		     "font-size=\"14\" font-weight=\"bold\">");
	svg_escape(out, title);
	fprintf(out, "</text>\n");
	for (int k = 0; k < n; k++) {
		int x = SVG_LEFT + k * SVG_LANE, mid = x + 110;

		fprintf(out, "<text x=\"%d\" y=\"45\" font-weight=\"bold\">", x);
		svg_escape(out, lanes[k]);
		fprintf(out, "</text>\n<text x=\"%d\" y=\"60\" fill=\"#666\">user</text>"
			     "<text x=\"%d\" y=\"60\" fill=\"#666\">kernel</text>\n", x, mid + 6);
		fprintf(out, "<line x1=\"%d\" y1=\"64\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" "
			     "stroke-dasharray=\"4 3\"/>\n", mid, mid, height - 20);
	}
	for (int i = 0; i < rows; i++) {
		struct json_object *e = json_object_array_get_idx(events, i);
		int k = lane_index(lanes, n, str(e, "who")), x = SVG_LEFT + k * SVG_LANE;
		int mid = x + 110, y = SVG_TOP + i * SVG_ROW;
		const char *side = str(e, "side"), *detail = str(e, "detail");
		bool in = !strcmp(side, "user->kernel"), outw = !strcmp(side, "kernel->user");

		fprintf(out, "<text x=\"10\" y=\"%d\" fill=\"#666\">%.3f</text>\n", y + 4,
			json_object_get_double(json_object_object_get(e, "t_us")));
		if (in || outw)
			fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
				     "stroke-width=\"2\"/><circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>\n",
				x + 10, y, mid + 20, y, in ? "#c0392b" : "#2471a3", in ? mid + 20 : x + 10,
				y, in ? "#c0392b" : "#2471a3");
		fprintf(out, "<text x=\"%d\" y=\"%d\">", mid + 26, y + 4);
		svg_escape(out, str(e, "what"));
		if (detail) {
			fputs(": ", out);
			svg_escape(out, detail);
		}
		fprintf(out, "</text>\n");
	}
	fprintf(out, "</svg>\n");
	return 0;
}
