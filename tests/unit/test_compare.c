// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `ipctrace compare`: checking its input, and the diff of verdicts and figures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "compare.h"
#include "compiler.h"

/* Two kernels: "same" agrees, "moved" differs in verdict and figures, "new" is only in B. */
static const char *doc_a =
	"{ \"kernel\": { \"release\": \"6.18.0\" },"
	"  \"probes\": { \"sys_enter\": \"tp_btf\", \"sock_send_length\": \"tp_btf\","
	"                \"pipe_write\": \"unavailable\" },"
	"  \"summary\": { \"confirmed\": 1, \"nuanced\": 1 },"
	"  \"claims\": ["
	"    { \"id\": \"same\", \"statement\": \"s\", \"verdict\": \"confirmed\","
	"      \"figures\": { \"p.writer.syscalls\": 16.0 } },"
	"    { \"id\": \"moved\", \"statement\": \"m\", \"verdict\": \"nuanced\","
	"      \"figures\": { \"c.reader.page_cache.inserted\": 4.0, \"c.reader.page_cache.readahead\": 1.0,"
	"                     \"c.params.size\": 100.0 } } ] }";

static const char *doc_b =
	"{ \"kernel\": { \"release\": \"6.1.0\" },"
	"  \"probes\": { \"sys_enter\": \"tp_btf\", \"sock_send_length\": \"unavailable\","
	"                \"pipe_write\": \"fentry\" },"
	"  \"summary\": { \"confirmed\": 2, \"refuted\": 1 },"
	"  \"claims\": ["
	"    { \"id\": \"same\", \"statement\": \"s\", \"verdict\": \"confirmed\","
	"      \"figures\": { \"p.writer.syscalls\": 16 } },"
	"    { \"id\": \"moved\", \"statement\": \"m\", \"verdict\": \"refuted\","
	"      \"figures\": { \"c.reader.page_cache.inserted\": 0.0, \"c.reader.page_cache.readahead\": null,"
	"                     \"c.params.size\": 100.0 } },"
	"    { \"id\": \"new\", \"statement\": \"n\", \"verdict\": \"confirmed\", \"figures\": {} } ] }";

static struct json_object *docs[2];
static const char *names[2] = { "a.json", "b.json" };

static int setup(void **state UNUSED)
{
	docs[0] = json_tokener_parse(doc_a);
	docs[1] = json_tokener_parse(doc_b);
	return docs[0] && docs[1] ? 0 : -1;
}

static int teardown(void **state UNUSED)
{
	json_object_put(docs[0]);
	json_object_put(docs[1]);
	return 0;
}

static struct json_object *at(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no key %s", key);
	return v;
}

static struct json_object *row(struct json_object *cmp, const char *id)
{
	struct json_object *rows = at(cmp, "claims");

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);

		if (!strcmp(json_object_get_string(at(r, "id")), id))
			return r;
	}
	fail_msg("no row for claim %s", id);
	return NULL;
}

/* @text parsed and checked: "" when accepted, else the error. */
static const char *check(const char *text)
{
	static char err[160];
	struct json_object *o = json_tokener_parse(text);

	err[0] = 0;
	if (compare_check(o, err, sizeof(err)) == 0)
		err[0] = 0;
	else if (!err[0])
		snprintf(err, sizeof(err), "rejected without a reason");
	json_object_put(o);
	return err;
}

static void test_check(void **state UNUSED)
{
	assert_string_equal(check(doc_a), "");
	/* a `run --json` report is JSON, but not a verify output */
	assert_non_null(strstr(check("{ \"schema\": 1, \"processes\": [] }"), "ipctrace verify"));
	assert_non_null(strstr(check("[1, 2]"), "ipctrace verify"));
	assert_non_null(strstr(check("{ \"claims\": [], \"summary\": {} }"), "kernel.release"));
	assert_non_null(strstr(check("{ \"kernel\": { \"release\": \"x\" }, \"summary\": {},"
				     "  \"claims\": [ { \"id\": \"a\" } ] }"),
			       "claims[0]"));
}

static void test_verdicts(void **state UNUSED)
{
	struct json_object *cmp = compare_build(docs, names, 2);
	struct json_object *v;

	assert_int_equal(json_object_get_int(at(cmp, "differing")), 1);
	assert_false(json_object_get_boolean(at(row(cmp, "same"), "verdicts_differ")));
	assert_true(json_object_get_boolean(at(row(cmp, "moved"), "verdicts_differ")));
	v = at(row(cmp, "moved"), "verdicts");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)), "nuanced");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 1)), "refuted");
	/* a claim one kernel did not check: null there, no difference with itself */
	v = at(row(cmp, "new"), "verdicts");
	assert_null(json_object_array_get_idx(v, 0));
	assert_false(json_object_get_boolean(at(row(cmp, "new"), "verdicts_differ")));
	assert_false(json_object_get_boolean(at(row(cmp, "new"), "checked_by_all")));
	assert_true(json_object_get_boolean(at(row(cmp, "moved"), "checked_by_all")));
	/* the first file's order, then what only later files have */
	assert_string_equal(json_object_get_string(at(json_object_array_get_idx(at(cmp, "claims"), 2),
						   "id")), "new");
	json_object_put(cmp);
}

