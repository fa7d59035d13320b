// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The text outputs as a person reads them: run's report on several
 * scenarios (and --timeline, --sweep), trace (and --interval), probe and compare fit 80 columns when
 * stdout is not a terminal; the report prints no all-zero row by default
 * and says how many it hid, -v shows them; no escape byte off a terminal or
 * with NO_COLOR; the workers carry their role as comm.
 */
#include <locale.h>
#include <wchar.h>
#include "compiler.h"
#include "harness.h"

#define VER_A "/tmp/ipctrace-test-text-a.json"
#define VER_B "/tmp/ipctrace-test-text-b.json"

/* Display columns of the line [@s, @e) (a CJK character takes two). */
static int columns(const char *s, const char *e)
{
	char line[4096];
	wchar_t w[4096];
	size_t n;

	snprintf(line, sizeof(line), "%.*s", (int)(e - s), s);
	n = mbstowcs(w, line, 4096);
	if (n == (size_t)-1)
		return (int)(e - s);
	return wcswidth(w, n) < 0 ? (int)n : wcswidth(w, n);
}

/* Every line of @text (output of @what) is 80 columns or less, and holds no escape byte. */
static void assert_fits(const char *text, const char *what)
{
	int no = 1;

	for (const char *l = text, *e; *l; l = e + (*e != 0), no++) {
		e = strchrnul(l, '\n');
		if (columns(l, e) > 80)
			fail_msg("%s: line %d is %d columns: %.*s", what, no, columns(l, e), (int)(e - l), l);
	}
	if (strchr(text, '\033'))
		fail_msg("%s: an escape byte off a terminal", what);
}

/* A table row whose values (two or more at the end of the line) are all 0 or n/a. */
static bool zero_row(const char *l, const char *e)
{
	int values = 0;

	while (e > l) {
		const char *t = e;

		while (t > l && t[-1] == ' ')
			t--;
		e = t;
		while (t > l && t[-1] != ' ')
			t--;
		if (e - t == 1 && *t == '0')
			values++;
		else if (e - t == 3 && !strncmp(t, "n/a", 3))
			values++;
		else
			break;
		e = t;
	}
	return values >= 2;
}

/* In the figure tables (a section title to the next blank line), no all-zero row. */
static void assert_no_zero_row(const char *text, const char *what)
{
	static const char *const titles[] = { "Syscalls and switches", "Page faults", "Copy ledger",
					      "Page cache", "DMA", "Signals", "Sockets", NULL };
	bool in = false;

	for (const char *l = text, *e; *l; l = e + (*e != 0)) {
		e = strchrnul(l, '\n');
		if (e == l)
			in = false;
		for (const char *const *t = titles; *t; t++)
			in |= !strncmp(l, *t, strlen(*t));
		if (in && zero_row(l, e))
			fail_msg("%s: an all-zero row: %.*s", what, (int)(e - l), l);
	}
}

/* ipctrace ARGS (stderr too when @err), exit 0 asserted. */
static char *text_of(const char *args, bool err)
{
	char cmd[512];
	char *out;
	int rc;

	snprintf(cmd, sizeof(cmd), "%s%s", args, err ? " 2>&1" : " 2>/dev/null");
	out = run_cmd(cmd, &rc);
	if (rc)
		fail_msg("ipctrace %s exited %d: %.500s", args, rc, out);
	return out;
}

/*
 * @out of ipctrace @args fits 80 columns, has every string of @has and none
 * of @lacks (each NULL-terminated, or NULL); @out is freed.
 */
static void expect_in(char *out, const char *args, const char *const *has, const char *const *lacks)
{
	assert_fits(out, args);
	for (; has && *has; has++)
		if (!strstr(out, *has))
			fail_msg("ipctrace %s: no \"%s\" in:\n%s", args, *has, out);
	for (; lacks && *lacks; lacks++)
		if (strstr(out, *lacks))
			fail_msg("ipctrace %s: \"%s\" in:\n%s", args, *lacks, out);
	free(out);
}

/* ipctrace ARGS (stderr too when @err) fits 80 columns, has @has and lacks @lacks (either may be NULL). */
static void expect_text(const char *args, bool err, const char *has, const char *lacks)
{
	const char *h[] = { has, NULL }, *l[] = { lacks, NULL };

	expect_in(text_of(args, err), args, h, l);
}

static void test_run_reports(void **state UNUSED)
{
	static const char *const scenarios[] = { "pipe",	     "fifo-many",   "mmap-share",
						 "mmap-vs-sendfile", "send-buffer", "unix-stream" };
	char args[128];

	NEED_BPF();
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		char *out;

		snprintf(args, sizeof(args), "run %s", scenarios[i]);
		out = text_of(args, false);
		assert_fits(out, args);
		assert_no_zero_row(out, args);
		if (!strstr(out, " all-zero or n/a rows hidden; -v shows them and why\n"))
			fail_msg("%s: no line says what is hidden", args);
		if (!strstr(out, "\nSummary, per unit of work ("))
			fail_msg("%s: no summary", args);
		free(out);
	}
}

