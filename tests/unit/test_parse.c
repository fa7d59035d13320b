// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Sizes on the command line; run specs and --sweep, bounded and quoted escaped. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "compiler.h"
#include "parse.h"
#include "runargs.h"
#include "sweep.h"

static uint64_t ok(const char *s)
{
	const char *why = NULL;
	uint64_t v = 0;

	assert_int_equal(parse_size(s, &v, &why), 0);
	return v;
}

static const char *bad(const char *s)
{
	const char *why = NULL;
	uint64_t v = 12345;

	assert_int_equal(parse_size(s, &v, &why), -1);
	assert_int_equal(v, 12345); /* untouched on error */
	assert_non_null(why);
	return why;
}

static void test_plain_and_suffixes(void **state UNUSED)
{
	assert_int_equal(ok("1"), 1);
	assert_int_equal(ok("4096"), 4096);
	assert_int_equal(ok("64K"), 65536);
	assert_int_equal(ok("64k"), 65536);
	assert_int_equal(ok("64KiB"), 65536);
	assert_int_equal(ok("16MiB"), 16777216);
	assert_int_equal(ok("16M"), 16777216);
	assert_int_equal(ok("2G"), 2147483648ull);
	assert_int_equal(ok("1T"), 1099511627776ull);
}

static void test_refused(void **state UNUSED)
{
	assert_string_equal(bad("0"), "a size must be greater than zero");
	assert_string_equal(bad("0K"), "a size must be greater than zero");
	assert_string_equal(bad("-1"), "a size cannot be negative");
	assert_string_equal(bad(""), "empty size");
	assert_string_equal(bad("K"), "a size starts with a digit");
	assert_string_equal(bad(" 1"), "a size starts with a digit");
	assert_string_equal(bad("12X"), "unknown size suffix (use K, M, G or T)");
	assert_string_equal(bad("12KX"), "unknown size suffix (use K, M, G or T)");
	assert_string_equal(bad("1.5M"), "unknown size suffix (use K, M, G or T)");
	/* dd reads MB as 1000*1000: refused, saying what to write instead */
	assert_non_null(strstr(bad("16MB"), "ambiguous"));
	assert_non_null(strstr(bad("64KB"), "KiB"));
	assert_non_null(strstr(bad("1gb"), "ambiguous"));
	bad(NULL);
}

static void test_overflow(void **state UNUSED)
{
	assert_string_equal(bad("99999999999999999999"), "size too large");
	assert_string_equal(bad("18446744073709551615"), "size too large");
	assert_string_equal(bad("8388608T"), "size too large"); /* 2^63 */
	assert_int_equal(ok("8388607T"), 8388607ull << 40);
	assert_string_equal(bad("9223372036854775808"), "size too large");
}

/*
 * A run spec too long for its buffer, or of more words than argv holds,
 * was cut silently: "pipe <600 spaces> --size 1M" ran pipe without --size.
 */
static void test_run_spec_bounds(void **state UNUSED)
{
	char spec[700], buf[512];
	struct run_args a;

	assert_int_equal(run_args_from_spec("pipe --size 1M", &a, buf, sizeof(buf)), 0);
	assert_int_equal(a.opts.size, 1 << 20);
	snprintf(spec, sizeof(spec), "pipe%600s--size 1M", "");
	assert_int_equal(run_args_from_spec(spec, &a, buf, sizeof(buf)), -1);
	assert_string_equal(a.err, "a run spec has at most 511 bytes");
	snprintf(spec, sizeof(spec), "pipe");
	for (int i = 0; i < 30; i++)
		strcat(spec, " --cold");
	strcat(spec, " --size 1M");
	assert_int_equal(run_args_from_spec(spec, &a, buf, sizeof(buf)), -1);
	assert_string_equal(a.err, "a run spec has at most 30 words");
	/* the error quotes the spec: escaped */
	assert_int_equal(run_args_from_spec("pipe\x1b[2J", &a, buf, sizeof(buf)), -1);
	assert_non_null(strstr(a.err, "unknown scenario 'pipe\\x1b[2J'"));
}

static void test_sweep_bounds(void **state UNUSED)
{
	char spec[700], err[128];
	struct sweep sw;

	assert_int_equal(sweep_parse("size=1K,4M", &sw, err, sizeof(err)), 0);
	assert_int_equal(sw.n, 2);
	/* cut at 511 bytes, the 4M would have been left out */
	snprintf(spec, sizeof(spec), "size=1K,2K%600s4M", "");
	memset(spec + 10, ',', 600);
	assert_int_equal(sweep_parse(spec, &sw, err, sizeof(err)), -1);
	assert_string_equal(err, "--sweep: at most 511 bytes");
}

/* A sweep's values keep the words they were typed in, for the charts' axis. */
static void test_sweep_typed(void **state UNUSED)
{
	char err[128];
	struct sweep sw;

	assert_int_equal(sweep_parse("block=4K,64KiB,100", &sw, err, sizeof(err)), 0);
	assert_int_equal(sw.n, 3);
	assert_int_equal(sw.repeat, 1);
	assert_int_equal(sw.values[1], 65536);
	assert_string_equal(sw.typed[0], "4K");
	assert_string_equal(sw.typed[1], "64KiB");
	assert_string_equal(sw.typed[2], "100");
	assert_int_equal(sweep_parse("block=4K,00000000000000000000000064K", &sw, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too long"));
}

/* The median of the runs (the mean of the middle two when even), unmeasured runs left out. */
static void test_sweep_spread(void **state UNUSED)
{
	double odd[] = { 9, 1, 5 }, even[] = { 4, NAN, 1, 3, 10 }, none[] = { NAN };
	struct sweep_spread sp;

	sp = sweep_spread_of(odd, 3);
	assert_true(sp.min == 1 && sp.median == 5 && sp.max == 9);
	sp = sweep_spread_of(even, 5);
	assert_true(sp.min == 1 && sp.median == 3.5 && sp.max == 10);
	sp = sweep_spread_of(none, 1);
	assert_true(isnan(sp.min) && isnan(sp.median) && isnan(sp.max));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_suffixes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_run_spec_bounds),
		cmocka_unit_test(test_sweep_bounds),
		cmocka_unit_test(test_sweep_typed),
		cmocka_unit_test(test_sweep_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
