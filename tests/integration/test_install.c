// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Installed as perf and bpftool are: `make install DESTDIR= PREFIX=/usr`
 * puts the binary, ipctrace(8), the bash completion and the JSON Schemas
 * (share/ipctrace/schema) in place, make uninstall takes them back; the man
 * page renders without a warning and names every command, option, scenario
 * and figure group the binary has; the installed binary runs; the
 * completion completes from it. As root, `make deb`'s package installs with
 * dpkg, runs, and is removed. Only the package test needs root.
 */
#include <sys/stat.h>
#include "compiler.h"
#include "harness.h"
#include "scenario.h"

#define MAKE "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory"

static char dest[64];

static int make_dest(void **state UNUSED)
{
	snprintf(dest, sizeof(dest), "/tmp/ipctrace-install-XXXXXX");
	return mkdtemp(dest) ? 0 : -1;
}

static int remove_dest(void **state UNUSED)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dest);
	return system(cmd);
}

/* the output of a shell command, which must exit 0 */
static char *sh(const char *fmt, ...)
{
	char cmd[2048], *out;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	out = run_shell(cmd, &rc);
	if (rc != 0)
		fail_msg("'%s' exited %d: %.500s", cmd, rc, out);
	return out;
}

static void expect_file(const char *rel, mode_t mode)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", dest, rel);
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		fail_msg("make install did not install %s", rel);
	if ((st.st_mode & 07777) != mode)
		fail_msg("%s has mode %o, not %o", rel, st.st_mode & 07777, mode);
}

/* every long option of @help (--size, --to...) is in @man, as roff writes it */
static void expect_options_in(const char *man, const char *help, const char *cmd)
{
	for (const char *p = help; (p = strstr(p, "--")); p += 2) {
		char opt[40], roff[80], *o = roff;
		size_t n = 2;

		while (n < sizeof(opt) - 1 && (isalnum((unsigned char)p[n]) || p[n] == '-'))
			n++;
		if (n == 2 || !isalpha((unsigned char)p[2]))
			continue;
		snprintf(opt, sizeof(opt), "%.*s", (int)n, p);
		if (!strcmp(opt, "--usage")) /* argp's own */
			continue;
		for (const char *c = opt; *c && o < roff + sizeof(roff) - 3; c++) {
			if (*c == '-')
				*o++ = '\\';
			*o++ = *c;
		}
		*o = 0;
		if (!strstr(man, roff))
			fail_msg("ipctrace(8) lacks %s of ipctrace %s", opt, cmd);
	}
}

/* The JSON Schemas, exactly docs/schema's six files, as they are there. */
static void expect_schemas(void)
{
	static const char *const names[] = { "compare.json", "figures.json", "probe.json",
					     "report.json", "sweep.json", "verify.json" };
	char rel[128], *out;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(rel, sizeof(rel), "/usr/share/ipctrace/schema/%s", names[i]);
		expect_file(rel, 0644);
	}
	out = sh("ls %s/usr/share/ipctrace/schema | wc -l; diff -r docs/schema "
		 "%s/usr/share/ipctrace/schema && echo same", dest, dest);
	assert_string_equal(out, "6\nsame\n");
	free(out);
}

static void test_make_install(void **state UNUSED)
{
	static const char *const cmds[] = { "list", "probe", "run", "verify", "trace", "compare" };
	char *out, *mine, *man, *warn, *groups;

	free(sh(MAKE " install DESTDIR=%s PREFIX=/usr 2>&1", dest));
	expect_file("/usr/sbin/ipctrace", 0755);
	expect_file("/usr/share/man/man8/ipctrace.8", 0644);
	expect_file("/usr/share/bash-completion/completions/ipctrace", 0644);
	expect_schemas();

	/* the installed binary runs, and lists what the built one does */
	out = sh("%s/usr/sbin/ipctrace list", dest);
	mine = run_cmd("list", &(int){ 0 });
	assert_string_equal(out, mine);
	free(out);
	free(mine);

	/* man -l renders it, without a warning */
	warn = sh("MANWIDTH=80 man --warnings -l %s/usr/share/man/man8/ipctrace.8 2>&1 >/dev/null",
		  dest);
	if (*warn)
		fail_msg("man --warnings: %s", warn);
	free(warn);
	out = sh("MANWIDTH=80 man -l %s/usr/share/man/man8/ipctrace.8 2>/dev/null", dest);
	assert_non_null(strstr(out, "EXIT STATUS"));
	assert_non_null(strstr(out, "EXAMPLES"));
	free(out);

	/* it names every command, option, scenario, figure group, exit code */
	man = sh("cat %s/usr/share/man/man8/ipctrace.8", dest);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char want[64], *help;

		snprintf(want, sizeof(want), ".SS \"ipctrace %s", cmds[i]);
		if (!strstr(man, want))
			fail_msg("ipctrace(8) has no section for %s", cmds[i]);
		help = sh("%s %s --help", ipctrace_bin(), cmds[i]);
		expect_options_in(man, help, cmds[i]);
		free(help);
	}
	for (int i = 0; scenarios[i]; i++) {
		char want[80], *o = want + 3;

		strcpy(want, "\\fB");
		for (const char *c = scenarios[i]->name; *c; c++) {
			if (*c == '-')
				*o++ = '\\';
			*o++ = *c;
		}
		strcpy(o, "\\fP");
		if (!strstr(man, want))
			fail_msg("ipctrace(8) lacks scenario %s", scenarios[i]->name);
		if (scenarios[i]->to_kinds) {
			char k[80], *q = k;

			for (const char *c = scenarios[i]->to_kinds; *c; c++)
				q += *c == '|' ? sprintf(q, "\\||") : sprintf(q, "%c", *c);
			if (!strstr(man, k))
				fail_msg("ipctrace(8) lacks the --to kinds of %s", scenarios[i]->name);
		}
	}
	/* the groups as the binary's refusal of an unknown one lists them */
	groups = sh("%s trace -F '?' -- true 2>&1 | sed -n 's/.*(groups: \\([^()]*\\).*/\\1/p' "
		    "| tr ',;' '\\n\\n'", ipctrace_bin());
	for (char *g = strtok(groups, " \n"); g; g = strtok(NULL, " \n")) {
		char want[64];

		snprintf(want, sizeof(want), "\n.B %s\n", g);
		for (char *c = strchr(want, '-'); c; c = NULL) { /* page-cache */
			memmove(c + 1, c, strlen(c) + 1);
			*c = '\\';
		}
		if (!strstr(man, want))
			fail_msg("ipctrace(8) lacks figure group %s", g);
	}
	free(groups);
	/* -vv is not an option of its own in --help: the man page says it */
	assert_non_null(strstr(man, "\\-vv"));
	for (const char *code = "0\0" "1\0" "2\0" "128+\0"; *code; code += strlen(code) + 1) {
		char want[16];

		snprintf(want, sizeof(want), "\n.B%s %s", code[1] == '2' ? "I" : "", code);
		if (!strstr(man, want))
			fail_msg("ipctrace(8) EXIT STATUS lacks %s", code);
	}
	free(man);
}

