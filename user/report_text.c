// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The text report: a report's JSON (report.c, assemble.c) rendered for a terminal. */
#include <string.h>
#include "jsonpath.h"
#include "probe.h"
#include "registry.h"
#include "report_text.h"
#include "textfmt.h"
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
	if (!v)
		snprintf(buf, len, "n/a");
	else if (json_object_is_type(v, json_type_double))
		fmt_real(json_object_get_double(v), buf, len);
	else if (json_object_is_type(v, json_type_int))
		fmt_count((long long)json_object_get_int64(v), buf, len);
	else
		snprintf(buf, len, "%s", json_object_get_string(v));
}

/* A value worth a row: counted and not zero (a string, e.g. a method, is). */
static bool nonzero(struct json_object *v)
{
	if (!v)
		return false;
	if (json_object_is_type(v, json_type_double))
		return json_object_get_double(v) != 0;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v) != 0;
	return true;
}

#define MAX_COLS 12
#define LABEL_MAX 40
#define LABEL_MIN 24
#define COL_MIN 8

/*
 * The figure tables of one report: a column per process (or none), the
 * total and the per-unit column. measure: a first pass that only finds
 * the widest value, so that every table takes the same columns.
 */
struct tables {
	FILE *out;
	struct json_object *cols[MAX_COLS], *totals;
	const char *names[MAX_COLS];
	int ncols, width, label_w, col_w, hidden;
	bool measure, verbose;
	const char *title; /* the section's, printed with its first row */
};

static void title_line(struct tables *t)
{
	char name[TEXT_SAFE_LEN];

	if (!t->title)
		return;
	text_heading(t->out, "%s", t->title);
	fprintf(t->out, "%-*s", t->label_w, "");
	for (int c = 0; c < t->ncols; c++)
		fprintf(t->out, "  %*s", t->col_w, text_safe(t->names[c], name, sizeof(name)));
	fputc('\n', t->out);
	t->title = NULL;
}

/* One text row: @path of each column, its method in [] when @method is given. */
static void print_row(struct tables *t, const char *label, const char *path, const char *method)
{
	struct json_object *m = method ? json_at(t->totals, method) : NULL;
	char v[48], text[96];
	bool shown = t->verbose;

	for (int c = 0; c < t->ncols; c++) {
		format_value(json_at(t->cols[c], path), v, sizeof(v));
		if ((int)strlen(v) > t->col_w && t->measure)
			t->col_w = (int)strlen(v);
		shown |= nonzero(json_at(t->cols[c], path));
	}
	if (t->measure)
		return;
	if (!shown) {
		t->hidden++;
		return;
	}
	title_line(t);
	snprintf(text, sizeof(text), "%s%s%s%s", label, m ? " [" : "", m ? json_object_get_string(m) : "",
		 m ? "]" : "");
	/* a label too long for its column has a line of its own */
	if ((int)strlen(text) > t->label_w)
		fprintf(t->out, "%s\n%-*s", text, t->label_w, "");
	else
		fprintf(t->out, "%-*s", t->label_w, text);
	for (int c = 0; c < t->ncols; c++) {
		format_value(json_at(t->cols[c], path), v, sizeof(v));
		fprintf(t->out, "  %*s", t->col_w, v);
	}
	fputc('\n', t->out);
}

/* A figure's rows: a count is one, a ledger cell its bytes (with the method) and calls. */
static void print_figure(struct tables *t, const struct figure_def *d)
{
	char label[96], path[96], method[96];

	if (d->shape != FS_CELL) {
		print_row(t, d->label, d->path, NULL);
		return;
	}
	snprintf(label, sizeof(label), "%s, bytes", d->label);
	snprintf(path, sizeof(path), "%s.bytes", d->path);
	snprintf(method, sizeof(method), "%s.method", d->path);
	print_row(t, label, path, method);
	snprintf(label, sizeof(label), "%s, calls", d->label);
	snprintf(path, sizeof(path), "%s.ops", d->path);
	print_row(t, label, path, NULL);
}

