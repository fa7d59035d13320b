// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The timeline's choice of a unit, its words, and SVG escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <asm/unistd_64.h>
#include "compiler.h"
#include "timeline.h"

static struct ipct_event ev(__u64 ts, __u32 slot, __u32 type, __u32 a, __s64 b, __u64 c)
{
	return (struct ipct_event){ .ts = ts, .slot = slot, .tid = 100 + slot, .type = type,
				    .a = a, .b = b, .c = c };
}

/* Slot 0 writes 4 blocks to a pipe; slot 1 reads once; slot 2 only faults. */
static struct event_log sample(void)
{
	static struct ipct_event v[32];
	struct event_log log = { v, 0, 32, false };
	__u64 wr = IO_WRITE | FD_PIPE << 8;

	for (int i = 0; i < 4; i++) {
		v[log.n++] = ev(1000 * i + 10, 0, EV_SYS_ENTER, __NR_write, 0, 0);
		v[log.n++] = ev(1000 * i + 20, 0, EV_SYS_EXIT, __NR_write, 4096, wr);
	}
	v[log.n++] = ev(2500, 1, EV_SYS_ENTER, __NR_read, 0, 0);
	v[log.n++] = ev(2600, 1, EV_SYS_EXIT, __NR_read, 4096, IO_READ | FD_PIPE << 8);
	v[log.n++] = ev(2700, 2, EV_FAULT, 6, 1, 0x1000);
	return log;
}

static void test_window(void **state UNUSED)
{
	struct event_log log = sample();
	struct tl_window w;

	assert_int_equal(timeline_window(&log, &w), 0);
	assert_int_equal(w.slot, 0);
	assert_false(w.by_faults);
	assert_int_equal(w.units, 4);
	assert_int_equal(w.index, 2); /* the middle unit, not the first */
	assert_int_equal(w.start, 2010);
	assert_int_equal(w.end, 3010);
}

static void test_window_of_faults(void **state UNUSED)
{
	struct ipct_event v[3] = { ev(5, 3, EV_FAULT, 2, 1, 0), ev(9, 3, EV_FAULT, 2, 1, 0),
				   ev(12, 3, EV_FAULT, 0, 0, 0) };
	struct event_log log = { v, 3, 3, false };
	struct tl_window w;

	assert_int_equal(timeline_window(&log, &w), 0);
	assert_true(w.by_faults);
	assert_int_equal(w.units, 2); /* kernel faults are not units */
	assert_int_equal(w.start, 9);
	log.n = 0;
	assert_int_equal(timeline_window(&log, &w), -1);
}

static void test_words(void **state UNUSED)
{
	struct ipct_event e = ev(0, 0, EV_SYS_EXIT, __NR_sendfile, 65536, IO_SENDFILE | FD_REG << 8 | FD_TCP << 16);
	struct tl_text t;

	timeline_describe(&e, &t);
	assert_string_equal(t.what, "<- sendfile = 65,536");
	assert_string_equal(t.detail, "65,536 bytes passed by page reference (file to tcp)");
	assert_int_equal(t.side, TL_CROSS_OUT);
	e = ev(0, 0, EV_FAULT, 3, 1, 0);
	timeline_describe(&e, &t);
	assert_string_equal(t.what, "user page fault, write, protection");
	e = ev(0, 0, EV_SWITCH_OUT, 1, 0, 0);
	timeline_describe(&e, &t);
	assert_string_equal(t.what, "off CPU (sleeps)");
}

static void test_escape(void **state UNUSED)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	svg_escape(m, "<a href=\"x\">'&'</a>");
	fclose(m);
	assert_string_equal(buf, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	free(buf);
}

static const char *role(void *ctx UNUSED, __u32 slot)
{
	static const char *const names[] = { "writer", "reader", "mapper" };

	return slot < 3 ? names[slot] : "other";
}

