// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Figures arithmetic, the JSON shape (against docs/schema/figures.json, as
 * tools/check-json.py validates it) and the text report.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "compiler.h"
#include "ledger.h"
#include "report.h"
#include "report_text.h"
#include "textfmt.h"

/* an attach point as probe_kernel() leaves it: feeds and what do not matter here */
#define PT(k, tgt, req, grp, ok)                                                         \
	.feeds = "x", .kind = k, .target = tgt, .what = "", .required = req, .group = grp, \
	.available = ok

static struct probe_table all_on, some_off;
static struct attach_point pts_on[] = {
	{ PT(AK_TP_BTF, "sys_enter", true, FG_CORE, true) },
	{ PT(AK_TP_BTF, "sys_exit", true, FG_CORE, true) },
	{ PT(AK_TP_BTF, "sched_switch", false, FG_CORE, true) },
	{ PT(AK_TP_BTF, "page_fault_user", false, FG_CORE, true) },
	{ PT(AK_TP_BTF, "page_fault_kernel", false, FG_CORE, true) },
	{ PT(AK_TP_BTF, "mm_filemap_get_pages", false, FG_CORE, true) },
	{ PT(AK_TP_BTF, "mm_filemap_add_to_page_cache", false, FG_CORE, true) },
};
static struct attach_point pts_off[] = {
	{ PT(AK_TP_BTF, "sys_enter", true, FG_CORE, true) },
	{ PT(AK_TP_BTF, "sys_exit", true, FG_CORE, true) },
	{ PT(AK_TP_BTF, "sched_switch", false, FG_CORE, true) },
	{ PT(AK_TP_BTF, "mm_filemap_get_pages", false, FG_CORE, false),
	  .reason = "not in this kernel's BTF" },
};

static struct json_object *at(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, a, &v));
	if (b)
		assert_true(json_object_object_get_ex(v, b, &v));
	return v;
}

static void test_arithmetic(void **state UNUSED)
{
	struct figures a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.k.syscalls = 16;
	a.k.faults_user = 3;
	a.k.pc_lookup_pages = 10;
	a.k.pc_inserted_pages = 6;
	a.k.pc_inserted_write_pages = 1;
	a.k.pc_inserted_prefetch_pages = 1;
	a.k.pc_inserted_read_pages = 4;
	a.sys_by_nr[1] = 16;
	b.k.syscalls = 4;
	b.sys_by_nr[1] = 4;
	b.col[COL_U2K].bytes = 7;
	b.col[COL_U2K].methods = 1u << M_DERIVED;
	b.site_derived[OBS_FILE_WRITE][IC_KERNEL] = 9;
	assert_int_equal(figures_mode_switches(&a), 38);
	assert_int_equal(figures_pc_hits(&a), 6); /* 10 looked up - 4 read misses (of 6 inserted) */
	figures_add(&a, &b);
	assert_int_equal(a.k.syscalls, 20);
	assert_int_equal(a.sys_by_nr[1], 20);
	assert_int_equal(a.col[COL_U2K].bytes, 7);
	assert_int_equal(a.site_derived[OBS_FILE_WRITE][IC_KERNEL], 9);
	assert_int_equal(cell_method(&a.col[COL_U2K]), M_DERIVED);
	a.k.pc_inserted_read_pages = 100; /* more misses than lookups: no negative hits */
	assert_int_equal(figures_pc_hits(&a), 0);
	assert_true(per_unit(1, 3) > 0.333 && per_unit(1, 3) < 0.334);
	assert_true(per_unit(5, 0) == 0.0);
}

static void test_json_num(void **state UNUSED)
{
	struct json_object *v;

	v = json_num(1048576, 0);
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), 1048576);
	json_object_put(v);
	v = json_num(1048576, 16);
	assert_string_equal(json_object_to_json_string(v), "65536");
	json_object_put(v);
	v = json_num(1, 3);
	assert_string_equal(json_object_to_json_string(v), "0.333");
	json_object_put(v);
	v = json_num(5, 2);
	assert_string_equal(json_object_to_json_string(v), "2.5");
	json_object_put(v);
}