/* Section @s: each of its figures, followed by the "of which" rows under it. */
static void print_section(struct tables *t, enum fig_section s)
{
	t->title = section_titles[s];
	for (int i = 0; i < NR_FIGURES; i++) {
		if (figure_defs[i].section != s || figure_defs[i].parent >= 0)
			continue;
		print_figure(t, &figure_defs[i]);
		for (int j = i + 1; j < NR_FIGURES; j++)
			if (figure_defs[j].parent == i)
				print_figure(t, &figure_defs[j]);
	}
}

/* Every section; false when the columns do not fit the width with labels of LABEL_MIN. */
static bool print_sections(struct tables *t)
{
	char name[TEXT_SAFE_LEN];

	t->col_w = COL_MIN;
	for (int c = 0; c < t->ncols; c++)
		if ((int)strlen(text_safe(t->names[c], name, sizeof(name))) > t->col_w)
			t->col_w = (int)strlen(name);
	t->measure = true;
	for (int s = SEC_NONE + 1; s < NR_SECTIONS; s++)
		print_section(t, s);
	t->measure = false;
	t->label_w = t->width - t->ncols * (t->col_w + 2);
	if (t->label_w < LABEL_MIN)
		return false;
	if (t->label_w > LABEL_MAX)
		t->label_w = LABEL_MAX;
	for (int s = SEC_NONE + 1; s < NR_SECTIONS; s++)
		print_section(t, s);
	return true;
}

/* "name N" items of object @by after @prefix, wrapped at @width. */
static void print_named_counts(struct json_object *by, const char *prefix, int width, FILE *out)
{
	char v[48], item[128];
	int col = (int)strlen(prefix), n = json_object_object_length(by), i = 0;

	fputs(prefix, out);
	json_object_object_foreach(by, name, val) {
		format_value(val, v, sizeof(v));
		snprintf(item, sizeof(item), "%s %s%s", name, v, ++i < n ? "," : "");
		text_wrap(out, &col, width, (int)strlen(prefix), item);
	}
	fputc('\n', out);
}

/* Syscalls by name, a process a line (wrapped); no heading when none has any. */
static void print_syscall_names(struct json_object *procs, int nshown, bool trace, int width, FILE *out)
{
	char safe[TEXT_SAFE_LEN], prefix[TEXT_SAFE_LEN + 8];
	bool head = false;

	for (int i = 0; i < nshown; i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);
		struct json_object *by = json_at(json_at(p, "figures"), "syscalls_by_name");

		if (!by || !json_object_object_length(by))
			continue;
		if (!head)
			text_heading(out, "Syscalls by name%s", trace ? "" : " (transfer phase)");
		head = true;
		snprintf(prefix, sizeof(prefix), "  %-12s ",
			 text_safe(json_object_get_string(json_at(p, trace ? "comm" : "role")), safe,
				   sizeof(safe)));
		print_named_counts(by, prefix, width, out);
	}
}

static void print_facts(struct json_object *report, FILE *out)
{
	struct json_object *facts = json_at(report, "facts");
	char v[48], safe[TEXT_SAFE_LEN];

	if (!facts || !json_object_object_length(facts))
		return;
	text_heading(out, "Observed in user space by the workload");
	json_object_object_foreach(facts, role, kv) {
		json_object_object_foreach(kv, key, val) {
			format_value(val, v, sizeof(v));
			fprintf(out, "  %-10.20s %-30.40s %s\n", text_safe(role, safe, sizeof(safe)), key, v);
		}
	}
}