/* The workload's phase marker is never an event of the timeline. */
static void test_no_phase_marker(void **state UNUSED)
{
	struct event_log log = sample();
	struct json_object *tl, *events;

	log.v[log.n++] = ev(2050, 0, EV_SYS_EXIT, IPCT_MARK_NR, -38, 0);
	tl = timeline_json(&log, 0, role, NULL);
	events = json_object_object_get(tl, "events");
	/* 2010..3010: the write's enter and exit, the read's, the fault */
	assert_int_equal(json_object_array_length(events), 5);
	for (size_t i = 0; i < json_object_array_length(events); i++)
		assert_null(strstr(json_object_get_string(json_object_object_get(
				json_object_array_get_idx(events, i), "what")), "= -38"));
	json_object_put(tl);
}

static struct json_object *add(struct json_object *arr, double t, const char *who, const char *side,
			       const char *what)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "t_us", json_object_new_double(t));
	json_object_object_add(e, "who", json_object_new_string(who));
	json_object_object_add(e, "side", json_object_new_string(side));
	json_object_object_add(e, "what", json_object_new_string(what));
	json_object_array_add(arr, e);
	return e;
}

static struct json_object *timeline_of(struct json_object *events)
{
	struct json_object *tl = json_object_new_object();

	json_object_object_add(tl, "events_recorded", json_object_new_int(27688));
	json_object_object_add(tl, "events_dropped", json_object_new_int(0));
	json_object_object_add(tl, "log_overflow", json_object_new_boolean(0));
	json_object_object_add(tl, "driver", json_object_new_string("writer"));
	json_object_object_add(tl, "unit_by", json_object_new_string("data syscall"));
	json_object_object_add(tl, "unit", json_object_new_int(1));
	json_object_object_add(tl, "units_seen", json_object_new_int(256));
	json_object_object_add(tl, "duration_us", json_object_new_double(1000));
	json_object_object_add(tl, "events", events);
	return tl;
}

/* The text timeline of @tl (freed), in a new string. */
static char *text_of(struct json_object *tl)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	timeline_print_text(tl, m);
	fclose(m);
	json_object_put(tl);
	return text;
}

/* Lanes closer than LANE_W so that a lane's longest line fits 80 columns. */
static void test_text_fits(void **state UNUSED)
{
	struct json_object *ev = json_object_new_array();
	char *text;

	add(ev, 0, "writer", "user->kernel", "-> write()");
	add(ev, 3.5, "reader", "kernel->user", "<- read = 65,536");
	json_object_object_add(add(ev, 5, "reader", "kernel->user", "<- read = 65,536"), "detail",
			       json_object_new_string("65,536 bytes copied kernel->user (pipe)"));
	text = text_of(timeline_of(ev));
	assert_string_equal(text,
			    "\nTimeline: unit 1 of 256 (one data syscall of writer), 1000.000 us, 3 events;\n"
			    "          27,688 recorded, 0 dropped\n"
			    "    t (us)  writer                    reader\n"
			    "     0.000  -> write()\n"
			    "     3.500                            <- read = 65,536\n"
			    "     5.000                            <- read = 65,536\n"
			    "                                         65,536 bytes copied kernel->user (pipe)\n");
	free(text);
	/* eight lanes: 8 columns apart, long names cut, a long line moved left to fit */
	ev = json_object_new_array();
	for (int k = 0; k < 8; k++) {
		char who[64];

		snprintf(who, sizeof(who), "a-process-with-a-long-name-%d.1234", k);
		json_object_object_add(add(ev, k, who, "kernel->user", "<- sendfile = 1,048,576"), "detail",
				       json_object_new_string("1,048,576 bytes passed by page reference "
							      "(file to tcp)"));
	}
	text = text_of(timeline_of(ev));
	for (const char *l = text, *e; *l; l = e + (*e != 0)) {
		e = strchrnul(l, '\n');
		if (e - l > 80)
			fail_msg("%d columns: %.*s", (int)(e - l), (int)(e - l), l);
	}
	assert_non_null(strstr(text, "\n    t (us)  a-proc  a-proc  a-proc  a-proc  a-proc  a-proc  a-proc  a-process-wi\n"));
	assert_non_null(strstr(text, "\n     7.000                                               <- sendfile = 1,048,576\n"
				     "                          1,048,576 bytes passed by page reference (file to tcp)\n"));
	free(text);
}

