// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The text report: a report's JSON (report.c, assemble.c) rendered for a terminal. */
#include <string.h>
#include "jsonpath.h"
#include "probe.h"
#include "registry.h"
#include "report_text.h"
#include "textsafe.h"

/*
 * The string at @path of @o, escaped for a terminal into @buf: comm, roles
 * made of it, file names and errors can hold any byte (textsafe.h).
 */
static const char *safe_at(struct json_object *o, const char *path, char *buf, size_t len)
{
	return text_safe(json_object_get_string(json_at(o, path)), buf, len);
}

void format_value(struct json_object *v, char *buf, size_t len)
{
	char digits[32];
	int n, j = 0;

	if (!v) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (json_object_is_type(v, json_type_double)) {
		snprintf(buf, len, "%s", json_object_to_json_string(v));
		return;
	}
	if (!json_object_is_type(v, json_type_int)) {
		snprintf(buf, len, "%s", json_object_get_string(v));
		return;
	}
	n = snprintf(digits, sizeof(digits), "%lld", (long long)json_object_get_int64(v));
	for (int i = 0; i < n && j + 2 < (int)len; i++) {
		if (i && (n - i) % 3 == 0 && digits[0] != '-')
			buf[j++] = ',';
		buf[j++] = digits[i];
	}
	buf[j] = 0;
}

#define MAX_COLS 12
#define LABEL_W 40
#define COL_W 14

/* One text row: @path of each column, its method in [] when @method is given. */
static void print_row(const char *label, const char *path, const char *method,
		      struct json_object **cols, int ncols, struct json_object *totals, FILE *out)
{
	struct json_object *m = method ? json_at(totals, method) : NULL;
	char v[48], text[96];

	snprintf(text, sizeof(text), "%s%s%s%s", label, m ? " [" : "", m ? json_object_get_string(m) : "",
		 m ? "]" : "");
	fprintf(out, "%-*s", LABEL_W, text);
	for (int c = 0; c < ncols; c++) {
		format_value(json_at(cols[c], path), v, sizeof(v));
		fprintf(out, " %*s", COL_W, v);
	}
	fputc('\n', out);
}

/* A figure's rows: a count is one, a ledger cell its bytes (with the method) and calls. */
static void print_figure(const struct figure_def *d, struct json_object **cols, int ncols,
			 struct json_object *totals, FILE *out)
{
	char label[96], path[96], method[96];

	if (d->shape != FS_CELL) {
		print_row(d->label, d->path, NULL, cols, ncols, totals, out);
		return;
	}
	snprintf(label, sizeof(label), "%s, bytes", d->label);
	snprintf(path, sizeof(path), "%s.bytes", d->path);
	snprintf(method, sizeof(method), "%s.method", d->path);
	print_row(label, path, method, cols, ncols, totals, out);
	snprintf(label, sizeof(label), "%s, calls", d->label);
	snprintf(path, sizeof(path), "%s.ops", d->path);
	print_row(label, path, NULL, cols, ncols, totals, out);
}

/* Section @s: each of its figures, followed by the "of which" rows under it. */
static void print_section(enum fig_section s, struct json_object **cols, const char **names,
			  int ncols, struct json_object *totals, FILE *out)
{
	char name[TEXT_SAFE_LEN];

	fprintf(out, "\n%s\n%-*s", section_titles[s], LABEL_W, "");
	for (int c = 0; c < ncols; c++)
		fprintf(out, " %*s", COL_W, text_safe(names[c], name, sizeof(name)));
	fputc('\n', out);
	for (int i = 0; i < NR_FIGURES; i++) {
		if (figure_defs[i].section != s || figure_defs[i].parent >= 0)
			continue;
		print_figure(&figure_defs[i], cols, ncols, totals, out);
		for (int j = i + 1; j < NR_FIGURES; j++)
			if (figure_defs[j].parent == i)
				print_figure(&figure_defs[j], cols, ncols, totals, out);
	}
}

static void print_syscall_names(struct json_object *f, const char *who, FILE *out)
{
	struct json_object *by = json_at(f, "syscalls_by_name");
	char v[48], safe[TEXT_SAFE_LEN];
	int first = 1;

	if (!by || !json_object_object_length(by))
		return;
	fprintf(out, "  %-12s", text_safe(who, safe, sizeof(safe)));
	json_object_object_foreach(by, name, val) {
		format_value(val, v, sizeof(v));
		fprintf(out, "%s%s %s", first ? "" : ", ", name, v);
		first = 0;
	}
	fputc('\n', out);
}

