/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Integration test harness: runs the real ./ipctrace binary (as a user
 * would) and reads its JSON report. Tests need root and a kernel that takes
 * ipctrace's BPF programs; without them they skip, saying why.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "compiler.h"

static inline const char *ipctrace_bin(void)
{
	const char *b = getenv("IPCTRACE");

	return b && *b ? b : "./ipctrace";
}

/* Run @cmd through the shell; stdout and exit code back. */
static inline char *run_shell(const char *cmd, int *rc)
{
	char *out = NULL;
	size_t len = 0, n;
	char buf[4096];
	FILE *p, *m = open_memstream(&out, &len);
	int st;

	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		fwrite(buf, 1, n, m);
	st = pclose(p);
	fclose(m);
	*rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return out;
}

/* Run "ipctrace ARGS" through the shell; stdout and exit code back. */
static inline char *run_cmd(const char *args, int *rc)
{
	char *cmd, *out;

	if (asprintf(&cmd, "%s %s", ipctrace_bin(), args) < 0)
		fail_msg("out of memory");
	out = run_shell(cmd, rc);
	free(cmd);
	return out;
}

/*
 * Every JSON output of ipctrace a test parses is kept for the schema check
 * (tools/check-json.py, make test): in $IPCTRACE_JSON_DIR, default
 * .output/tests/json, as KIND-TEST-PID-N.json, KIND the schema it must
 * satisfy (report: run and trace, verify, compare, probe, sweep). make test
 * empties the directory first: what an older build printed would fail.
 */
static inline void json_keep(const char *kind, struct json_object *o)
{
	const char *dir = getenv("IPCTRACE_JSON_DIR");
	static int n;
	char path[512];

	if (!o)
		return;
	dir = dir && *dir ? dir : ".output/tests/json";
	snprintf(path, sizeof(path), "mkdir -p '%s'", dir);
	if (system(path) != 0)
		fail_msg("cannot make %s for the JSON outputs", dir);
	snprintf(path, sizeof(path), "%s/%s-%s-%d-%d.json", dir, kind, program_invocation_short_name,
		 (int)getpid(), n++);
	if (json_object_to_file_ext(path, o, JSON_C_TO_STRING_PLAIN))
		fail_msg("cannot keep %s: %s", path, json_util_get_last_err());
}

/* json_tokener_parse() of an ipctrace output of @kind, kept (json_keep()). */
static inline struct json_object *parse_kept(const char *kind, const char *text)
{
	struct json_object *o = json_tokener_parse(text);

	json_keep(kind, o);
	return o;
}

/* json_object_from_file() of an ipctrace output of @kind, kept. */
static inline struct json_object *load_kept(const char *kind, const char *file)
{
	struct json_object *o = json_object_from_file(file);

	json_keep(kind, o);
	return o;
}

static const char *skip_reason;

/* Decide once whether BPF tests can run here. */
static inline int require_root_bpf(void **state UNUSED)
{
	int rc;
	char *out;

	if (geteuid() != 0) {
		skip_reason = "not root: loading BPF programs needs root (CAP_BPF, CAP_PERFMON)";
		return 0;
	}
	out = run_cmd("run pipe --size 4K --block 4K --json 2>&1 >/dev/null", &rc);
	if (rc != 0) {
		static char why[512];

		snprintf(why, sizeof(why), "ipctrace cannot trace on this kernel (exit %d): %.400s",
			 rc, out);
		skip_reason = why;
	}
	free(out);
	return 0;
}

#define NEED_BPF()                                                                 \
	do {                                                                       \
		if (skip_reason) {                                                 \
			printf("skipped: %s\n", skip_reason);                      \
			skip();                                                    \
		}                                                                  \
	} while (0)

/* ipctrace run ARGS --json, asserting it exits 0; the parsed report. */
static inline struct json_object *run_report(const char *args)
{
	char a[512];
	int rc;
	char *out;
	struct json_object *o, *run, *lost;

	snprintf(a, sizeof(a), "run %s --json", args);
	out = run_cmd(a, &rc);
	if (rc != 0)
		fail_msg("ipctrace %s exited %d", a, rc);
	o = parse_kept("report", out);
	if (!o)
		fail_msg("ipctrace %s printed no JSON: %.300s", a, out);
	free(out);
	/* every count made it into a table (checked before any figure is) */
	if (!json_object_object_get_ex(o, "run", &run) ||
	    !json_object_object_get_ex(run, "rows_lost", &lost) || json_object_get_int64(lost) != 0)
		fail_msg("ipctrace %s: run.rows_lost missing or not 0", a);
	/* sys_exit's table of traced threads (bpf/gate.bpf.h) never gave up */
	if (!json_object_object_get_ex(run, "syscall_gate", &lost) ||
	    !strcmp(json_object_get_string(lost), "broken") ||
	    !strcmp(json_object_get_string(lost), "held"))
		fail_msg("ipctrace %s: run.syscall_gate missing, held or broken", a);
	return o;
}

/* The value at a dotted path; fails the test when a key is missing. */
static inline struct json_object *jget(struct json_object *o, const char *path)
{
	char key[64];
	const char *p = path;

	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		if (!json_object_object_get_ex(o, key, &o))
			fail_msg("no key %s in report (path %s)", key, path);
		p += n + (dot ? 1 : 0);
	}
	return o;
}

static inline int64_t jint(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	if (!v)
		fail_msg("%s is null", path);
	return json_object_get_int64(v);
}

