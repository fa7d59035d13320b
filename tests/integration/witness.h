/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the witness tests (test_witnesses.c, test_programs.c) share: a
 * trace of a command with its report, the figures in it, and the byte
 * counts the programs print themselves. The including file defines REPORT
 * (its own JSON report path) and FIO_FILE (fio's file) first.
 */
#ifndef WITNESS_H
#define WITNESS_H

#include "harness.h"

/*
 * ipctrace trace --json -o REPORT -- CMD; the command's stdout in *out. Not
 * inlined: GCC 12 takes run_shell()'s open_memstream() buffer, inlined
 * here, for a pointer to its local (-Wdangling-pointer).
 */
static __attribute__((noinline)) struct json_object *trace(const char *cmd, char **out)
{
	char a[1024];
	struct json_object *o;
	char *text;
	int rc;

	unlink(REPORT);
	snprintf(a, sizeof(a), "trace --json -o " REPORT " -- %s 2>/dev/null", cmd);
	text = run_cmd(a, &rc);
	assert_int_equal(rc, 0);
	if (out)
		*out = text;
	else
		free(text);
	o = load_kept("report", REPORT);
	if (!o)
		fail_msg("no JSON report from ipctrace %s", a);
	unlink(REPORT);
	return o;
}

/* The value of "key N" in a workload's output. */
static inline long long said(const char *out, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ' ')
			return atoll(p + n + 1);
	fail_msg("the workload did not say %s: %s", key, out);
	return -1;
}

/* totals.@path, 0 when absent (by_fd_kind lists only kinds that moved anything). */
static inline long long total(struct json_object *rep, const char *path)
{
	char p[128];
	struct json_object *o = jget(rep, "totals");

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p, *dot; s; s = dot ? dot + 1 : NULL) {
		dot = strchr(s, '.');
		if (dot)
			*dot = 0;
		if (!json_object_object_get_ex(o, s, &o))
			return 0;
	}
	return json_object_get_int64(o);
}

/* The files[] row whose name starts with @prefix (NULL: none). */
static inline struct json_object *file_row(struct json_object *rep, const char *prefix)
{
	struct json_object *files = jget(rep, "files");

	for (size_t i = 0; files && i < json_object_array_length(files); i++) {
		struct json_object *f = json_object_array_get_idx(files, i);

		if (!strncmp(json_object_get_string(jget(f, "name")), prefix, strlen(prefix)))
			return f;
	}
	return NULL;
}

/*
 * ipctrace trace of fio writing or reading FIO_FILE (or --filename= in
 * @opts), 16 MiB in 64 KiB blocks, with @opts: the report; fio's own byte
 * count (io_bytes in its JSON, for @dir) in *io_bytes, which must be the
 * 16 MiB asked for.
 */
static inline struct json_object *trace_fio(const char *opts, const char *rw, const char *dir,
				     long long *io_bytes)
{
	struct json_object *rep, *fio;
	char cmd[512], *out;

	snprintf(cmd, sizeof(cmd), "fio --name=w %s --rw=%s --size=16M --bs=64k %s --output-format=json",
		 opts, rw, strstr(opts, "--filename=") ? "" : "--filename=" FIO_FILE);
	rep = trace(cmd, &out);
	fio = json_tokener_parse(strchr(out, '{'));
	assert_non_null(fio);
	*io_bytes = json_object_get_int64(
		jget(json_object_array_get_idx(jget(fio, "jobs"), 0), dir));
	assert_int_equal(*io_bytes, 16 << 20);
	json_object_put(fio);
	free(out);
	return rep;
}

/* fio is there, or the test is skipped with the reason printed. */
static inline void need_fio(void)
{
	int rc;
	char *v = run_shell("fio --version 2>/dev/null", &rc);

	free(v);
	if (rc) {
		printf("skipped: fio is not installed (tools/deps.sh installs it)\n");
		skip();
	}
}

/* fio's file moved exactly @io_bytes (@kind_key: read_bytes or write_bytes), no read misses. */
static inline void check_fio_file(struct json_object *rep, const char *kind_key, long long io_bytes)
{
	struct json_object *f = file_row(rep, FIO_FILE);

	assert_non_null(f);
	assert_int_equal(json_object_get_int64(jget(f, kind_key)), io_bytes);
	/* buffered writes insert pages: not read misses */
	assert_int_equal(json_object_get_int64(jget(f, "page_cache_misses")), 0);
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
}

#endif /* WITNESS_H */