static void print_notes(struct json_object *report, FILE *out)
{
	struct json_object *why = json_at(report, "totals.unavailable"), *facts = json_at(report, "facts");
	char v[48];

	if (facts && json_object_object_length(facts)) {
		fprintf(out, "\nObserved in user space by the workload\n");
		json_object_object_foreach(facts, role, kv) {
			json_object_object_foreach(kv, key, val) {
				format_value(val, v, sizeof(v));
				fprintf(out, "  %-10s %-30s %s\n", role, key, v);
			}
		}
	}
	fprintf(out, "\nNotes\n");
	fprintf(out, "  NIC DMA: %s\n", json_object_get_string(json_at(report, "totals.dma.nic_reason")));
	if (why) {
		json_object_object_foreach(why, key, reason) {
			char site[64];

			/* observed copies have their reason in their own table */
			snprintf(site, sizeof(site), "observed_copies.%.*s", (int)strcspn(key, "."), key);
			if (!json_at(json_at(report, "totals"), site))
				fprintf(out, "  %s: n/a, %s\n", key, json_object_get_string(reason));
		}
	}
	fprintf(out, "  methods: observed = counted on the operation by a tracepoint; "
		     "derived = from syscall return values and fd kinds\n");
}

/* Data calls whose bytes are in no figure: a line, only when there are any. */
static void print_not_accounted(struct json_object *totals, FILE *out)
{
	struct json_object *calls = json_at(totals, "not_accounted.calls");
	char v[48];
	int first = 1;

	if (!calls || !json_object_get_int64(calls))
		return;
	format_value(calls, v, sizeof(v));
	fprintf(out, "\nNOT ACCOUNTED: %s data calls whose bytes are in no figure above (", v);
	json_object_object_foreach(json_at(totals, "not_accounted.by_syscall"), name, n) {
		format_value(n, v, sizeof(v));
		fprintf(out, "%s%s %s", first ? "" : ", ", name, v);
		first = 0;
	}
	fprintf(out, ")\n");
}

void report_print_observed(struct json_object *totals, FILE *out)
{
	struct json_object *obs = json_at(totals, "observed_copies");
	char a[32], b[32], c[32], d[32], e[32];

	if (!obs)
		return;
	fprintf(out, "\nCopies observed on their callers, beside the ledger's derivation (bytes)\n");
	fprintf(out, "  %-15s %-36s %13s %13s %13s %13s %13s\n", "", "method", "user", "derived",
		"in kernel", "derived", "page refs");
	for (int s = 0; s < NR_OBS_SITES; s++) {
		const struct obs_site *site = &obs_sites[s];
		struct json_object *g = json_at(obs, site->key), *why;
		char path[96];

		format_value(json_at(g, "user_bytes"), a, sizeof(a));
		format_value(json_at(g, "derived_user_bytes"), b, sizeof(b));
		format_value(json_at(g, "kernel_bytes"), c, sizeof(c));
		format_value(json_at(g, "derived_kernel_bytes"), d, sizeof(d));
		format_value(json_at(g, "page_ref_bytes"), e, sizeof(e));
		if (!json_at(g, "user_bytes")) {
			snprintf(path, sizeof(path), "%s.user_bytes", site->key);
			if (!json_object_object_get_ex(json_at(totals, "unavailable"), path, &why))
				why = NULL;
			fprintf(out, "  %-15s n/a: %s (derived: user %s, in kernel %s)\n", site->label,
				why ? json_object_get_string(why) : "not observed", b, d);
			continue;
		}
		fprintf(out, "  %-15s %-36s %13s %13s %13s %13s %13s\n", site->label,
			json_object_get_string(json_at(g, "method")), a, b, json_at(g, "kernel_bytes") ? c : "-",
			json_at(g, "derived_kernel_bytes") ? d : "-", json_at(g, "page_ref_bytes") ? e : "-");
	}
}

/* One row per process: for traces of many processes. */
static void print_process_rows(struct json_object *procs, FILE *out)
{
	static const struct { const char *head, *path; } cols[] = {
		{ "syscalls", "syscalls" },
		{ "faults", "page_faults.user" },
		{ "vol.csw", "context_switches.voluntary" },
		{ "invol.csw", "context_switches.involuntary" },
		{ "u->k bytes", "copies.user_to_kernel.bytes" },
		{ "k->u bytes", "copies.kernel_to_user.bytes" },
		{ "refs bytes", "page_refs.bytes" },
		{ "disk read", "dma.disk_read_bytes" },
	};
	char v[48], comm[TEXT_SAFE_LEN];

	fprintf(out, "\n%7s %7s %-16s", "pid", "parent", "comm");
	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		fprintf(out, " %13s", cols[c].head);
	fputc('\n', out);
	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i), *f = json_at(p, "figures");
		struct json_object *ks = json_at(p, "killed_by_signal");

		fprintf(out, "%7s %7s %-16s", json_object_get_string(json_at(p, "pid")),
			json_at(p, "parent_pid") ? json_object_get_string(json_at(p, "parent_pid")) : "-",
			safe_at(p, "comm", comm, sizeof(comm)));
		for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			format_value(json_at(f, cols[c].path), v, sizeof(v));
			fprintf(out, " %13s", v);
		}
		if (ks)
			fprintf(out, "  killed by signal %s", json_object_get_string(ks));
		fputc('\n', out);
	}
}

