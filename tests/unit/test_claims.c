// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The claims file parser and the verdict engine, on a fixed report. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "claims.h"
#include "compiler.h"

static struct json_object *report;

static const char *report_text =
	"{ \"scenario\": { \"params\": { \"size\": 1048576 }, \"units\": 16 },"
	"  \"facts\": { \"reader\": { \"bytes_read\": 1048576, \"errno\": 9 } },"
	"  \"run\": { \"complete\": true },"
	"  \"processes\": [ { \"role\": \"writer\", \"figures\": {"
	"      \"syscalls\": 16, \"syscalls_by_name\": { \"write\": 16 },"
	"      \"copies\": { \"user_to_kernel\": { \"bytes\": 1048576 } },"
	"      \"page_cache\": { \"lookups\": null },"
	"      \"unavailable\": { \"page_cache.lookups\": \"tracepoint mm_filemap_get_pages: missing\" } },"
	"    \"phase_seconds\": { \"transfer\": 0.5 },"
	"    \"phases\": { \"setup\": { \"syscalls\": 3 } } },"
	"    { \"role\": \"pipe-reader\", \"figures\": { \"syscalls\": 20 } } ],"
	"  \"totals\": { \"syscalls\": 36, \"dma\": { \"nic_bytes\": null, \"nic_reason\": \"loopback: no device DMA\" } },"
	"  \"per_unit\": { \"syscalls\": 2.25 } }";

static struct json_object *report_for(const struct claim *c UNUSED, const char *alias, void *ctx UNUSED)
{
	return strcmp(alias, "dead") ? report : NULL;
}

static const char *header = "[t.one]\nquote = q\nstatement = s\nrun p = pipe\nrun dead = pipe --size 1M\n";

/* Parse header + @body; returns the error text ("" when it parsed). */
static const char *parse(const char *body, struct claims *c)
{
	static char err[512];
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", header, body);
	err[0] = 0;
	if (claims_parse(text, "t.claims", c, err, sizeof(err)) == 0)
		return "";
	return err;
}

static enum verdict verdict_of(const char *body, char *evidence, size_t len)
{
	struct claims c;
	struct claim_result r;
	const char *e = parse(body, &c);

	if (*e)
		fail_msg("did not parse: %s", e);
	claim_evaluate(&c.v[0], report_for, NULL, &r);
	if (evidence)
		snprintf(evidence, len, "%s", r.evidence);
	json_object_put(r.figures);
	claims_free(&c);
	return r.verdict;
}

static double eval(const char *expr)
{
	struct claims c;
	double v = -1;
	char why[256];

	assert_string_equal(parse("confirmed = 1\nevidence = x\n", &c), "");
	if (claim_expr_eval(expr, report_for, &c.v[0], NULL, &v, why, sizeof(why)))
		fail_msg("%s: %s", expr, why);
	claims_free(&c);
	return v;
}

static void test_expressions(void **state UNUSED)
{
	assert_true(eval("1 + 2 * 3") == 7);
	assert_true(eval("(1 + 2) * 3") == 9);
	assert_true(eval("10 / 4") == 2.5);
	assert_true(eval("-3 + 1") == -2);
	assert_true(eval("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3 && 1 != 2 && 2 == 2") == 1);
	assert_true(eval("1 > 2 || !(1 == 1)") == 0);
	assert_true(eval("min(3, 4) + max(3, 4) + abs(-2)") == 9);
	assert_true(eval("p.writer.copies.user_to_kernel.bytes") == 1048576);
	assert_true(eval("p.params.size / p.scenario.units") == 65536);
	assert_true(eval("p.writer.syscalls_by_name.write") == 16);
	assert_true(eval("p.writer.syscalls_by_name.read") == 0); /* not made: not listed */
	assert_true(eval("p.writer@setup.syscalls") == 3);
	assert_true(eval("p.writer.phase_seconds.transfer") == 0.5); /* the process's own field */
	assert_true(eval("p.pipe_reader.syscalls") == 20); /* '-' in a role reads as '_' */
	assert_true(eval("p.facts.reader.errno == 9") == 1);
	assert_true(eval("p.per_unit.syscalls") == 2.25);
	assert_true(eval("p.run.complete") == 1);
}

