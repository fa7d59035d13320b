// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `ipctrace compare`: checking its input, the N-way table of verdicts, key figures and changed figures, as text and HTML. */
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

/* Two documents from @fmt, its %d (twice at most) 0 and 1: each accepted by compare_check(). */
static void parse_pair(const char *fmt, struct json_object **two)
{
	char doc[768];

	for (int k = 0; k < 2; k++) {
		snprintf(doc, sizeof(doc), fmt, k, k);
		two[k] = json_tokener_parse(doc);
		assert_string_equal(check(doc), "");
	}
}

/* @len bytes of @s: printable ASCII and newlines only. */
static void assert_no_controls(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((s[i] < 0x20 && s[i] != '\n') || (unsigned char)s[i] >= 0x7f)
			fail_msg("byte 0x%02x at %zu of:\n%s", (unsigned char)s[i], i, s);
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
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	parse_pair(hostile, two);
	cmp = compare_build(two, names, 2);
	compare_print_text(cmp, m);
	fclose(m);
	assert_no_controls(text, len);
	assert_null(strstr(text, "\nFORGED"));
	assert_non_null(strstr(text, "6.18\\x1b]0;title\\x07"));
	assert_non_null(strstr(text, "tp_btf\\x1b[2J 1"));
	assert_non_null(strstr(text, "  a\\nFORGED "));
	assert_non_null(strstr(text, "x\\xc2\\x9b\\r"));
	assert_non_null(strstr(text, "p.x\\x1b\\n "));
	/* the kernel line is wrapped to 80 columns: the count may end the line before */
	assert_non_null(strstr(text, "confirmed\\nFORGED\n"));
	free(text);
	json_object_put(cmp);
	json_object_put(two[0]);
	json_object_put(two[1]);
}

/* A third kernel for the N-way table: "moved" charted, "same" confirmed with another figure. */
static const char *doc_c =
	"{ \"kernel\": { \"release\": \"7.3.4\" },"
	"  \"probes\": { \"sys_enter\": \"tp_btf\" },"
	"  \"summary\": { \"confirmed\": 1, \"nuanced\": 1 },"
	"  \"claims\": ["
	"    { \"id\": \"moved\", \"statement\": \"m\", \"verdict\": \"confirmed\","
	"      \"figures\": { \"c.reader.page_cache.inserted\": 1.0, \"c.params.size\": 100.0 },"
	"      \"chart\": [ { \"label\": \"pages brought in\", \"textbook\": 1.0, \"measured\": 1.0 } ] },"
	"    { \"id\": \"same\", \"statement\": \"s\", \"verdict\": \"confirmed\","
	"      \"figures\": { \"p.writer.syscalls\": 17 } } ] }";

/* a.json, b.json and c.json compared, in that order. */
static struct json_object *three(struct json_object **c)
{
	static const char *names3[3] = { "a.json", "b.json", "c.json" };
	struct json_object *d[3] = { docs[0], docs[1], *c = json_tokener_parse(doc_c) };

	assert_non_null(*c);
	return compare_build(d, names3, 3);
}

static void test_nway(void **state UNUSED)
{
	struct json_object *c, *cmp = three(&c), *key, *v;

	assert_int_equal(json_object_array_length(at(cmp, "kernels")), 3);
	assert_int_equal(json_object_get_int(at(cmp, "differing")), 1);
	/* "same" agrees in its verdict but not in its figure on the third kernel */
	assert_false(json_object_get_boolean(at(row(cmp, "same"), "verdicts_differ")));
	v = at(at(row(cmp, "same"), "changed_figures"), "p.writer.syscalls");
	assert_int_equal(json_object_array_length(v), 3);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(v, 2)), 17);
	/* a chart on one kernel gives the key figure: its label, measured per kernel */
	key = at(row(cmp, "moved"), "key_figure");
	assert_string_equal(json_object_get_string(at(key, "name")), "pages brought in");
	assert_int_equal(json_object_get_int(at(key, "textbook")), 1);
	v = at(key, "values");
	assert_null(json_object_array_get_idx(v, 0)); /* no chart there */
	assert_int_equal(json_object_get_int(json_object_array_get_idx(v, 2)), 1);
	/* no chart: the first figure that changed, each kernel's value */
	key = at(row(cmp, "same"), "key_figure");
	assert_string_equal(json_object_get_string(at(key, "name")), "p.writer.syscalls");
	assert_false(json_object_object_get_ex(key, "textbook", NULL));
	assert_int_equal(json_object_get_int(json_object_array_get_idx(at(key, "values"), 0)), 16);
	/* a claim the third kernel did not check: null verdict there */
	assert_null(json_object_array_get_idx(at(row(cmp, "new"), "verdicts"), 2));
	json_object_put(cmp);
	json_object_put(c);
}

/* What @print writes for @cmp, which it then drops; the length in @len. */
static char *rendered(struct json_object *cmp, void (*print)(struct json_object *, FILE *),
		      size_t *len)
{
	char *out = NULL;
	FILE *m = open_memstream(&out, len);

	print(cmp, m);
	fclose(m);
	json_object_put(cmp);
	return out;
}

