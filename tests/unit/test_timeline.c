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
	assert_string_equal(t.what, "<- sendfile = 65536");
	assert_string_equal(t.detail, "65536 bytes passed by page reference (file to tcp)");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_window_of_faults),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