static void test_null_figures(void **state UNUSED)
{
	struct claims c;
	double v;
	char why[256];

	assert_string_equal(parse("confirmed = 1\nevidence = x\n", &c), "");
	assert_int_equal(claim_expr_eval("p.writer.page_cache.lookups > 0", report_for, &c.v[0],
					 NULL, &v, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "mm_filemap_get_pages"));
	assert_int_equal(claim_expr_eval("p.totals.dma.nic_bytes", report_for, &c.v[0], NULL, &v,
					 why, sizeof(why)), 1);
	assert_non_null(strstr(why, "loopback"));
	/* false && unknown is false: the unknown figure cannot change it */
	assert_int_equal(claim_expr_eval("0 && p.writer.page_cache.lookups > 0", report_for,
					 &c.v[0], NULL, &v, why, sizeof(why)), 0);
	assert_true(v == 0);
	assert_int_equal(claim_expr_eval("1 || p.totals.dma.nic_bytes", report_for, &c.v[0], NULL,
					 &v, why, sizeof(why)), 0);
	assert_int_equal(claim_expr_eval("p.writer.nosuch", report_for, &c.v[0], NULL, &v, why,
					 sizeof(why)), -1);
	assert_non_null(strstr(why, "no 'nosuch'"));
	claims_free(&c);
}

static void test_verdicts(void **state UNUSED)
{
	char ev[sizeof(((struct claim_result *)0)->evidence)];

	assert_int_equal(verdict_of("confirmed = p.writer.syscalls == 16\nevidence = {p.writer.syscalls} calls\n",
				    ev, sizeof(ev)), V_CONFIRMED);
	assert_string_equal(ev, "16 calls");
	/* rules in order, first true wins; none true: otherwise */
	assert_int_equal(verdict_of("refuted = 1\nconfirmed = 1\nevidence = x\n", NULL, 0), V_REFUTED);
	assert_int_equal(verdict_of("confirmed = 0\notherwise = nuanced\nevidence = x\n", NULL, 0),
			 V_NUANCED);
	/* a figure this kernel lacks: unobservable, saying which and why */
	assert_int_equal(verdict_of("confirmed = p.writer.page_cache.lookups > 0\n"
				    "evidence = {p.writer.page_cache.lookups} pages\n", ev, sizeof(ev)),
			 V_UNOBSERVABLE);
	assert_non_null(strstr(ev, "mm_filemap_get_pages"));
	assert_non_null(strstr(ev, "n/a pages"));
	/* a run that produced no report: the claim could not be decided */
	assert_int_equal(verdict_of("confirmed = dead.totals.syscalls > 0\nevidence = x\n", ev,
				    sizeof(ev)), V_ERROR);
	assert_non_null(strstr(ev, "run dead"));
	assert_int_equal(verdict_of("confirmed = p.per_unit.syscalls == 2.25\n"
				    "evidence = {p.per_unit.syscalls} per unit, {1/3}\n", ev, sizeof(ev)),
			 V_CONFIRMED);
	assert_string_equal(ev, "2.25 per unit, 0.333");
	/* numbers as every text output prints them: grouped by thousands */
	assert_int_equal(verdict_of("confirmed = 1\nevidence = {16 * 1048576} bytes, {65536 / 3}, {-1 * 65536}\n",
				    ev, sizeof(ev)), V_CONFIRMED);
	assert_string_equal(ev, "16,777,216 bytes, 21,845.333, -65,536");
}

static void expect_error(const char *text, const char *needle)
{
	struct claims c;
	char err[512] = "";

	if (claims_parse(text, "bad.claims", &c, err, sizeof(err)) == 0)
		fail_msg("parsed but should not have: %s", text);
	if (!strstr(err, needle))
		fail_msg("error '%s' lacks '%s'", err, needle);
}

static void test_malformed_files(void **state UNUSED)
{
	expect_error("", "no claims");
	expect_error("# only a comment\n", "no claims");
	expect_error("quote = x\n", "bad.claims:1: expected [claim.id] before");
	expect_error("[a]\nquote = q\nstatement = s\nrun p = pipe\nconfirmed = 1\n", "bad.claims:1: [a] needs");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nconfirmed = 1\n", "names no run");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\n", "no verdict rule");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\nconfirmed = (1\n",
		     "bad.claims:6: missing ')'");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\nconfirmed = 1 +\n",
		     "bad.claims:6: expected a number");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\nconfirmed = q.x > 1\n",
		     "bad.claims:6: 'q.x': no run named 'q'");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = {p.x\nrun p = pipe\nconfirmed = 1\n",
		     "bad.claims:4: evidence: '{' without '}'");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\nconfirmed = 1\nbogus = 2\n",
		     "bad.claims:7: unknown key 'bogus'");
	expect_error("[a]\nquote = q\nquote = r\n", "bad.claims:3: 'quote' given twice");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\nconfirmed = 1\n[a]\n",
		     "bad.claims:7: claim a defined twice");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\notherwise = maybe\n",
		     "bad.claims:6: unknown verdict 'maybe'");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\nrun p = pipe\n",
		     "bad.claims:6: run 'p' named twice");
	expect_error("[a]\nquote q\n", "bad.claims:2: expected 'key = value'");
	expect_error("  indented\n", "bad.claims:1: indented line continues nothing");
	expect_error("[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\nconfirmed = foo(1)\n",
		     "unknown function foo()");
	expect_error("[]\n", "expected [claim.id]");
}