static void test_figures(void **state UNUSED)
{
	struct json_object *cmp = compare_build(docs, names, 2);
	struct json_object *same = at(row(cmp, "same"), "changed_figures");
	struct json_object *moved = at(row(cmp, "moved"), "changed_figures"), *v;

	/* 16 as an integer and 16.0 as a double are the same figure */
	assert_int_equal(json_object_object_length(same), 0);
	assert_int_equal(json_object_object_length(moved), 2);
	v = at(moved, "c.reader.page_cache.inserted");
	assert_int_equal(json_object_get_int(json_object_array_get_idx(v, 0)), 4);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(v, 1)), 0);
	/* a figure the other kernel cannot give (null) has changed */
	v = at(moved, "c.reader.page_cache.readahead");
	assert_null(json_object_array_get_idx(v, 1));
	assert_false(json_object_object_get_ex(moved, "c.params.size", NULL));
	json_object_put(cmp);
}

static void test_probe_heads(void **state UNUSED)
{
	struct json_object *cmp = compare_build(docs, names, 2);
	struct json_object *k = json_object_array_get_idx(at(cmp, "kernels"), 1);

	assert_string_equal(json_object_get_string(at(k, "release")), "6.1.0");
	assert_int_equal(json_object_get_int(at(at(k, "probes"), "tp_btf")), 1);
	assert_int_equal(json_object_get_int(at(at(k, "probes"), "fentry")), 1);
	assert_int_equal(json_object_get_int(at(at(k, "probes"), "unavailable")), 1);
	json_object_put(cmp);
}

static void test_text(void **state UNUSED)
{
	struct json_object *cmp = compare_build(docs, names, 2);
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	compare_print_text(cmp, m);
	fclose(m);
	assert_non_null(strstr(text, "6.18.0"));
	assert_non_null(strstr(text, "tp_btf 1, fentry 1"));
	assert_non_null(strstr(text, "* moved"));
	assert_non_null(strstr(text, "  same"));
	assert_null(strstr(text, "* same"));
	assert_non_null(strstr(text, "c.reader.page_cache.readahead"));
	assert_null(strstr(text, "c.params.size"));
	assert_non_null(strstr(text, "1 claim(s) with differing verdicts"));
	free(text);
	json_object_put(cmp);
}

/* Every string of the files compared holds controls: the text has none. */
static void test_text_escaped(void **state UNUSED)
{
	static const char *hostile =
		"{ \"kernel\": { \"release\": \"6.18\\u001b]0;title\\u0007\" },"
		"  \"probes\": { \"p\": \"tp_btf\\u001b[2J\" },"
		"  \"summary\": { \"confirmed\\nFORGED\": 1 },"
		"  \"claims\": [ { \"id\": \"a\\nFORGED\", \"verdict\": \"x\\u009b\\r\","
		"    \"figures\": { \"p.x\\u001b\\n\": %d } } ] }";
	struct json_object *two[2], *cmp;
	char *text = NULL, doc[512];
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	for (int k = 0; k < 2; k++) {
		snprintf(doc, sizeof(doc), hostile, k);
		two[k] = json_tokener_parse(doc);
		assert_string_equal(check(doc), "");
	}
	cmp = compare_build(two, names, 2);
	compare_print_text(cmp, m);
	fclose(m);
	for (size_t i = 0; i < len; i++)
		if ((text[i] < 0x20 && text[i] != '\n') || (unsigned char)text[i] >= 0x7f)
			fail_msg("byte 0x%02x at %zu of:\n%s", (unsigned char)text[i], i, text);
	assert_null(strstr(text, "\nFORGED"));
	assert_non_null(strstr(text, "6.18\\x1b]0;title\\x07"));
	assert_non_null(strstr(text, "tp_btf\\x1b[2J 1"));
	assert_non_null(strstr(text, "  a\\nFORGED "));
	assert_non_null(strstr(text, "x\\xc2\\x9b\\r"));
	assert_non_null(strstr(text, "p.x\\x1b\\n "));
	assert_non_null(strstr(text, " 1 confirmed\\nFORGED\n"));
	free(text);
	json_object_put(cmp);
	json_object_put(two[0]);
	json_object_put(two[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_probe_heads),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_escaped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