/* Why each figure not counted is n/a: all of them with -v; else how many are hidden. */
static int print_reasons(struct json_object *report, bool verbose, int width, FILE *out)
{
	struct json_object *why = json_at(report, "totals.unavailable");
	char site[64], line[TEXT_SAFE_LEN];
	int n = 0;

	if (verbose && json_at(report, "totals.dma.nic_reason"))
		text_wrap_words(out, "  NIC DMA: ", json_object_get_string(json_at(report, "totals.dma.nic_reason")),
				width);
	if (!why)
		return 0;
	json_object_object_foreach(why, key, reason) {
		/* observed copies have their reason in their own table */
		snprintf(site, sizeof(site), "observed_copies.%.*s", (int)strcspn(key, "."), key);
		if (json_at(json_at(report, "totals"), site))
			continue;
		n += !verbose;
		snprintf(line, sizeof(line), "n/a, %s", json_object_get_string(reason));
		snprintf(site, sizeof(site), "  %.50s: ", key);
		if (verbose)
			text_wrap_words(out, site, line, width);
	}
	return n;
}

static void print_notes(struct json_object *report, int hidden, bool verbose, int width, FILE *out)
{
	text_heading(out, "Notes");
	hidden += print_reasons(report, verbose, width, out);
	if (hidden)
		fprintf(out, "  %d all-zero or n/a rows hidden; -v shows them and why\n", hidden);
	fprintf(out, "  methods: observed = counted on the operation by a tracepoint;\n"
		     "           derived = from syscall return values and fd kinds\n");
}

/* Data calls whose bytes are in no figure: a line, only when there are any. */
static void print_not_accounted(struct json_object *totals, int width, FILE *out)
{
	struct json_object *calls = json_at(totals, "not_accounted.calls");
	char v[48], prefix[96];

	if (!calls || !json_object_get_int64(calls))
		return;
	format_value(calls, v, sizeof(v));
	text_heading(out, "NOT ACCOUNTED: %s data calls whose bytes are in no figure above:", v);
	snprintf(prefix, sizeof(prefix), "  ");
	print_named_counts(json_at(totals, "not_accounted.by_syscall"), prefix, width, out);
}

/* An observed-copies site this kernel cannot observe: its reason, under -v. */
static void print_site_na(struct json_object *totals, const struct obs_site *site, int width, FILE *out)
{
	struct json_object *g = json_at(json_at(totals, "observed_copies"), site->key), *why;
	char path[96], b[48], d[48], line[TEXT_SAFE_LEN];

	format_value(json_at(g, "derived_user_bytes"), b, sizeof(b));
	format_value(json_at(g, "derived_kernel_bytes"), d, sizeof(d));
	snprintf(path, sizeof(path), "%s.user_bytes", site->key);
	if (!json_object_object_get_ex(json_at(totals, "unavailable"), path, &why))
		why = NULL;
	fprintf(out, "  %-15s n/a (derived: user %s, in kernel %s)\n", site->label, b, d);
	snprintf(line, sizeof(line), "%s", why ? json_object_get_string(why) : "not observed");
	text_wrap_words(out, "    why: ", line, width);
}

/* An observed site: its name and method, then its five counts. */
static void print_site(struct json_object *g, const char *label, FILE *out)
{
	static const char *const keys[] = { "user_bytes", "derived_user_bytes", "kernel_bytes",
					    "derived_kernel_bytes", "page_ref_bytes" };
	char v[48];

	fprintf(out, "  %-15s by %s\n ", label, json_object_get_string(json_at(g, "method")));
	for (int k = 0; k < 5; k++) {
		format_value(json_at(g, keys[k]), v, sizeof(v));
		fprintf(out, " %13s", json_at(g, keys[k]) ? v : "-");
	}
	fputc('\n', out);
}

static bool site_shown(struct json_object *g, bool verbose)
{
	return verbose || nonzero(json_at(g, "user_bytes")) || nonzero(json_at(g, "kernel_bytes")) ||
	       nonzero(json_at(g, "page_ref_bytes"));
}