/* Every string of @want (NULL-terminated) is in @text. */
static void assert_has(const char *text, const char **want)
{
	for (; *want; want++)
		if (!strstr(text, *want))
			fail_msg("no \"%s\" in:\n%s", *want, text);
}

static void test_nway_text(void **state UNUSED)
{
	struct json_object *c;
	size_t len;
	char *text = rendered(three(&c), compare_print_text, &len);
	const char *want[] = {
		"  [3] 7.3.4: tp_btf 1, fentry 0; 1 confirmed 1 nuanced\n", "[1]",
		/* the claim, its key figure, then verdict and figure per kernel */
		"* moved", "pages brought in (book 1)", "confirmed 1 ", "nuanced null",
		"confirmed 16 ", "confirmed 17", "changed: p.writer.syscalls\n",
		"1 claim(s) with differing verdicts", NULL,
	};

	assert_has(text, want);
	/* a line per claim when it fits 80 columns, the changed figures under it */
	assert_non_null(strstr(text, "\n  claim   key figure                 [1]           [2]           [3]\n"
				     "  same    p.writer.syscalls          confirmed 16  confirmed 16  confirmed 17\n"
				     "          changed: p.writer.syscalls\n"));
	for (char *l = text, *e; *l; l = e + (*e != 0)) {
		e = strchrnul(l, '\n');
		assert_in_range(e - l, 0, 80);
	}
	free(text);
	json_object_put(c);
}

/* Six kernels do not fit a line with the claim: its cells go on a line of their own, under it. */
static void test_nway_stacked(void **state UNUSED)
{
	static const char *names6[6] = { "a", "b", "c", "d", "e", "f" };
	struct json_object *c = json_tokener_parse(doc_c);
	struct json_object *d[6] = { docs[0], docs[1], c, docs[0], docs[1], c };
	size_t len;
	char *text = rendered(compare_build(d, names6, 6), compare_print_text, &len);

	/* five cells of 14 columns a line: the sixth on the next, none cut */
	assert_non_null(strstr(text, "\n  claim   key figure\n"
				     "    [1]           [2]           [3]           [4]           [5]\n"
				     "    [6]\n"
				     "  same    p.writer.syscalls\n"
				     "    confirmed 16  confirmed 16  confirmed 17  confirmed 16  confirmed 16\n"
				     "    confirmed 17\n"
				     "  changed: p.writer.syscalls\n"));
	assert_null(strstr(text, "~"));
	for (char *l = text, *e; *l; l = e + (*e != 0)) {
		e = strchrnul(l, '\n');
		assert_in_range(e - l, 0, 80);
	}
	free(text);
	json_object_put(c);
}

static void test_html(void **state UNUSED)
{
	struct json_object *c;
	size_t len;
	char *html = rendered(three(&c), compare_print_html, &len);
	const char *want[] = {
		"<!doctype html>", "</html>\n", "<th>7.3.4<br>",
		"<tr class=\"differ\"><td><b>moved</b>", "<span class=\"v refuted\">refuted</span>",
		"textbook: 1",
		/* the changed figures' values, per kernel */
		"<td>c.reader.page_cache.readahead</td><td class=\"num\">1</td>"
		"<td class=\"num\">null</td><td class=\"num\">null</td>",
		NULL,
	};

	assert_has(html, want);
	/* self-contained: nothing fetched */
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	free(html);
	json_object_put(c);
}

/* Markup and controls in every string of the files: escaped in the page. */
static void test_html_escaped(void **state UNUSED)
{
	static const char *hostile =
		"{ \"kernel\": { \"release\": \"<script>alert(1)</script>\\u001b[2J\" },"
		"  \"probes\": { \"p\": \"tp<b>\" },"
		"  \"summary\": { \"confirmed<i>\": 1 },"
		"  \"claims\": [ { \"id\": \"a\\\"><img onerror=x>\", \"statement\": \"&amp;\\r\","
		"    \"verdict\": \"confirmed' class='x\","
		"    \"figures\": { \"p.<x>\\u0007\": %d },"
		"    \"chart\": [ { \"label\": \"l<\\u009b\", \"textbook\": \"<t>\", \"measured\": %d } ] } ] }";
	const char *want[] = {
		"&lt;script&gt;alert(1)&lt;/script&gt;\\x1b[2J", "a&quot;&gt;&lt;img onerror=x&gt;",
		"&amp;amp;\\r", "<span class=\"v other\">confirmed&#39; class=&#39;x</span>",
		"p.&lt;x&gt;\\x07", "l&lt;\\xc2\\x9b", NULL,
	};
	const char *unwanted[] = { "<script", "<img", "<b>tp", "<i>", "<x>", "class='x", NULL };
	struct json_object *two[2];
	char *html;
	size_t len;

	parse_pair(hostile, two);
	html = rendered(compare_build(two, names, 2), compare_print_html, &len);
	assert_no_controls(html, len);
	assert_has(html, want);
	for (const char **u = unwanted; *u; u++)
		if (strstr(html, *u))
			fail_msg("\"%s\" unescaped in:\n%s", *u, html);
	free(html);
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
		cmocka_unit_test(test_nway),
		cmocka_unit_test(test_nway_text),
		cmocka_unit_test(test_nway_stacked),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_html_escaped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