static void test_figures_json_shape(void **state UNUSED)
{
	struct figures f;
	struct json_object *o, *v;

	memset(&f, 0, sizeof(f));
	f.k.syscalls = 2;
	f.sys_by_nr[0] = 1; /* read */
	f.sys_by_nr[1] = 1; /* write */
	f.col[COL_PAGEREF].bytes = 4096;
	f.col[COL_PAGEREF].ops = 1;
	f.col[COL_PAGEREF].derived_bytes = 4096;
	f.col[COL_PAGEREF].methods = 1u << M_DERIVED;
	o = figures_json(&f, &all_on, 0, "loopback: no device DMA");
	assert_int_equal(json_object_get_int64(at(o, "syscalls", NULL)), 2);
	assert_int_equal(json_object_get_int64(at(o, "mode_switches", NULL)), 4);
	assert_int_equal(json_object_get_int64(at(at(o, "syscalls_by_name", NULL), "write", NULL)), 1);
	assert_int_equal(json_object_get_int64(at(o, "page_refs", "bytes")), 4096);
	assert_string_equal(json_object_get_string(at(o, "page_refs", "method")), "derived");
	assert_string_equal(json_object_get_string(at(at(o, "copies", NULL), "user_to_kernel", "method")),
			    "none");
	for (const char *const *k = (const char *const[]){ "user_to_kernel", "kernel_to_user",
							    "kernel_to_kernel", NULL }; *k; k++) {
		v = at(at(o, "copies", NULL), *k, NULL);
		assert_non_null(at(v, "bytes", NULL));
		assert_non_null(at(v, "ops", NULL));
	}
	assert_true(json_object_object_get_ex(at(o, "dma", NULL), "nic_bytes", &v));
	assert_null(v); /* null, with its reason beside it */
	assert_string_equal(json_object_get_string(at(o, "dma", "nic_reason")),
			    "loopback: no device DMA");
	assert_non_null(at(o, "context_switches", "voluntary"));
	assert_non_null(at(o, "page_faults", "write"));
	assert_non_null(at(o, "page_cache", "hits"));
	/* signal tracepoints are not in this probe table: present, null, explained */
	assert_null(at(o, "signals", "delivered"));
	assert_non_null(at(o, "unavailable", "signals.delivered"));
	json_object_put(o);
}