/* A run of scheduling events of one process is one row, however long. */
static void test_rows_merge_runs(void **state UNUSED)
{
	struct json_object *ev = json_object_new_array(), *tl;
	struct tl_rows r;
	char words[96];

	add(ev, 0, "writer", "user->kernel", "-> write()");
	for (int i = 0; i < 500; i++) {
		add(ev, 1 + i, "writer", "kernel", "off CPU (still runnable)");
		add(ev, 1.5 + i, "reader", "kernel", "woken up"); /* another process: its own run */
		add(ev, 1.5 + i, "writer", "kernel", "on CPU");
	}
	add(ev, 600, "writer", "kernel->user", "<- write = 4096");
	add(ev, 601, "writer", "kernel", "on CPU"); /* after a syscall: a new run */
	tl = timeline_of(ev);
	assert_int_equal(timeline_rows(tl, &r), 0);
	assert_int_equal(r.nlanes, 2);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.more_rows, 0);
	assert_int_equal(r.events, 1503);
	assert_true(r.row[1].sched);
	assert_int_equal(r.row[1].events, 1000);
	assert_true(r.row[1].t0 == 1 && r.row[1].t1 == 500.5);
	timeline_run_words(&r.row[1], words, sizeof(words));
	assert_string_equal(words, "off CPU x500, on CPU x500");
	assert_int_equal(r.row[2].lane, 1);
	assert_int_equal(r.row[2].woken, 500);
	assert_int_equal(r.row[3].side, TL_CROSS_OUT);
	assert_int_equal(r.row[4].events, 1);
	json_object_put(tl);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Past TL_MAX_ROWS rows, the rest is counted, not drawn. */
static void test_rows_capped(void **state UNUSED)
{
	struct json_object *ev = json_object_new_array(), *tl;
	struct tl_rows r;
	char *svg = NULL;
	size_t len = 0;
	FILE *m;

	for (int i = 0; i < 200; i++) {
		add(ev, i, "writer", "user->kernel", "-> write()");
		add(ev, i + 0.5, "writer", "kernel", "off CPU (sleeps)");
		add(ev, i + 0.7, "writer", "kernel", "on CPU");
	}
	tl = timeline_of(ev);
	assert_int_equal(timeline_rows(tl, &r), 0);
	assert_int_equal(r.n, TL_MAX_ROWS);
	assert_int_equal(r.more_rows, 400 - TL_MAX_ROWS);
	assert_int_equal(r.more_events, 600 - 3 * TL_MAX_ROWS / 2);
	m = open_memstream(&svg, &len);
	assert_int_equal(timeline_write_svg(tl, "t", m), 0);
	fclose(m);
	assert_non_null(strstr(svg, "height=\"1152\""));
	assert_non_null(strstr(svg, "352 more rows (528 events) not shown"));
	assert_non_null(strstr(svg, "t (\xc2\xb5s)"));
	free(svg);
	svg = NULL;
	m = open_memstream(&svg, &len);
	timeline_print_text(tl, m);
	fclose(m);
	/* the text timeline: a blank line, a header of two lines, the lanes, 48 rows of one line
	 * (no details), the rest counted */
	assert_int_equal(count_lines(svg), 4 + TL_MAX_ROWS + 1);
	assert_non_null(strstr(svg, "... 352 more rows (528 events) not shown"));
	assert_non_null(strstr(svg, "off CPU x1, on CPU x1, until"));
	free(svg);
	json_object_put(tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_window_of_faults),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_no_phase_marker),
		cmocka_unit_test(test_rows_merge_runs),
		cmocka_unit_test(test_rows_capped),
		cmocka_unit_test(test_text_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
