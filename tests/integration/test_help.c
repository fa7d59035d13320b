// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Help and usage errors, as a newcomer meets them: every command's -h,
 * --help and `help COMMAND` exit 0 with examples; usage errors exit 2 and
 * say what was meant. No BPF, no root: none of these skip.
 */
#include "compiler.h"
#include "harness.h"
#include "scenario.h"

static const char *const commands[] = { "list", "probe", "run", "verify", "trace", "compare" };

/* ipctrace ARGS: stdout, stderr kept apart; exit code in *rc */
static char *run_err(const char *args, int *rc)
{
	char a[512];

	snprintf(a, sizeof(a), "%s 2>&1 >/dev/null", args);
	return run_cmd(a, rc);
}

static void expect_help(const char *args, const char *needle)
{
	int rc;
	char *out = run_cmd(args, &rc), *err = run_err(args, &rc);

	if (rc != 0)
		fail_msg("ipctrace %s: exit %d, expected 0 (%s)", args, rc, err);
	if (!strstr(out, needle))
		fail_msg("ipctrace %s: help lacks '%s': %.300s", args, needle, out);
	for (char *l = out, *e; *l; l = e + 1) { /* fits 80 columns */
		e = strchrnul(l, '\n');
		if (e - l > 79)
			fail_msg("ipctrace %s: a line of %d columns: %.*s", args, (int)(e - l),
				 (int)(e - l), l);
		if (!*e)
			break;
	}
	free(out);
	free(err);
}

static void expect_usage(const char *args, const char *needle)
{
	int rc;
	char *err = run_err(args, &rc);

	if (rc != 2)
		fail_msg("ipctrace %s: exit %d, expected 2 (%s)", args, rc, err);
	if (!strstr(err, needle))
		fail_msg("ipctrace %s: message '%s' lacks '%s'", args, err, needle);
	free(err);
}

static void test_help_exit_0(void **state UNUSED)
{
	char a[64];

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *c = commands[i];

		snprintf(a, sizeof(a), "%s -h", c);
		expect_help(a, "Examples:");
		snprintf(a, sizeof(a), "%s --help", c);
		expect_help(a, "Examples:");
		snprintf(a, sizeof(a), "help %s", c);
		expect_help(a, "Examples:");
		snprintf(a, sizeof(a), "help %s", c); /* its own help, not the top level's */
		expect_help(a, c);
	}
	expect_help("--help", "examples:");
	expect_help("-h", "examples:");
	expect_help("help", "examples:");
	expect_help("help run", "Usage: ipctrace run");
	expect_help("--version", "ipctrace");
}

/*
 * The options added on 2026-12-07 are in the help that should name them:
 * -v/-vv in the top level's and in each command's that takes it, --repeat
 * in run's, --no-follow and --follow-timeout in trace's.
 */
static void test_new_options(void **state UNUSED)
{
	static const char *const verbose[] = { "probe", "run", "verify", "trace" };
	char a[64];

	expect_help("help", "take -v (every row");
	expect_help("help", "-vv: libbpf's log");
	for (size_t i = 0; i < sizeof(verbose) / sizeof(verbose[0]); i++) {
		snprintf(a, sizeof(a), "%s -h", verbose[i]);
		expect_help(a, "  -v, --verbose ");
		expect_help(a, "-vv: libbpf's log");
	}
	expect_help("run -h", "--repeat=N");
	expect_help("trace -h", "--no-follow ");
	expect_help("trace -h", "--follow-timeout=SECONDS ");
}

/* run --help: every scenario, what it takes, and which take --to, --cold, --block */
static void test_run_help_lists_scenarios(void **state UNUSED)
{
	int rc;
	char *out = run_cmd("run --help", &rc);

	assert_int_equal(rc, 0);
	assert_null(strstr(out, "sendfile destination"));
	for (int i = 0; scenarios[i]; i++) {
		const struct scenario *sc = scenarios[i];
		char *l = strstr(out, sc->name), *e;

		/* a line "  NAME  OPTIONS" */
		while (l && (l[-1] != ' ' || l[strlen(sc->name)] != ' ' || l[-2] != ' '))
			l = strstr(l + 1, sc->name);
		if (!l)
			fail_msg("run --help does not list scenario %s", sc->name);
		e = strchrnul(l, '\n');
		assert_int_equal(!!memmem(l, e - l, "--to ", 5), !!(sc->opts & OPT_TO));
		assert_int_equal(!!memmem(l, e - l, "--cold", 6), !!(sc->opts & OPT_COLD));
		assert_int_equal(!!memmem(l, e - l, "--block", 7), !!(sc->opts & OPT_BLOCK));
		assert_int_equal(!!memmem(l, e - l, "--size", 6), !!(sc->opts & OPT_SIZE));
		/* every scenario that takes --to says what kinds */
		assert_int_equal(sc->to_kinds != NULL, !!(sc->opts & OPT_TO));
		if (sc->to_kinds)
			assert_non_null(memmem(l, e - l, sc->to_kinds, strlen(sc->to_kinds)));
	}
	free(out);
}

static void test_did_you_mean(void **state UNUSED)
{
	expect_usage("run piep", "did you mean 'pipe'?");
	expect_usage("run sendfil --to tcp", "did you mean 'sendfile'?");
	expect_usage("run nosuchthing", "ipctrace list");
	expect_usage("lsit", "did you mean 'list'?");
	expect_usage("verfy", "did you mean 'verify'?");
	expect_usage("piep", "did you mean 'ipctrace run pipe'?");
	expect_usage("help rnu", "did you mean 'run'?");
	expect_usage("frobnicate", "unknown command");
	/* claim ids, before anything runs */
	expect_usage("verify pipe.eff", "did you mean 'pipe.eof'?");
	expect_usage("verify --list pipe.eff", "did you mean 'pipe.eof'?");
	expect_usage("verify qqqqqqqq", "verify --list");
}

static void test_usage_exit_2(void **state UNUSED)
{
	expect_usage("", "usage");
	expect_usage("run -Z", "invalid option");
	expect_usage("list extra", "no arguments");
	expect_usage("probe extra", "unexpected argument");
	expect_usage("compare", "needs two or more");
	expect_usage("trace", "what to trace?");
	expect_usage("help run list", "one command at a time");
}

/* dd reads 16MB as 16,000,000, perf refuses it: refused, with what to write */
static void test_size_suffixes(void **state UNUSED)
{
	expect_usage("run pipe --size 16MB", "ambiguous");
	expect_usage("run pipe --size 16MB", "MiB");
	expect_usage("run pipe --block 64KB", "ambiguous");
	expect_usage("run pipe --sweep size=1MB,2M", "ambiguous");
	expect_usage("run pipe --repeat 3", "--repeat repeats the runs of a sweep: with --sweep");
	expect_usage("run pipe --sweep block=4K,64K --repeat 100", "from 1 to 99");
	expect_usage("run pipe --sweep block=4K,64K --repeat 2x", "--repeat '2x'");
	expect_usage("run pipe --size 16XB", "unknown size suffix");
	/* binary suffixes are taken (the run then fails the --block check, before any BPF) */
	expect_usage("run pipe --size 16MiB --block 32M", "larger than --size");
	expect_usage("run pipe --size 16M --block 32MiB", "larger than --size");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_exit_0),
		cmocka_unit_test(test_new_options),
		cmocka_unit_test(test_run_help_lists_scenarios),
		cmocka_unit_test(test_did_you_mean),
		cmocka_unit_test(test_usage_exit_2),
		cmocka_unit_test(test_size_suffixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