/* Rows of observed copies; returns those hidden (zero, or not observable, without -v). */
static int print_observed(struct json_object *totals, bool verbose, int width, FILE *out)
{
	struct json_object *obs = json_at(totals, "observed_copies");
	int hidden = 0;
	bool head = false;

	for (int s = 0; obs && s < NR_OBS_SITES; s++) {
		struct json_object *g = json_at(obs, obs_sites[s].key);

		if (!site_shown(g, verbose)) {
			hidden++;
			continue;
		}
		if (!head) {
			text_heading(out, "Copies observed on their callers, beside the ledger's derivation (bytes)");
			fprintf(out, "  %13s %13s %13s %13s %13s\n", "user", "derived", "in kernel", "derived",
				"page refs");
		}
		head = true;
		if (json_at(g, "user_bytes"))
			print_site(g, obs_sites[s].label, out);
		else
			print_site_na(totals, &obs_sites[s], width, out);
	}
	return hidden;
}

void report_print_observed(struct json_object *totals, FILE *out)
{
	print_observed(totals, true, text_width(out), out);
}

/* The columns of the per-process table: all of them, in chunks that fit the width. */
static const struct proc_col { const char *head, *path; } proc_cols[] = {
	{ "syscalls", "syscalls" },
	{ "faults", "page_faults.user" },
	{ "vol.csw", "context_switches.voluntary" },
	{ "invol.csw", "context_switches.involuntary" },
	{ "u->k bytes", "copies.user_to_kernel.bytes" },
	{ "k->u bytes", "copies.kernel_to_user.bytes" },
	{ "refs bytes", "page_refs.bytes" },
	{ "disk read", "dma.disk_read_bytes" },
};
#define NR_PROC_COLS ((int)(sizeof(proc_cols) / sizeof(proc_cols[0])))

/* The widest value (or heading) of the per-process table. */
static int proc_col_width(struct json_object *procs)
{
	char v[48];
	int w = 10;

	for (size_t i = 0; i < json_object_array_length(procs); i++)
		for (int c = 0; c < NR_PROC_COLS; c++) {
			format_value(json_at(json_at(json_object_array_get_idx(procs, i), "figures"),
					     proc_cols[c].path), v, sizeof(v));
			if ((int)strlen(v) > w)
				w = (int)strlen(v);
		}
	return w;
}

/* Process @p's figure @col is counted and not zero. */
static bool proc_nonzero(struct json_object *p, int col)
{
	return nonzero(json_at(json_at(p, "figures"), proc_cols[col].path));
}

/* The columns shown: with -v all, else those some process has a value in; their count. */
static int proc_cols_shown(struct json_object *procs, bool verbose, int *shown)
{
	int n = 0;

	for (int c = 0; c < NR_PROC_COLS; c++) {
		bool any = verbose;

		for (size_t i = 0; !any && i < json_object_array_length(procs); i++)
			any = proc_nonzero(json_object_array_get_idx(procs, i), c);
		if (any)
			shown[n++] = c;
	}
	return n;
}

/*
 * Columns @cols[0..@ncols) of every process, a row each but (without -v)
 * those all zero in them, counted in t->hidden.
 */
static void print_process_chunk(struct json_object *procs, const int *cols, int ncols, int w, int cw,
				struct tables *t)
{
	char v[48], comm[TEXT_SAFE_LEN];

	fprintf(t->out, "\n%7s %7s %-*s", "pid", "parent", cw, "comm");
	for (int c = 0; c < ncols; c++)
		fprintf(t->out, " %*s", w, proc_cols[cols[c]].head);
	fputc('\n', t->out);
	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i), *f = json_at(p, "figures");
		bool any = t->verbose;

		for (int c = 0; !any && c < ncols; c++)
			any = proc_nonzero(p, cols[c]);
		if (!any) {
			t->hidden++;
			continue;
		}
		fprintf(t->out, "%7s %7s %-*s", json_object_get_string(json_at(p, "pid")),
			json_at(p, "parent_pid") ? json_object_get_string(json_at(p, "parent_pid")) : "-", cw,
			safe_at(p, "comm", comm, sizeof(comm)));
		for (int c = 0; c < ncols; c++) {
			format_value(json_at(f, proc_cols[cols[c]].path), v, sizeof(v));
			fprintf(t->out, " %*s", w, v);
		}
		fputc('\n', t->out);
	}
}