static void test_missing_tracepoint_is_null_with_reason(void **state UNUSED)
{
	struct figures f;
	struct json_object *o, *v;

	memset(&f, 0, sizeof(f));
	f.k.pc_lookup_pages = 99;
	o = figures_json(&f, &some_off, 0, NULL);
	assert_true(json_object_object_get_ex(at(o, "page_cache", NULL), "lookups", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(at(o, "page_cache", NULL), "hits", &v));
	assert_null(v);
	assert_non_null(strstr(json_object_get_string(at(o, "unavailable", "page_cache.lookups")),
			       "mm_filemap_get_pages"));
	/* a tracepoint missing from the table altogether is unavailable too */
	assert_true(json_object_object_get_ex(at(o, "page_faults", NULL), "user", &v));
	assert_null(v);
	/* mode switches count user faults: without them, no total (a top-level figure) */
	assert_true(json_object_object_get_ex(o, "mode_switches", &v));
	assert_null(v);
	assert_non_null(strstr(json_object_get_string(at(o, "unavailable", "mode_switches")),
			       "page_fault_user"));
	json_object_put(o);
}

/* A figure that needs two attach points is null when either is missing. */
static void test_every_point_needed(void **state UNUSED)
{
	static struct attach_point pts[] = {
		{ PT(AK_TP_BTF, "sys_enter", true, FG_CORE, true) },
		{ PT(AK_TP_BTF, "sys_exit", true, FG_CORE, true) },
		{ PT(AK_TP_BTF, "page_fault_user", false, FG_FAULTS, true) },
		{ PT(AK_TP_BTF, "mm_filemap_get_pages", false, FG_PAGE_CACHE, true) },
		{ PT(AK_TP_BTF, "page_cache_sync_ra", false, FG_PAGE_CACHE, true) },
	};
	struct probe_table t = { .points = pts, .n = 5, .btf_ok = true };
	struct figures f;
	struct json_object *o, *v;

	memset(&f, 0, sizeof(f));
	f.k.pc_lookup_pages = 10;
	f.k.ra_sync = 1;
	f.k.faults_user_write = 1;
	o = figures_json(&f, &t, 0, NULL);
	assert_int_equal(json_object_get_int64(at(o, "page_cache", "lookups")), 10);
	assert_int_equal(json_object_get_int64(at(o, "page_faults", "user_write")), 1);
	for (const char *const *k = (const char *const[]){ "page_cache.hits", "page_cache.readahead",
							    "page_faults.write", NULL }; *k; k++) {
		char g[32];

		snprintf(g, sizeof(g), "%.*s", (int)strcspn(*k, "."), *k);
		assert_true(json_object_object_get_ex(at(o, g, NULL), strchr(*k, '.') + 1, &v));
		assert_null(v);
		assert_non_null(at(o, "unavailable", *k));
	}
	assert_string_equal(json_object_get_string(at(o, "unavailable", "page_cache.hits")),
			    "tracepoint mm_filemap_add_to_page_cache: not probed by this version");
	assert_string_equal(json_object_get_string(at(o, "unavailable", "page_cache.readahead")),
			    "tracepoint page_cache_async_ra: not probed by this version");
	assert_string_equal(json_object_get_string(at(o, "unavailable", "page_faults.write")),
			    "tracepoint page_fault_kernel: not probed by this version");
	json_object_put(o);
}

/* trace --figures: names <-> groups, and what a restricted table says */
static void test_figure_groups(void **state UNUSED)
{
	static struct attach_point pts[] = {
		{ PT(AK_TP_BTF, "sys_enter", true, FG_CORE, true) },
		{ PT(AK_TP_BTF, "page_fault_user", false, FG_FAULTS, true) },
		{ PT(AK_TP_BTF, "mm_filemap_get_pages", false, FG_PAGE_CACHE, true) },
		{ PT(AK_FENTRY, "filemap_read|generic_file_buffered_read", false, FG_OBSERVED, true),
		  .found = "filemap_read" },
	};
	struct probe_table t = { .points = pts, .n = 4, .btf_ok = true };
	char buf[96], bad[32];
	unsigned m;

	assert_int_equal(figure_groups_parse("faults,switches", &m, bad, sizeof(bad)), 0);
	assert_int_equal(m, FG_FAULTS | FG_SWITCHES);
	figure_groups_name(m, buf, sizeof(buf));
	assert_string_equal(buf, "faults,switches");
	assert_int_equal(figure_groups_parse("all", &m, bad, sizeof(bad)), 0);
	assert_int_equal(m, FG_ALL);
	figure_groups_name(m, buf, sizeof(buf));
	assert_string_equal(buf, "all");
	assert_int_equal(figure_groups_parse("none", &m, bad, sizeof(bad)), 0);
	assert_int_equal(m, 0);
	figure_groups_name(m, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	assert_int_equal(figure_groups_parse("page-cache,observed", &m, bad, sizeof(bad)), 0);
	assert_int_equal(m, FG_PAGE_CACHE | FG_OBSERVED);
	/* unknown, empty and prefix words are refused, naming the word */
	assert_int_equal(figure_groups_parse("faults,fault", &m, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "fault");
	assert_int_equal(figure_groups_parse("faults,,dma", &m, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "");
	assert_int_equal(figure_groups_parse("page-cachex", &m, bad, sizeof(bad)), -1);
	assert_int_equal(figure_groups_parse("", &m, bad, sizeof(bad)), -1);

	probe_restrict(&t, FG_FAULTS);
	assert_true(pts[0].available); /* core: always on */
	assert_true(pts[1].available);
	assert_false(pts[2].available);
	assert_string_equal(pts[2].reason, "not asked for (--figures faults)");
	assert_false(pts[3].available);
}

/* observed_copies: fexit figures beside the ledger's, null with the reason where refused */
static void test_observed_copies(void **state UNUSED)
{
	static struct attach_point pts[] = {
		{ PT(AK_FENTRY, "filemap_read|generic_file_buffered_read", false, FG_CORE, true),
		  .found = "filemap_read" },
		{ PT(AK_FENTRY, "skb_copy_datagram_from_iter", false, FG_CORE, false),
		  .found = "skb_copy_datagram_from_iter",
		  .reason = "fentry load: Operation not permitted" },
		{ PT(AK_TP_BTF, "skb_copy_datagram_iovec", false, FG_CORE, true),
		  .found = "skb_copy_datagram_iovec" },
	};
	struct probe_table t = { .points = pts, .n = 3, .btf_ok = true };
	struct figures f;
	struct json_object *rep = json_object_new_object(), *o, *g, *v;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	memset(&f, 0, sizeof(f));
	f.k.obs_bytes[OBS_FILE_READ][IC_USER] = 100;
	f.k.obs_bytes[OBS_FILE_READ][IC_PAGEREF] = 65536;
	f.site_derived[OBS_FILE_READ][IC_USER] = 100;
	f.site_derived[OBS_SOCK_SEND][IC_USER] = 7;
	f.k.skb_copy_bytes = 7;
	o = figures_json(&f, &t, 0, NULL);
	g = at(o, "observed_copies", "file_read");
	assert_string_equal(json_object_get_string(at(g, "method", NULL)), "fexit on filemap_read");
	assert_int_equal(json_object_get_int64(at(g, "user_bytes", NULL)), 100);
	assert_int_equal(json_object_get_int64(at(g, "kernel_bytes", NULL)), 0);
	assert_int_equal(json_object_get_int64(at(g, "page_ref_bytes", NULL)), 65536);
	assert_int_equal(json_object_get_int64(at(g, "derived_user_bytes", NULL)), 100);
	g = at(o, "observed_copies", "socket_send");
	assert_string_equal(json_object_get_string(at(g, "method", NULL)), "unavailable");
	assert_true(json_object_object_get_ex(g, "user_bytes", &v));
	assert_null(v);
	assert_int_equal(json_object_get_int64(at(g, "derived_user_bytes", NULL)), 7);
	assert_string_equal(json_object_get_string(at(o, "unavailable", "socket_send.user_bytes")),
			    "fexit skb_copy_datagram_from_iter: fentry load: Operation not permitted");
	g = at(o, "observed_copies", "socket_recv");
	assert_string_equal(json_object_get_string(at(g, "method", NULL)),
			    "tracepoint skb_copy_datagram_iovec");
	assert_int_equal(json_object_get_int64(at(g, "user_bytes", NULL)), 7);
	assert_false(json_object_object_get_ex(g, "page_ref_bytes", NULL));

	json_object_object_add(rep, "totals", o);
	report_print_observed(o, out);
	fclose(out);
	assert_non_null(strstr(text, "  file reads      by fexit on filemap_read\n"
				     "            100           100             0             0        65,536\n"));
	assert_non_null(strstr(text, "  socket sends    n/a (derived: user 7, in kernel 0)\n"
				     "    why: fexit skb_copy_datagram_from_iter: fentry load: Operation not "
				     "permitted\n"));
	free(text);
	json_object_put(rep);
}

static void test_format_value(void **state UNUSED)
{
	char buf[48];
	struct json_object *v = json_object_new_int64(1234567);

	format_value(v, buf, sizeof(buf));
	assert_string_equal(buf, "1,234,567");
	json_object_put(v);
	v = json_object_new_int64(999);
	format_value(v, buf, sizeof(buf));
	assert_string_equal(buf, "999");
	json_object_put(v);
	format_value(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "n/a");
}

/* The text report of @rep at verbosity @v (-v: 1), in a new string. */
static char *text_at(struct json_object *rep, int v)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	text_set_verbosity(v);
	report_print_text(rep, out);
	text_set_verbosity(0);
	fclose(out);
	return text;
}

static void test_text_report(void **state UNUSED)
{
	struct figures f;
	struct json_object *rep = report_header(&all_on), *procs = json_object_new_array();
	struct json_object *sc = json_object_new_object(), *run = json_object_new_object();
	struct json_object *p = json_object_new_object(), *phases = json_object_new_object();
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	memset(&f, 0, sizeof(f));
	f.k.syscalls = 16;
	f.col[COL_U2K].bytes = 1048576;
	f.col[COL_U2K].methods = 1u << M_DERIVED;
	json_object_object_add(sc, "name", json_object_new_string("pipe"));
	json_object_object_add(sc, "params", json_object_new_object());
	json_object_object_add(sc, "unit", json_object_new_string("block"));
	json_object_object_add(sc, "units", json_object_new_int64(16));
	json_object_object_add(rep, "scenario", sc);
	json_object_object_add(run, "complete", json_object_new_boolean(0));
	json_object_object_add(run, "error", json_object_new_string("interrupted by signal 2"));
	json_object_object_add(run, "duration_s", json_object_new_double(0.5));
	json_object_object_add(run, "transfer_seconds", json_object_new_double(0.25));
	json_object_object_add(rep, "run", run);
	json_object_object_add(p, "pid", json_object_new_int(42));
	json_object_object_add(p, "role", json_object_new_string("writer"));
	json_object_object_add(p, "comm", json_object_new_string("ipctrace"));
	json_object_object_add(p, "figures", figures_json(&f, &all_on, 0, "none"));
	json_object_array_add(procs, p);
	json_object_object_add(rep, "processes", procs);
	json_object_object_add(rep, "totals", figures_json(&f, &all_on, 0, "none"));
	json_object_object_add(rep, "per_unit", figures_json(&f, &all_on, 16, "none"));
	json_object_object_add(phases, "transfer", figures_json(&f, &all_on, 0, "none"));
	json_object_object_add(rep, "phases", phases);
	report_print_text(rep, out);
	fclose(out);
	assert_non_null(strstr(text, "RUN CUT SHORT: interrupted by signal 2"));
	/* the summary, per unit of work */
	assert_non_null(strstr(text, "Summary, per unit of work (16 in the transfer phase)\nunit: one block\n"
				     "          65,536  bytes copied user -> kernel by the CPU [derived]\n"
				     "               0  bytes copied kernel -> user by the CPU\n"));
	assert_non_null(strstr(text, "\n               1  syscalls\n"));
	/* 1,048,576 bytes user -> kernel (the largest column) in 0.25 s: 4.19 MB/s */
	assert_non_null(strstr(text, "\n             0.5  seconds elapsed\n"
				     "            0.25  seconds in the transfer phase\n"
				     "            4.19  MB/s through the transfer phase (user -> kernel bytes)\n"));
	assert_non_null(strstr(text, "\nuser -> kernel, bytes [derived]           1,048,576  1,048,576"
				     "     65,536\n"));
	assert_non_null(strstr(text, "writer"));
	assert_non_null(strstr(text, "Copy ledger"));
	/* all-zero rows and the sections of nothing else are hidden, and said to be */
	assert_null(strstr(text, "Page cache"));
	assert_null(strstr(text, "Signals"));
	assert_null(strstr(text, "user -> user (process_vm)"));
	assert_non_null(strstr(text, "all-zero or n/a rows hidden; -v shows them and why\n"));
	for (char *l = text, *e; *l; l = e + (*e != 0)) {
		e = strchrnul(l, '\n');
		assert_in_range(e - l, 0, 80);
	}
	free(text);
	/* -v: every figure of a text section has its row */
	text = text_at(rep, 1);
	assert_non_null(strstr(text, "Page cache"));
	assert_non_null(strstr(text, "Signals"));
	assert_non_null(strstr(text, "Sockets (bytes)"));
	assert_non_null(strstr(text, "copied skb -> user"));
	assert_non_null(strstr(text, "write, user and kernel"));
	assert_null(strstr(text, "rows hidden"));
	free(text);
	json_object_put(rep);
}

/* A trace's process @pid (parent @parent, 0: none) with figures @f. */
static struct json_object *trace_proc(int pid, int parent, const char *comm, const struct figures *f)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "pid", json_object_new_int(pid));
	json_object_object_add(p, "parent_pid", parent ? json_object_new_int(parent) : NULL);
	json_object_object_add(p, "comm", json_object_new_string(comm));
	json_object_object_add(p, "figures", figures_json(f, &all_on, 0, "none"));
	return p;
}

/* trace's per-process table: no all-zero column, no row all zero in its columns (-v: all). */
static void test_trace_process_table(void **state UNUSED)
{
	struct figures a, b, sum;
	struct json_object *rep = report_header(&all_on), *procs = json_object_new_array();
	struct json_object *sc = json_object_new_object(), *run = json_object_new_object();
	char *text;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.k.syscalls = 16, a.k.faults_user = 2, a.k.csw_voluntary = 3, a.k.csw_involuntary = 1;
	a.col[COL_U2K].bytes = 1048576;
	a.col[COL_U2K].methods = 1u << M_DERIVED;
	b.k.syscalls = 3;
	sum = a;
	sum.k.syscalls += b.k.syscalls;
	json_object_object_add(sc, "name", json_object_new_string("trace"));
	json_object_object_add(sc, "params", json_object_new_object());
	json_object_object_add(rep, "scenario", sc);
	json_object_object_add(run, "complete", json_object_new_boolean(1));
	json_object_object_add(run, "duration_s", json_object_new_double(0.5));
	json_object_object_add(rep, "run", run);
	json_object_array_add(procs, trace_proc(42, 0, "sh", &a));
	json_object_array_add(procs, trace_proc(43, 42, "true", &b));
	json_object_object_add(rep, "processes", procs);
	json_object_object_add(rep, "totals", figures_json(&sum, &all_on, 0, "none"));
	text = text_at(rep, 0);
	assert_non_null(strstr(text, "\nProcesses\n\n"
				     "    pid  parent comm               syscalls     faults    vol.csw  invol.csw\n"
				     "     42       - sh                       16          2          3          1\n"
				     "     43      42 true                      3          0          0          0\n\n"
				     "    pid  parent comm             u->k bytes\n"
				     "     42       - sh                1,048,576\n\nAll processes\n"));
	free(text);
	text = text_at(rep, 1);
	assert_non_null(strstr(text, "\n    pid  parent comm             u->k bytes k->u bytes refs bytes  disk read\n"
				     "     42       - sh                1,048,576          0          0        n/a\n"
				     "     43      42 true                      0          0          0        n/a\n"));
	free(text);
	json_object_put(rep);
}

/*
 * tools/check-json.py --as figures on @o (written to a file): its exit code,
 * its output in *out. Skips, saying why, when python3-jsonschema is missing.
 */
static int check_figures(struct json_object *o, char **out)
{
	char path[] = "/tmp/ipctrace-test-figures-XXXXXX", cmd[256], buf[4096];
	int fd = mkstemp(path), st;
	size_t len = 0, n;
	FILE *p;

	assert_true(fd >= 0);
	assert_int_equal(json_object_to_fd(fd, o, JSON_C_TO_STRING_PLAIN), 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 tools/check-json.py --as figures %s 2>&1", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	*out = calloc(1, 1);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		*out = realloc(*out, len + n + 1);
		memcpy(*out + len, buf, n);
		(*out)[len += n] = 0;
	}
	st = pclose(p);
	unlink(path);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		printf("skipped: %s", *out);
		free(*out);
		skip();
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* figures_json() as the schema generated from the registry says, nulls and all. */
static void test_figures_json_valid(void **state UNUSED)
{
	struct figures f;
	struct json_object *o;
	char *out;

	memset(&f, 0, sizeof(f));
	f.k.syscalls = 32;
	f.k.pc_lookup_pages = 99;
	f.col[COL_K2U].bytes = 65536;
	f.col[COL_K2U].ops = 16;
	f.col[COL_K2U].methods = 1u << M_DERIVED;
	o = figures_json(&f, &all_on, 16, "loopback: no device DMA"); /* per unit */
	if (check_figures(o, &out))
		fail_msg("all points on, per unit: %s", out);
	free(out);
	json_object_put(o);
	o = figures_json(&f, &some_off, 0, NULL); /* page cache and faults null, with reasons */
	if (check_figures(o, &out))
		fail_msg("some points off: %s", out);
	free(out);
	/* a null without its reason */
	json_object_object_del(at(o, "unavailable", NULL), "page_cache.lookups");
	assert_int_equal(check_figures(o, &out), 1);
	assert_non_null(strstr(out, "at /unavailable: 'page_cache.lookups' is a required property"));
	free(out);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_json_num),
		cmocka_unit_test(test_figures_json_shape),
		cmocka_unit_test(test_figures_json_valid),
		cmocka_unit_test(test_missing_tracepoint_is_null_with_reason),
		cmocka_unit_test(test_trace_process_table),
		cmocka_unit_test(test_every_point_needed),
		cmocka_unit_test(test_figure_groups),
		cmocka_unit_test(test_observed_copies),
		cmocka_unit_test(test_format_value),
		cmocka_unit_test(test_text_report),
	};

	all_on.points = pts_on;
	all_on.n = sizeof(pts_on) / sizeof(pts_on[0]);
	all_on.btf_ok = true;
	some_off.points = pts_off;
	some_off.n = sizeof(pts_off) / sizeof(pts_off[0]);
	some_off.btf_ok = true;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
