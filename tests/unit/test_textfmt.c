// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The one number formatter of text output, line wrapping, width and colour (textfmt.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "compiler.h"
#include "textfmt.h"

static void test_count(void **state UNUSED)
{
	static const struct { long long v; const char *want; } cases[] = {
		{ 0, "0" },
		{ 999, "999" },
		{ 1000, "1,000" },
		{ 65536, "65,536" },
		{ 16777216, "16,777,216" },
		{ -1000, "-1,000" },
		{ -999, "-999" },
		{ LLONG_MIN, "-9,223,372,036,854,775,808" },
		{ LLONG_MAX, "9,223,372,036,854,775,807" },
	};
	char b[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(fmt_count(cases[i].v, b, sizeof(b)), cases[i].want);
	/* cut to the buffer, never past it */
	assert_string_equal(fmt_count(1234567, b, 6), "1,234");
	assert_string_equal(fmt_count(1234567, b, 3), "1");
	assert_string_equal(fmt_count(1234567, b, 1), "");
}

/* A ratio: grouped as a count, at most 3 decimals, trailing zeros cut; no "-0". */
static void test_real(void **state UNUSED)
{
	static const struct { double v; const char *want; } cases[] = {
		{ 65536.0, "65,536" },	       { 1.016, "1.016" },	   { 0.5, "0.5" },
		{ 2.1, "2.1" },		       { 748991.8666, "748,991.867" }, { 1234.0004, "1,234" },
		{ -0.5, "-0.5" },	       { -1234.25, "-1,234.25" },	   { -0.0004, "0" },
		{ 0.0, "0" },		       { NAN, "n/a" },		   { INFINITY, "n/a" },
	};
	char b[48];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(fmt_real(cases[i].v, b, sizeof(b)), cases[i].want);
}

static void test_bytes(void **state UNUSED)
{
	char b[32];

	assert_string_equal(fmt_bytes(512, b, sizeof(b)), "512 B");
	assert_string_equal(fmt_bytes(65536, b, sizeof(b)), "64.0 KiB");
	assert_string_equal(fmt_bytes(16777216, b, sizeof(b)), "16.0 MiB");
	assert_string_equal(fmt_bytes(1.5 * 1024 * 1024 * 1024, b, sizeof(b)), "1.5 GiB");
}

static char *wrapped(const char *prefix, const char *text, int width)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	text_wrap_words(f, prefix, text, width);
	fclose(f);
	return s;
}

static void test_wrap(void **state UNUSED)
{
	char *s = wrapped("  why: ", "fexit skb_copy_datagram_from_iter: fentry load: Operation not permitted", 40);

	assert_string_equal(s, "  why: fexit\n"
			       "       skb_copy_datagram_from_iter:\n"
			       "       fentry load: Operation not\n"
			       "       permitted\n");
	free(s);
	s = wrapped("  ", "fits  on one line", 80);
	assert_string_equal(s, "  fits on one line\n");
	free(s);
	/* a word longer than the line has a line of its own, uncut in fewer than 10 columns */
	s = wrapped("> ", "a 0123456789 b", 8);
	assert_string_equal(s, "> a\n  0123456789\n  b\n");
	free(s);
	/* and cut in 10 or more */
	s = wrapped("> ", "a 0123456789abcdefghij b", 12);
	assert_string_equal(s, "> a\n  0123456789\n  abcdefghij\n  b\n");
	free(s);
}

/* Not a terminal: 80 columns and no colour, whatever NO_COLOR says. */
static void test_not_a_tty(void **state UNUSED)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(text_width(f), TEXT_WIDTH);
	unsetenv("NO_COLOR");
	assert_false(text_colour(f));
	fclose(f);
	text_set_verbosity(2);
	assert_int_equal(text_verbosity(), 2);
	text_set_verbosity(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),   cmocka_unit_test(test_real),	  cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_wrap),    cmocka_unit_test(test_not_a_tty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