/* The widest comm, escaped (a comm is 15 bytes; escaped, up to 4 times that). */
static int comm_width(struct json_object *procs)
{
	char comm[TEXT_SAFE_LEN];
	int w = 16;

	for (size_t i = 0; i < json_object_array_length(procs); i++)
		if ((int)strlen(safe_at(json_object_array_get_idx(procs, i), "comm", comm, sizeof(comm))) > w)
			w = (int)strlen(comm);
	return w;
}

/*
 * One row per process, for traces of many processes: as many columns a
 * table as fit; without -v, no column and no row that is all zero (the
 * figure's row under "All processes" is hidden, and counted, with it).
 */
static void print_process_rows(struct json_object *procs, struct tables *t)
{
	int w = proc_col_width(procs), cw = comm_width(procs), per = (t->width - 16 - cw) / (w + 1);
	int cols[NR_PROC_COLS], n = proc_cols_shown(procs, t->verbose, cols);

	if (per < 1)
		per = 1;
	for (int c = 0; c < n; c += per)
		print_process_chunk(procs, cols + c, c + per < n ? per : n - c, w, cw, t);
	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);

		if (json_at(p, "killed_by_signal"))
			fprintf(t->out, "pid %s killed by signal %s\n", json_object_get_string(json_at(p, "pid")),
				json_object_get_string(json_at(p, "killed_by_signal")));
	}
}

static void print_by_kind(struct json_object *totals, FILE *out)
{
	struct json_object *kinds = json_at(totals, "by_fd_kind");
	char a[48], b[48], c[48], d[48];

	if (!kinds || !json_object_object_length(kinds))
		return;
	text_heading(out, "By kind of fd");
	fprintf(out, "  %-10s %16s %10s %16s %10s\n", "kind", "bytes read", "reads",
		"bytes written", "writes");
	json_object_object_foreach(kinds, kind, v) {
		format_value(json_at(v, "read_bytes"), a, sizeof(a));
		format_value(json_at(v, "reads"), b, sizeof(b));
		format_value(json_at(v, "write_bytes"), c, sizeof(c));
		format_value(json_at(v, "writes"), d, sizeof(d));
		fprintf(out, "  %-10.10s %16s %10s %16s %10s\n", kind, a, b, c, d);
	}
	format_value(json_at(totals, "page_faults.user_file_backed"), a, sizeof(a));
	format_value(json_at(totals, "page_faults.user_anonymous"), b, sizeof(b));
	fprintf(out, "  page faults on file mappings %s, on anonymous memory %s\n", a, b);
}

/*
 * A file's name after its row's figures, or on a line of its own when it
 * does not fit; longer than that line, its end (the file's own name) after
 * "...". JSON has it whole.
 */
static void put_name(const char *name, int room, int width, FILE *out)
{
	int len = (int)strlen(name), line = width - 4;

	if (len <= room)
		fprintf(out, "%s\n", name);
	else if (len <= line)
		fprintf(out, "\n    %s\n", name);
	else
		fprintf(out, "\n    ...%s\n", name + len - (line - 3));
}

static void print_files(struct json_object *files, int width, FILE *out)
{
	size_t n = files ? json_object_array_length(files) : 0;
	char a[48], b[48], c[48], d[48], e[48], name[TEXT_SAFE_LEN];

	if (!n)
		return;
	text_heading(out, "Files (most page-cache misses, bytes and faults first)");
	fprintf(out, "  %14s %14s %8s %9s %9s  %s\n", "bytes read", "bytes written", "faults",
		"pc misses", "hit ratio", "file");
	for (size_t i = 0; i < n && i < 10; i++) {
		struct json_object *f = json_object_array_get_idx(files, i);
		const char *s;

		format_value(json_at(f, "read_bytes"), a, sizeof(a));
		format_value(json_at(f, "write_bytes"), b, sizeof(b));
		format_value(json_at(f, "faults"), c, sizeof(c));
		format_value(json_at(f, "page_cache_misses"), d, sizeof(d));
		if (json_at(f, "page_cache_hit_ratio"))
			snprintf(e, sizeof(e), "%.0f%%",
				 100 * json_object_get_double(json_at(f, "page_cache_hit_ratio")));
		else
			snprintf(e, sizeof(e), "-");
		s = safe_at(f, "name", name, sizeof(name));
		fprintf(out, "  %14s %14s %8s %9s %9s  ", a, b, c, d, e);
		put_name(s, width - 62, width, out);
	}
}