/* the completion, with plain bash, asks the installed binary */
static char *complete(const char *words)
{
	return sh("PATH=%s/usr/sbin:$PATH bash -c '. %s/usr/share/bash-completion/completions/ipctrace; "
		  "COMP_WORDS=(ipctrace %s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
		  "_ipctrace; printf \"%%s\\n\" \"${COMPREPLY[@]}\"' 2>/dev/null",
		  dest, dest, words);
}

static void expect_completion(const char *words, const char *want)
{
	char *out = complete(words), *copy = strdup(out), *save = NULL;
	bool found = false;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		found |= !strcmp(l, want);
	if (!found)
		fail_msg("completing 'ipctrace %s' gave '%s', not %s", words, out, want);
	free(copy);
	free(out);
}

static void test_completion(void **state UNUSED)
{
	expect_completion("ve", "verify");
	expect_completion("help tr", "trace");
	expect_completion("run pipe-e", "pipe-eof");
	expect_completion("run --bl", "--block");
	expect_completion("run sendfile --to u", "unix");
	expect_completion("run notify-cost --to fu", "futex");
	expect_completion("verify pipe.eo", "pipe.eof");
	expect_completion("trace -F page", "page-cache");
	expect_completion("compare --su", "--summary");
	/* the options added on 2026-12-07 */
	expect_completion("run pipe --rep", "--repeat");
	expect_completion("trace --no-f", "--no-follow");
	expect_completion("trace --follow-t", "--follow-timeout");
	expect_completion("probe --verb", "--verbose");
	expect_completion("run pipe -", "-v");
}

/* As root: the .deb installs with dpkg, runs, and is removed. */
static void test_deb(void **state UNUSED)
{
	char *out;
	int rc;

	if (geteuid() != 0) {
		printf("skipped: not root: dpkg -i needs root\n");
		skip();
	}
	out = run_shell("dpkg-query -W -f='${Status}' ipctrace 2>/dev/null", &rc);
	if (strstr(out, "installed")) { /* someone's own: leave it be */
		printf("skipped: an ipctrace package is installed already\n");
		free(out);
		skip();
	}
	free(out);
	free(sh("rm -f .output/ipctrace_*.deb && " MAKE " deb 2>&1"));
	out = sh("dpkg-deb -f .output/ipctrace_*.deb Depends");
	assert_non_null(strstr(out, "libbpf1"));
	assert_non_null(strstr(out, "libjson-c5"));
	assert_null(strstr(out, "-dev"));
	assert_null(strstr(out, "clang"));
	free(out);
	out = run_shell("dpkg -i .output/ipctrace_*.deb 2>&1 && /usr/sbin/ipctrace list 2>&1", &rc);
	free(sh("dpkg -r ipctrace >/dev/null 2>&1")); /* even when it failed half-way */
	if (rc != 0 || !strstr(out, "pipe "))
		fail_msg("dpkg -i, then the package's ipctrace list: exit %d: %.300s", rc, out);
	free(out);
	out = run_shell("test -e /usr/sbin/ipctrace", &rc);
	assert_int_not_equal(rc, 0); /* removed */
	free(out);
}

/* make uninstall takes back what make install put, the schema directory too. */
static void test_uninstall(void **state UNUSED)
{
	char *out;

	free(sh(MAKE " uninstall DESTDIR=%s PREFIX=/usr 2>&1", dest));
	out = sh("find %s -type f | wc -l; test ! -e %s/usr/share/ipctrace && echo gone", dest, dest);
	assert_string_equal(out, "0\ngone\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_install),
		cmocka_unit_test(test_completion),
		cmocka_unit_test(test_deb),
		cmocka_unit_test(test_uninstall),
	};

	return cmocka_run_group_tests(tests, make_dest, remove_dest);
}
