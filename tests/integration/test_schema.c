// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The JSON Schemas of docs/schema against what ipctrace prints: one output
 * of each kind valid (run, trace, probe, verify, compare, --sweep), and
 * broken copies invalid, each with the error that says why: the check can
 * fail. tools/check-json.py does the validating with python3-jsonschema;
 * without it these tests skip, saying so. Every JSON output the other
 * integration tests parse (harness.h: json_keep()) is validated once, at
 * the end of make test, when all have run.
 */
#include <errno.h>
#include <sys/stat.h>
#include "harness.h"

#define CHECK "python3 tools/check-json.py"

static char dir[] = "/tmp/ipctrace-test-schema-XXXXXX";

/* tools/check-json.py ARGS: its exit code, its output in *out; skips when it cannot run. */
static int check_json(char **out, const char *fmt, ...)
{
	char args[1024], cmd[1200];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), CHECK " %s 2>&1", args);
	*out = run_shell(cmd, &rc);
	if (rc == 77) { /* the script printed why */
		printf("skipped: %s", *out);
		free(*out);
		skip();
	}
	return rc;
}

/* "ipctrace ARGS" with stdout into DIR/FILE, asserting exit 0. */
static void produce(const char *file, const char *args)
{
	char cmd[1024], *out;
	int rc;

	snprintf(cmd, sizeof(cmd), "%s %s > %s/%s 2>/dev/null", ipctrace_bin(), args, dir, file);
	out = run_shell(cmd, &rc);
	free(out);
	if (rc)
		fail_msg("ipctrace %s exited %d", args, rc);
}

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	return require_root_bpf(state);
}

static int teardown(void **state UNUSED)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

/* One output of each kind, all six valid. */
static void test_each_kind_valid(void **state UNUSED)
{
	char args[512], *out;

	NEED_BPF();
	produce("report-run.json", "run pipe --size 64K --block 4K --json");
	snprintf(args, sizeof(args), "trace --json -o %s/report-trace.json -- true", dir);
	produce("trace.out", args); /* the report goes to -o, not stdout */
	produce("probe-1.json", "probe --json");
	produce("verify-1.json", "verify --json pipe.eof pipe.read-blocks");
	produce("verify-2.json", "verify --json pipe.eof");
	snprintf(args, sizeof(args), "compare --json %s/verify-1.json %s/verify-2.json", dir, dir);
	produce("compare-1.json", args);
	produce("sweep-1.json", "run pipe --size 64K --sweep block=4K,16K --json");
	if (check_json(&out, "%s", dir) || !strstr(out, "check-json: 7 file(s), 7 valid, 0 invalid"))
		fail_msg("%s", out);
	free(out);
}

/* The run report of test_each_kind_valid, parsed. */
static struct json_object *report(void)
{
	char path[128];
	struct json_object *o;

	snprintf(path, sizeof(path), "%s/report-run.json", dir);
	o = json_object_from_file(path);
	if (!o)
		fail_msg("%s: not there (test_each_kind_valid runs first)", path);
	return o;
}

/* @o written as DIR/broken.json must fail validation as @kind with @error. */
static void expect_invalid(struct json_object *o, const char *kind, const char *error)
{
	char path[128], *out;

	snprintf(path, sizeof(path), "%s/broken.json", dir);
	assert_int_equal(json_object_to_file(path, o), 0);
	json_object_put(o);
	assert_int_equal(check_json(&out, "--as %s %s", kind, path), 1);
	if (!strstr(out, error) || !strstr(out, "1 file(s), 0 valid, 1 invalid"))
		fail_msg("expected \"%s\", check-json said:\n%s", error, out);
	free(out);
	unlink(path);
}

static void set_at(struct json_object *o, const char *group, const char *key,
		   struct json_object *v)
{
	json_object_object_add(group ? jget(o, group) : o, key, v);
}

static void test_broken_reports_invalid(void **state UNUSED)
{
	struct json_object *o;

	NEED_BPF();
	o = report();
	set_at(o, "totals", "syscalls", json_object_new_string("32"));
	expect_invalid(o, "report", "at /totals/syscalls: '32' is not of type 'integer'");
	o = report();
	set_at(o, "totals", "syscalls", NULL); /* its points are all required */
	expect_invalid(o, "report", "at /totals/syscalls: None is not of type 'integer'");
	o = report();
	set_at(o, "per_unit", "bogus", json_object_new_int(1));
	expect_invalid(o, "report", "('bogus' was unexpected)");
	o = report();
	set_at(o, "totals.signals", "generated", NULL); /* null, and no reason */
	expect_invalid(o, "report",
		       "at /totals/unavailable: 'signals.generated' is a required property");
	o = report();
	json_object_object_del(jget(o, "whole_run"), "page_cache");
	expect_invalid(o, "report", "at /whole_run: 'page_cache' is a required property");
	o = report();
	set_at(o, "whole_run.page_cache", "hits", json_object_new_double(1.5)); /* counts are whole */
	expect_invalid(o, "report", "at /whole_run/page_cache/hits: 1.5 is not of type 'integer', 'null'");
	o = report();
	set_at(o, NULL, "schema", json_object_new_int(1));
	expect_invalid(o, "report", "at /schema: 2 was expected");
	o = report();
	set_at(o, "run", "complete", json_object_new_boolean(0)); /* cut short, no error said */
	expect_invalid(o, "report", "at /run/error: None is not of type 'string'");
}

static void test_broken_others_invalid(void **state UNUSED)
{
	struct json_object *o, *row;
	char path[128], *out;
	FILE *f;

	NEED_BPF();
	snprintf(path, sizeof(path), "%s/verify-2.json", dir);
	o = json_object_from_file(path);
	assert_non_null(o);
	json_object_object_del(json_object_array_get_idx(jget(o, "claims"), 0), "runs");
	expect_invalid(o, "verify", "at /claims/0: 'runs' is a required property");
	/* an attach point unavailable, and no reason said */
	snprintf(path, sizeof(path), "%s/probe-1.json", dir);
	o = json_object_from_file(path);
	assert_non_null(o);
	json_object_object_add(jget(o, "probes"), "sys_enter", json_object_new_string("unavailable"));
	json_object_object_del(jget(o, "probe_reasons"), "sys_enter");
	expect_invalid(o, "probe", "at /probe_reasons: 'sys_enter' is a required property");
	/* the sweep as schema 1 printed it: an array, display labels as keys */
	o = json_object_new_array();
	row = json_object_new_object();
	json_object_object_add(row, "value", json_object_new_int(4096));
	json_object_array_add(o, row);
	expect_invalid(o, "sweep", "at /: [{'value': 4096}] is not of type 'object'");
	snprintf(path, sizeof(path), "%s/sweep-1.json", dir);
	o = json_object_from_file(path);
	assert_non_null(o);
	set_at(json_object_array_get_idx(jget(o, "rows"), 0), "figures", "throughput (MB/s)",
	       json_object_new_double(1146.9975672506432));
	expect_invalid(o, "sweep", "('throughput (MB/s)' was unexpected)");
	/* not JSON at all */
	snprintf(path, sizeof(path), "%s/report-cut.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"schema\": 2, \"tool\": {", f);
	fclose(f);
	assert_int_equal(check_json(&out, "%s", path), 1);
	assert_non_null(strstr(out, "report-cut.json: not JSON"));
	free(out);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_kind_valid),
		cmocka_unit_test(test_broken_reports_invalid),
		cmocka_unit_test(test_broken_others_invalid),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