#define OUTLIVED_NAMED 8

/* trace: the processes that outlived the command (facts.command.outlived), and how far they were followed. */
static void print_outlived(struct json_object *report, FILE *out)
{
	struct json_object *arr = json_at(report, "facts.command.outlived");
	size_t n = arr ? json_object_array_length(arr) : 0, o;
	char comm[TEXT_SAFE_LEN], how[TEXT_SAFE_LEN], line[OUTLIVED_NAMED * (TEXT_SAFE_LEN + 40) + 256];

	if (!n)
		return;
	o = (size_t)snprintf(line, sizeof(line), "%zu process%s:", n, n > 1 ? "es" : "");
	for (size_t i = 0; i < n && i < OUTLIVED_NAMED && o < sizeof(line); i++) {
		struct json_object *p = json_object_array_get_idx(arr, i);

		o += (size_t)snprintf(line + o, sizeof(line) - o, " %s.%s (%s)%s",
				      safe_at(p, "comm", comm, sizeof(comm)),
				      json_object_get_string(json_at(p, "pid")),
				      json_object_get_boolean(json_at(p, "exited")) ? "exited" : "still running",
				      i + 1 < n ? "," : "");
	}
	if (n > OUTLIVED_NAMED && o < sizeof(line))
		o += (size_t)snprintf(line + o, sizeof(line) - o, " and %zu more", n - OUTLIVED_NAMED);
	text_wrap_words(out, "OUTLIVED THE COMMAND: ", line, text_width(out));
	text_wrap_words(out, "  ", safe_at(report, "facts.command.followed", how, sizeof(how)),
			text_width(out));
}