static void test_continuation_lines(void **state UNUSED)
{
	struct claims c;

	assert_string_equal(parse("confirmed = 1 +\n  1 == 2\nevidence = a\n  b\n", &c), "");
	assert_string_equal(c.v[0].evidence, "a b");
	assert_string_equal(c.v[0].rules[0].expr, "1 + 1 == 2");
	assert_int_equal(c.v[0].nruns, 2);
	assert_string_equal(c.v[0].runs[1].spec, "pipe --size 1M");
	claims_free(&c);
}

/* "[a]...confirmed = " then @n times @open, "1", @n times @close. */
static char *nested(size_t n, const char *open, const char *close)
{
	static const char head[] = "[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe\n"
				   "confirmed = ";
	size_t lo = strlen(open), lc = strlen(close), o = sizeof(head) - 1;
	char *text = malloc(o + n * (lo + lc) + 3);

	assert_non_null(text);
	memcpy(text, head, o);
	for (size_t i = 0; i < n; i++, o += lo)
		memcpy(text + o, open, lo);
	text[o++] = '1';
	for (size_t i = 0; i < n; i++, o += lc)
		memcpy(text + o, close, lc);
	strcpy(text + o, "\n");
	return text;
}

/* 10,000 '(' or a million '-': an error that names the line, not a stack overflow. */
static void test_deep_nesting(void **state UNUSED)
{
	static const struct { size_t n; const char *open, *close; bool ok; } cases[] = {
		{ 10000, "(", ")", false }, { 1000000, "-", "", false }, { 1000000, "!", "", false },
		{ 10000, "abs(", ")", false }, { 10000, "min(1,", ")", false },
		{ 64, "(", ")", true }, { 64, "-", "", true }, { 65, "(", ")", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = nested(cases[i].n, cases[i].open, cases[i].close);

		if (cases[i].ok) {
			struct claims c;
			char err[512] = "";

			if (claims_parse(text, "deep.claims", &c, err, sizeof(err)))
				fail_msg("%zu x '%s': %s", cases[i].n, cases[i].open, err);
			claims_free(&c);
		} else {
			expect_error(text, "bad.claims:6: expression nested deeper than 64 levels");
		}
		free(text);
	}
}

/*
 * A large file parses (linearly: ids in a set, values grown by doubling;
 * the time is not asserted here), and a duplicate id is still found.
 */
static void test_large_file(void **state UNUSED)
{
	size_t cap = 20000 * 96 + 300000 * 3 + 256, o = 0;
	char *text = malloc(cap), err[512] = "";
	struct claims c;

	assert_non_null(text);
	for (int i = 0; i < 20000; i++)
		o += snprintf(text + o, cap - o, "[c%d]\nquote=q\nstatement=s\nevidence=e\n"
				"run p=pipe --size %d\notherwise=confirmed\n", i, i + 1);
	o += snprintf(text + o, cap - o, "[long]\nquote=q\nstatement=s\nrun p=pipe\n"
			"otherwise=confirmed\nevidence=e\n");
	for (int i = 0; i < 300000; i++)
		o += snprintf(text + o, cap - o, " x\n");
	assert_int_equal(claims_parse(text, "big.claims", &c, err, sizeof(err)), 0);
	assert_int_equal(c.n, 20001);
	assert_string_equal(c.v[19999].id, "c19999");
	assert_int_equal(strlen(c.v[20000].evidence), 1 + 2 * 300000);
	claims_free(&c);
	snprintf(text + o, cap - o, "[c7]\n");
	expect_error(text, "bad.claims:420007: claim c7 defined twice");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_null_figures),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_malformed_files),
		cmocka_unit_test(test_continuation_lines),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_large_file),
	};
	int rc;

	report = json_tokener_parse(report_text);
	assert_non_null(report);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_object_put(report);
	return rc;
}