/* run --timeline's lanes and the --sweep table fit too: lanes closer, headings on two lines. */
static void test_timeline_sweep(void **state UNUSED)
{
	static const char *const timelines[] = { "pipe", "sendfile --to tcp", "fifo-many", "mmap-share" };
	char args[128];

	NEED_BPF();
	for (size_t i = 0; i < sizeof(timelines) / sizeof(timelines[0]); i++) {
		snprintf(args, sizeof(args), "run %s --timeline", timelines[i]);
		expect_text(args, false, "\nTimeline: unit ", NULL);
	}
	expect_in(text_of("run pipe --size 1M --sweep block=4K,64K,1M --repeat 2", false), "a sweep",
		  (const char *const[]){ "median of 2 runs a value\n", "\nblock           MB/s     /unit",
					 "\n4K  ", "\n64K  ", "\n1M  ", NULL },
		  NULL);
}

/* -v: every row, zero or not, each reason; the all-zero rows the default hides are there. */
static void test_verbose(void **state UNUSED)
{
	static const char *const v_has[] = { "\nSignals\n", "\nCopies observed on their callers",
					     "  NIC DMA: no network device: the data crosses a pipe\n", NULL };
	static const char *const lacks[] = { "kernel -> kernel, bytes", "\nSignals\n", "NIC DMA", NULL };
	const char *l;
	char *out;

	NEED_BPF();
	out = text_of("run pipe -v", false);
	/* a pipe copies nothing kernel -> kernel: the row is there, all zero */
	l = strstr(out, "\nkernel -> kernel, bytes");
	assert_non_null(l);
	assert_true(zero_row(l + 1, strchrnul(l + 1, '\n')));
	expect_in(out, "run pipe -v", v_has, (const char *const[]){ "rows hidden", NULL });
	expect_in(text_of("run pipe", false), "run pipe", NULL, lacks);
}

/* The workers name themselves by role: ps and the report say writer and reader, not ipctrace. */
static void test_comm_is_role(void **state UNUSED)
{
	struct json_object *rep, *procs;

	NEED_BPF();
	rep = run_report("pipe --size 1M");
	procs = jget(rep, "processes");
	assert_int_equal(json_object_array_length(procs), 2);
	for (size_t i = 0; i < 2; i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);

		assert_string_equal(json_object_get_string(jget(p, "comm")),
				    json_object_get_string(jget(p, "role")));
	}
	json_object_put(rep);
	expect_in(text_of("run pipe --size 1M", false), "run pipe --size 1M",
		  (const char *const[]){ " comm writer\n", " comm reader\n", NULL },
		  (const char *const[]){ "comm ipctrace", NULL });
}

static void test_trace_text(void **state UNUSED)
{
	static const char cmd[] = "trace -- sh -c 'cat /etc/services >/dev/null; ls -l /usr/lib >/dev/null'";
	char *out;

	NEED_BPF();
	/* the report on stderr, as perf stat's: the command's stdout stays its own */
	out = text_of(cmd, true);
	assert_no_zero_row(out, "trace");
	free(out);
	expect_text(cmd, true, "\nSummary, all processes of the command\n", NULL);
	expect_text(cmd, true, "\nSyscalls by name\n  sh ", NULL);
	/* the per-process table: no column all zero (nothing here passes page references); -v has it */
	expect_text(cmd, true, " k->u bytes\n", "refs bytes");
	expect_text("trace -v -- sh -c 'cat /etc/services >/dev/null; ls -l /usr/lib >/dev/null'", true,
		    " refs bytes ", NULL);
	expect_text("trace --interval 0.1 -o /dev/null -- sleep 0.35", true, " time s   syscalls ", NULL);
}

static void test_probe_text(void **state UNUSED)
{
	NEED_BPF();
	expect_text("probe", false, "attach points missing; -v shows why, and how each one counts\n",
		    "    how: ");
	expect_text("probe -v", false, "\n    how: raw_syscalls: ", "attach points missing");
}

static void test_compare_text(void **state UNUSED)
{
	char *out;
	int rc;

	NEED_BPF();
	out = run_cmd("verify pipe.fds pipe.eof --json -o " VER_A, &rc);
	assert_int_equal(rc, 0);
	free(out);
	out = run_cmd("verify pipe.fds --json -o " VER_B, &rc);
	assert_int_equal(rc, 0);
	free(out);
	expect_text("compare " VER_A " " VER_B, false, "\n  claim ", NULL);
	expect_text("verify pipe.fds", false, "\"filedes[0]", NULL);
	unlink(VER_A);
	unlink(VER_B);
}

/* The first ``` block after "## A report" in README.md, or NULL (no README here). */
static char *readme_sample(void)
{
	FILE *f = fopen("README.md", "r");
	char *text = NULL, *from, *to, *block;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &len, 0, f) < 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	from = strstr(text, "\n## A report\n");
	from = from ? strstr(from, "\n```\n") : NULL;
	to = from ? strstr(from + 5, "\n```\n") : NULL;
	if (!to)
		fail_msg("README.md: no ``` block after \"## A report\"");
	block = strndup(from + 5, to - from - 4);
	free(text);
	return block;
}