/* The lines above the summary: what ran, and what went wrong. */
static void print_header(struct json_object *report, FILE *out)
{
	struct json_object *err = json_at(report, "run.error");
	char safe[TEXT_SAFE_LEN], line[TEXT_SAFE_LEN + 64], a[48];

	fprintf(out, "ipctrace %s: %s on Linux %s\n",
		json_object_get_string(json_at(report, "tool.version")),
		json_object_get_string(json_at(report, "scenario.name")),
		json_object_get_string(json_at(report, "kernel.release")));
	/* a traced command's arguments: json-c escapes C0 controls, not DEL or C1 */
	text_safe(json_object_to_json_string_ext(json_at(report, "scenario.params"),
						 JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
		  safe, sizeof(safe));
	text_wrap_words(out, "params: ", safe, text_width(out));
	if (!json_object_get_boolean(json_at(report, "run.complete"))) {
		snprintf(line, sizeof(line), "%s; figures below are what was counted until then",
			 err ? text_safe(json_object_get_string(err), safe, sizeof(safe)) : "unknown reason");
		text_wrap_words(out, "RUN CUT SHORT: ", line, text_width(out));
	}
	if (json_at(report, "run.untraced_children") &&
	    json_object_get_int64(json_at(report, "run.untraced_children")) > 0)
		fprintf(out, "NOT ALL TRACED: %s processes started after the first %d were not\n"
			     "traced (the process table was full); their figures are missing\n",
			fmt_count(json_object_get_int64(json_at(report, "run.untraced_children")), a, sizeof(a)),
			IPCT_MAX_SLOTS);
	if (json_at(report, "run.rows_lost") && json_object_get_int64(json_at(report, "run.rows_lost")) > 0)
		fprintf(out, "COUNTS LOST: %s events found a BPF table full; the figures below\n"
			     "miss them\n", fmt_count(json_object_get_int64(json_at(report, "run.rows_lost")),
						   a, sizeof(a)));
	print_outlived(report, out); /* trace only */
}

/* The process list and the figure tables: a column per process when they fit. */
static void print_tables(struct json_object *report, struct tables *t, bool trace)
{
	struct json_object *procs = json_at(report, "processes");
	int n = procs ? (int)json_object_array_length(procs) : 0;
	char safe[TEXT_SAFE_LEN], comm[TEXT_SAFE_LEN];
	bool wide = !trace && n <= MAX_COLS - 2;

	text_heading(t->out, "Processes");
	for (int pass = 0; pass < 2; pass++) {
		t->ncols = 0;
		for (int i = 0; wide && i < n; i++) {
			t->cols[t->ncols] = json_at(json_object_array_get_idx(procs, i), "figures");
			t->names[t->ncols++] = json_object_get_string(json_at(json_object_array_get_idx(procs, i), "role"));
		}
		t->cols[t->ncols] = t->totals;
		t->names[t->ncols++] = "total";
		if (!trace) {
			t->cols[t->ncols] = json_at(report, "per_unit");
			t->names[t->ncols++] = "per unit";
		}
		if (pass)
			break;
		t->measure = true;
		t->col_w = COL_MIN;
		for (int s = SEC_NONE + 1; s < NR_SECTIONS; s++)
			print_section(t, s);
		if (wide && LABEL_MIN + t->ncols * (t->col_w + 2) > t->width)
			wide = false; /* too many processes for a column each */
		else
			break;
	}
	if (wide) {
		for (int i = 0; i < n; i++) {
			struct json_object *p = json_object_array_get_idx(procs, i);

			fprintf(t->out, "  %-10s pid %-8s comm %s\n", safe_at(p, "role", safe, sizeof(safe)),
				json_object_get_string(json_at(p, "pid")), safe_at(p, "comm", comm, sizeof(comm)));
		}
	} else {
		print_process_rows(procs, t);
	}
	text_heading(t->out, trace ? "All processes" : "Transfer phase");
	print_sections(t);
}

static void print_phases(struct json_object *report, FILE *out)
{
	static const char *const pn[] = { "setup", "transfer", "teardown" };

	text_heading(out, "Other phases (all processes)");
	for (int ph = 0; ph < 3; ph++) {
		char path[64], a[32], b[32], c[32];

		snprintf(path, sizeof(path), "phases.%s", pn[ph]);
		format_value(json_at(json_at(report, path), "syscalls"), a, sizeof(a));
		format_value(json_at(json_at(report, path), "page_faults.user"), b, sizeof(b));
		format_value(json_at(json_at(report, path), "context_switches.voluntary"), c, sizeof(c));
		fprintf(out, "  %-9s syscalls %-10s user faults %-10s voluntary switches %s\n", pn[ph], a, b, c);
	}
}

void report_print_text(struct json_object *report, FILE *out)
{
	struct json_object *procs = json_at(report, "processes");
	int n = procs ? (int)json_object_array_length(procs) : 0;
	bool trace = !strcmp(json_object_get_string(json_at(report, "scenario.name")), "trace");
	struct tables t = { .out = out, .totals = json_at(report, "totals"), .width = text_width(out),
			    .verbose = text_verbosity() > 0 };

	print_header(report, out);
	report_print_summary(report, trace, out);
	print_tables(report, &t, trace);
	print_not_accounted(t.totals, t.width, out);
	t.hidden += print_observed(t.totals, t.verbose, t.width, out);
	if (trace) {
		print_by_kind(t.totals, out);
		print_files(json_at(report, "files"), t.width, out);
	}
	print_syscall_names(procs, trace && n > 20 ? 20 : n, trace, t.width, out);
	if (!trace)
		print_phases(report, out);
	print_facts(report, out);
	print_notes(report, t.hidden, t.verbose, t.width, out);
}