static void print_by_kind(struct json_object *totals, FILE *out)
{
	struct json_object *kinds = json_at(totals, "by_fd_kind");
	char a[48], b[48], c[48], d[48];

	if (!kinds || !json_object_object_length(kinds))
		return;
	fprintf(out, "\nBy kind of fd\n  %-10s %16s %10s %16s %10s\n", "kind", "bytes read", "reads",
		"bytes written", "writes");
	json_object_object_foreach(kinds, kind, v) {
		format_value(json_at(v, "read_bytes"), a, sizeof(a));
		format_value(json_at(v, "reads"), b, sizeof(b));
		format_value(json_at(v, "write_bytes"), c, sizeof(c));
		format_value(json_at(v, "writes"), d, sizeof(d));
		fprintf(out, "  %-10s %16s %10s %16s %10s\n", kind, a, b, c, d);
	}
	format_value(json_at(totals, "page_faults.user_file_backed"), a, sizeof(a));
	format_value(json_at(totals, "page_faults.user_anonymous"), b, sizeof(b));
	fprintf(out, "  page faults on file mappings %s, on anonymous memory %s\n", a, b);
}

static void print_files(struct json_object *files, FILE *out)
{
	size_t n = files ? json_object_array_length(files) : 0;
	char a[48], b[48], c[48], d[48], e[48], name[TEXT_SAFE_LEN];

	if (!n)
		return;
	fprintf(out, "\nFiles (most page-cache misses, bytes and faults first)\n");
	fprintf(out, "  %14s %14s %8s %9s %9s  %s\n", "bytes read", "bytes written", "faults",
		"pc misses", "hit ratio", "file");
	for (size_t i = 0; i < n && i < 10; i++) {
		struct json_object *f = json_object_array_get_idx(files, i);

		format_value(json_at(f, "read_bytes"), a, sizeof(a));
		format_value(json_at(f, "write_bytes"), b, sizeof(b));
		format_value(json_at(f, "faults"), c, sizeof(c));
		format_value(json_at(f, "page_cache_misses"), d, sizeof(d));
		if (json_at(f, "page_cache_hit_ratio"))
			snprintf(e, sizeof(e), "%.0f%%",
				 100 * json_object_get_double(json_at(f, "page_cache_hit_ratio")));
		else
			snprintf(e, sizeof(e), "-");
		fprintf(out, "  %14s %14s %8s %9s %9s  %s\n", a, b, c, d, e,
			safe_at(f, "name", name, sizeof(name)));
	}
}

#define OUTLIVED_NAMED 8

/* trace: the processes that outlived the command (facts.command.outlived), and how far they were followed. */
static void print_outlived(struct json_object *report, FILE *out)
{
	struct json_object *arr = json_at(report, "facts.command.outlived");
	size_t n = arr ? json_object_array_length(arr) : 0;
	char comm[TEXT_SAFE_LEN], how[TEXT_SAFE_LEN];

	if (!n)
		return;
	fprintf(out, "OUTLIVED THE COMMAND: %zu process%s:", n, n > 1 ? "es" : "");
	for (size_t i = 0; i < n && i < OUTLIVED_NAMED; i++) {
		struct json_object *p = json_object_array_get_idx(arr, i);

		fprintf(out, " %s.%s (%s)%s", safe_at(p, "comm", comm, sizeof(comm)),
			json_object_get_string(json_at(p, "pid")),
			json_object_get_boolean(json_at(p, "exited")) ? "exited" : "still running",
			i + 1 < n ? "," : "");
	}
	if (n > OUTLIVED_NAMED)
		fprintf(out, " and %zu more", n - OUTLIVED_NAMED);
	fprintf(out, "; %s\n", safe_at(report, "facts.command.followed", how, sizeof(how)));
}