/* Line [@l, @e) with each number ("16,777,216", "0.031", "6.18.44") as '#' and blanks as one. */
static void line_shape(const char *l, const char *e, char *buf, size_t len)
{
	size_t o = 0;

	while (l < e && *l == ' ')
		l++;
	for (; l < e && o + 2 < len; l++) {
		if (isdigit((unsigned char)*l)) {
			while (l + 1 < e && (isdigit((unsigned char)l[1]) ||
					     ((l[1] == ',' || l[1] == '.') && l + 2 < e && isdigit((unsigned char)l[2]))))
				l++;
			buf[o++] = '#';
		} else if (*l != ' ' || (o && buf[o - 1] != ' ')) {
			buf[o++] = *l;
		}
	}
	while (o && buf[o - 1] == ' ')
		o--;
	buf[o] = 0;
}

/* @shape is the shape of a line of @text. */
static bool has_shape(const char *text, const char *shape)
{
	char buf[512];

	for (const char *l = text, *e; *l; l = e + (*e != 0)) {
		e = strchrnul(l, '\n');
		line_shape(l, e, buf, sizeof(buf));
		if (!strcmp(buf, shape))
			return true;
	}
	return false;
}

/* The section headings of a text report, in order: a line after a blank one, at column 0, '|' after each. */
static void headings(const char *text, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (const char *l = text, *e, *prev = ""; *l; prev = l, l = e + (*e != 0)) {
		e = strchrnul(l, '\n');
		if (l > text && *prev == '\n' && e > l && *l != ' ' && o < len)
			o += snprintf(buf + o, len - o, "%.*s|", (int)(e - l), l);
	}
}

/*
 * README.md's sample report is the current `run pipe` report's shape: the
 * same sections in the same order, every line of the README (numbers as
 * '#') a line of `run pipe` or `run pipe -v` (a row zero in one run may be
 * hidden in another), and the summary's lines all in the README.
 */
static void test_readme_sample(void **state UNUSED)
{
	char *readme, *now, *all, shape[512], want[2048], have[2048];
	const char *sum, *end;

	NEED_BPF();
	readme = readme_sample();
	if (!readme) {
		printf("skipped: no README.md in the working directory\n");
		skip();
	}
	now = text_of("run pipe", false);
	all = text_of("run pipe -v", false);
	headings(readme, want, sizeof(want));
	headings(now, have, sizeof(have));
	if (strcmp(want, have))
		fail_msg("README.md's sample report has the sections\n%s\n`run pipe` has\n%s", want, have);
	for (const char *l = strchr(readme, '\n') + 1, *e; *l; l = e + (*e != 0)) {
		e = strchrnul(l, '\n');
		line_shape(l, e, shape, sizeof(shape));
		if (!has_shape(now, shape) && !has_shape(all, shape))
			fail_msg("README.md's sample report has a line `run pipe` no longer prints: %.*s",
				 (int)(e - l), l);
	}
	sum = strstr(now, "\nSummary, per unit of work");
	assert_non_null(sum);
	end = strstr(sum + 1, "\n\n");
	for (const char *l = sum + 1, *e; l < end; l = e + 1) {
		e = strchrnul(l, '\n');
		line_shape(l, e, shape, sizeof(shape));
		if (!has_shape(readme, shape))
			fail_msg("`run pipe` prints a summary line README.md's sample lacks: %.*s", (int)(e - l), l);
	}
	free(readme);
	free(now);
	free(all);
}

/* On a terminal (script(1)'s pty) headings are bold; NO_COLOR takes that away. */
static void test_colour(void **state UNUSED)
{
	char cmd[512];
	char *out;
	int rc;

	NEED_BPF();
	if (system("command -v script >/dev/null 2>&1")) {
		printf("skipped: no script(1) for a pty\n");
		skip();
	}
	snprintf(cmd, sizeof(cmd), "script -qec '%s run pipe --size 1M' /dev/null", ipctrace_bin());
	out = run_shell(cmd, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\033[1mSummary, per unit of work"));
	free(out);
	snprintf(cmd, sizeof(cmd), "NO_COLOR=1 script -qec '%s run pipe --size 1M' /dev/null", ipctrace_bin());
	out = run_shell(cmd, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "Summary, per unit of work"));
	assert_null(strstr(out, "\033[1m"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_reports), cmocka_unit_test(test_timeline_sweep),
		cmocka_unit_test(test_verbose),
		cmocka_unit_test(test_comm_is_role), cmocka_unit_test(test_trace_text),
		cmocka_unit_test(test_probe_text),  cmocka_unit_test(test_compare_text),
		cmocka_unit_test(test_colour),      cmocka_unit_test(test_readme_sample),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