/* The transfer-phase figures of the process with @role. */
static inline struct json_object *role_figures(struct json_object *rep, const char *role)
{
	struct json_object *procs = jget(rep, "processes");

	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);

		if (!strcmp(json_object_get_string(jget(p, "role")), role))
			return jget(p, "figures");
	}
	fail_msg("no process with role %s", role);
	return NULL;
}

/*
 * observed_copies.@site of figures @f: the ledger predicts @user bytes
 * copied across the user boundary and @kernel inside the kernel. Where the
 * kernel loads the fexit program the observed figures must be those; where
 * it refuses (fentry EPERM on the development machine) they are null and
 * the report says why.
 */
static inline void check_observed(struct json_object *f, const char *site, int64_t user,
				  int64_t kernel)
{
	char path[96];
	struct json_object *o, *why;

	snprintf(path, sizeof(path), "observed_copies.%s", site);
	o = jget(f, path);
	assert_int_equal(jint(o, "derived_user_bytes"), user);
	assert_int_equal(jint(o, "derived_kernel_bytes"), kernel);
	if (strcmp(json_object_get_string(jget(o, "method")), "unavailable")) {
		assert_int_equal(strncmp(json_object_get_string(jget(o, "method")), "fexit on ", 9), 0);
		assert_int_equal(jint(o, "user_bytes"), user);
		assert_int_equal(jint(o, "kernel_bytes"), kernel);
		return;
	}
	assert_null(jget(o, "user_bytes"));
	assert_null(jget(o, "kernel_bytes"));
	snprintf(path, sizeof(path), "%s.user_bytes", site);
	assert_true(json_object_object_get_ex(jget(f, "unavailable"), path, &why));
	assert_non_null(strstr(json_object_get_string(why), "fexit "));
	printf("note: %s: %s\n", path, json_object_get_string(why));
}

/* Assert lo <= v <= hi, printing all three. */
#define assert_between(v, lo, hi)                                                   \
	do {                                                                        \
		int64_t v_ = (v), lo_ = (lo), hi_ = (hi);                           \
		if (v_ < lo_ || v_ > hi_)                                           \
			fail_msg("%s = %lld, expected %lld..%lld", #v, (long long)v_, \
				 (long long)lo_, (long long)hi_);                   \
	} while (0)

/*
 * make test SAN=1 builds ipctrace, and so its forked workers, with
 * AddressSanitizer, which changes what the workers make the kernel do: its
 * shadow memory (a byte per 8 bytes of memory) faults in as they touch
 * memory (a write(2) of a 4 MiB mapping reads 128 pages of shadow in the
 * interceptor's range check), and its interceptors and start-up make
 * syscalls of their own (mmap, munmap, sigaltstack). Where a test asserts
 * an exact count of a worker's faults or syscalls, SAN_EXTRA(n) widens it
 * by what ASan adds there; in the normal build it is 0 and the count is
 * exact.
 */
#ifdef __SANITIZE_ADDRESS__
#define SAN_EXTRA(n) (n)
#else
#define SAN_EXTRA(n) 0
#endif
/* Shadow pages of @pages pages of memory (rounded up, +1 for alignment). */
#define SHADOW_PAGES(pages) ((pages) / 8 + 2)

/* Leftovers of a run: programs, processes, files. */

/* The BPF programs process @pid holds (fdinfo of its bpf fds names them). */
static inline int prog_ids_of(pid_t pid, int *ids, int max)
{
	char path[64], line[128];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo", pid);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d)) && n < max) {
		char fp[sizeof(path) + sizeof(e->d_name)];
		FILE *f;

		snprintf(fp, sizeof(fp), "%s/%s", path, e->d_name);
		f = fopen(fp, "re");
		while (f && n < max && fgets(line, sizeof(line), f))
			if (sscanf(line, "prog_id: %d", &ids[n]) == 1)
				n++;
		if (f)
			fclose(f);
	}
	closedir(d);
	return n;
}

static inline bool prog_exists(int id)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "bpftool prog show id %d >/dev/null 2>&1", id);
	return system(cmd) == 0;
}

/*
 * The programs are detached when ipctrace's links close, at its exit; the
 * kernel frees the programs themselves after an RCU grace period, some
 * 100 ms later here. Wait up to 2 s for all of @ids to be gone.
 */
static inline int programs_left(const int *ids, int n)
{
	int left = n;

	for (int round = 0; round < 40 && left; round++) {
		struct timespec ts = { 0, 50000000L };

		left = 0;
		for (int i = 0; i < n; i++)
			left += prog_exists(ids[i]);
		if (left)
			nanosleep(&ts, NULL);
	}
	return left;
}

/* Processes of this test's run: they all carry its private TMPDIR. */
static inline int processes_with_env(const char *tmpdir)
{
	char want[300], path[sizeof("/proc//environ") + 256], buf[8192];
	struct dirent *e;
	DIR *d = opendir("/proc");
	int n = 0;

	snprintf(want, sizeof(want), "TMPDIR=%s", tmpdir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		FILE *f;
		size_t len;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/environ", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[len] = 0;
		for (size_t i = 0; i < len; i += strlen(buf + i) + 1) {
			if (!strcmp(buf + i, want)) {
				n++;
				break;
			}
		}
	}
	closedir(d);
	return n;
}

static inline int dir_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		printf("left behind: %s/%s\n", path, e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static inline void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

#endif
