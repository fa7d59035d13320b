// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* text_safe(): what a terminal may get raw, and how the rest is escaped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "compiler.h"
#include "textsafe.h"

static const char *safe(const char *s)
{
	static char buf[TEXT_SAFE_LEN];

	return text_safe(s, buf, sizeof(buf));
}

static void test_controls(void **state UNUSED)
{
	assert_string_equal(safe("a\nCOUNTS VERIFIED"), "a\\nCOUNTS VERIFIED");
	assert_string_equal(safe("\r\t"), "\\r\\t");
	assert_string_equal(safe("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
	assert_string_equal(safe("\x1b[2J\x7f\x01"), "\\x1b[2J\\x7f\\x01");
}

static void test_utf8(void **state UNUSED)
{
	/* the textbook's quotes, and other printable UTF-8, unchanged */
	assert_string_equal(safe("“向这个文件读写数据”"), "“向这个文件读写数据”");
	assert_string_equal(safe("naïve 😀"), "naïve 😀");
	/* a C1 control as a lone byte (8-bit CSI) and UTF-8 encoded */
	assert_string_equal(safe("\x9b" "2J"), "\\x9b2J");
	assert_string_equal(safe("\xc2\x9b" "2J"), "\\xc2\\x9b2J");
	/* right-to-left override (U+202E), line separator (U+2028) */
	assert_string_equal(safe("a\xe2\x80\xae" "b\xe2\x80\xa8"), "a\\xe2\\x80\\xaeb\\xe2\\x80\\xa8");
	/* invalid: a lone continuation byte, a cut sequence, overlong '/', a surrogate, past U+10FFFF */
	assert_string_equal(safe("\x80"), "\\x80");
	assert_string_equal(safe("\xe4\xb8"), "\\xe4\\xb8");
	assert_string_equal(safe("\xc0\xaf"), "\\xc0\\xaf");
	assert_string_equal(safe("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(safe("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	assert_string_equal(safe("\xff"), "\\xff");
}

static void test_cut(void **state UNUSED)
{
	char buf[8];

	/* an escape or a character that does not fit is left out whole */
	assert_string_equal(text_safe("abcdef\n", buf, sizeof(buf)), "abcdef");
	assert_string_equal(text_safe("abcd\x1b", buf, sizeof(buf)), "abcd");
	assert_string_equal(text_safe("abcde向", buf, sizeof(buf)), "abcde");
	assert_string_equal(text_safe(NULL, buf, sizeof(buf)), "(null)");
}

static void test_dup(void **state UNUSED)
{
	char *s = text_safe_dup("\xff\xff\xff\n");

	assert_string_equal(s, "\\xff\\xff\\xff\\n");
	free(s);
}

/* JSON strings stay valid UTF-8: valid text as it is, invalid bytes escaped */
static void test_json_text(void **state UNUSED)
{
	struct json_object *o = json_text("caf\xc3\xa9 \xe5\x86\x99\n"), *bad = json_text("a\xff\xfe" "b");
	struct json_object *back;

	assert_true(text_is_utf8("caf\xc3\xa9"));
	assert_false(text_is_utf8("a\xff" "b"));
	assert_false(text_is_utf8("\xc0\xaf")); /* overlong */
	assert_string_equal(json_object_get_string(o), "caf\xc3\xa9 \xe5\x86\x99\n");
	assert_string_equal(json_object_get_string(bad), "a\\xff\\xfeb");
	back = json_tokener_parse(json_object_to_json_string(bad));
	assert_non_null(back);
	assert_true(text_is_utf8(json_object_to_json_string(bad)));
	assert_null(json_text(NULL));
	json_object_put(back);
	json_object_put(bad);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_json_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