void report_print_text(struct json_object *report, FILE *out)
{
	struct json_object *procs = json_at(report, "processes"), *cols[MAX_COLS];
	struct json_object *totals = json_at(report, "totals"), *err = json_at(report, "run.error");
	const char *names[MAX_COLS];
	int n = procs ? (int)json_object_array_length(procs) : 0, ncols = 0;
	bool trace = !strcmp(json_object_get_string(json_at(report, "scenario.name")), "trace");
	bool wide = !trace && n <= MAX_COLS - 2; /* a column per process */
	char head[128], safe[TEXT_SAFE_LEN], comm[TEXT_SAFE_LEN];

	fprintf(out, "ipctrace %s: %s on Linux %s\n",
		json_object_get_string(json_at(report, "tool.version")),
		json_object_get_string(json_at(report, "scenario.name")),
		json_object_get_string(json_at(report, "kernel.release")));
	/* a traced command's arguments: json-c escapes C0 controls, not DEL or C1 */
	fputs("params: ", out);
	text_put(out, json_object_to_json_string_ext(json_at(report, "scenario.params"),
						     JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
	fputc('\n', out);
	if (!trace) {
		format_value(json_at(report, "scenario.units"), head, sizeof(head));
		fprintf(out, "transfer phase: %s units of work (unit: %s)\n", head,
			json_object_get_string(json_at(report, "scenario.unit")));
	}
	if (!json_object_get_boolean(json_at(report, "run.complete")))
		fprintf(out, "RUN CUT SHORT: %s; figures below are what was counted until then\n",
			err ? text_safe(json_object_get_string(err), safe, sizeof(safe)) : "unknown reason");
	if (json_at(report, "run.untraced_children") &&
	    json_object_get_int64(json_at(report, "run.untraced_children")) > 0)
		fprintf(out, "NOT ALL TRACED: %lld processes started after the first %d were not "
			     "traced (the process table was full); their figures are missing\n",
			(long long)json_object_get_int64(json_at(report, "run.untraced_children")),
			IPCT_MAX_SLOTS);
	if (json_at(report, "run.rows_lost") && json_object_get_int64(json_at(report, "run.rows_lost")) > 0)
		fprintf(out, "COUNTS LOST: %lld events found a BPF table full; the figures below miss "
			     "them\n", (long long)json_object_get_int64(json_at(report, "run.rows_lost")));
	if (trace)
		print_outlived(report, out);
	fprintf(out, "\nProcesses");
	if (wide) {
		fputc('\n', out);
		for (int i = 0; i < n; i++) {
			struct json_object *p = json_object_array_get_idx(procs, i);

			fprintf(out, "  %-10s pid %-8s comm %s\n", safe_at(p, "role", safe, sizeof(safe)),
				json_object_get_string(json_at(p, "pid")), safe_at(p, "comm", comm, sizeof(comm)));
			cols[ncols] = json_at(p, "figures");
			names[ncols++] = json_object_get_string(json_at(p, "role"));
		}
	} else {
		print_process_rows(procs, out);
	}
	cols[ncols] = totals;
	names[ncols++] = "total";
	if (!trace) {
		cols[ncols] = json_at(report, "per_unit");
		names[ncols++] = "per unit";
	}
	fprintf(out, trace ? "\nAll processes\n" : "\nTransfer phase\n");
	for (int s = SEC_NONE + 1; s < NR_SECTIONS; s++)
		print_section(s, cols, names, ncols, totals, out);
	print_not_accounted(totals, out);
	report_print_observed(totals, out);
	if (trace) {
		print_by_kind(totals, out);
		print_files(json_at(report, "files"), out);
	}
	fprintf(out, "\nSyscalls by name%s\n", trace ? "" : " (transfer phase)");
	for (int i = 0; i < n && (wide || i < 20); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);

		print_syscall_names(json_at(p, "figures"), json_object_get_string(json_at(p, "role")), out);
	}
	if (!trace) {
		fprintf(out, "\nOther phases (all processes)\n");
		for (int ph = 0; ph < 3; ph++) {
			static const char *const pn[] = { "setup", "transfer", "teardown" };
			char path[64], a[32], b[32], c[32];

			snprintf(path, sizeof(path), "phases.%s", pn[ph]);
			format_value(json_at(json_at(report, path), "syscalls"), a, sizeof(a));
			format_value(json_at(json_at(report, path), "page_faults.user"), b, sizeof(b));
			format_value(json_at(json_at(report, path), "context_switches.voluntary"), c, sizeof(c));
			fprintf(out, "  %-9s syscalls %-10s user faults %-10s voluntary switches %s\n",
				pn[ph], a, b, c);
		}
	}
	print_notes(report, out);
}
