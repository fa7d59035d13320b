// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Sizes on the command line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "parse.h"

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

static void test_plain_and_suffixes(void **state)
{
	assert_int_equal(ok("1"), 1);
	assert_int_equal(ok("4096"), 4096);
	assert_int_equal(ok("64K"), 65536);
	assert_int_equal(ok("64k"), 65536);
	assert_int_equal(ok("64KiB"), 65536);
	assert_int_equal(ok("64KB"), 65536);
	assert_int_equal(ok("16M"), 16777216);
	assert_int_equal(ok("2G"), 2147483648ull);
	assert_int_equal(ok("1T"), 1099511627776ull);
}

static void test_refused(void **state)
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
	bad(NULL);
}

static void test_overflow(void **state)
{
	assert_string_equal(bad("99999999999999999999"), "size too large");
	assert_string_equal(bad("18446744073709551615"), "size too large");
	assert_string_equal(bad("8388608T"), "size too large"); /* 2^63 */
	assert_int_equal(ok("8388607T"), 8388607ull << 40);
	assert_string_equal(bad("9223372036854775808"), "size too large");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_suffixes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
