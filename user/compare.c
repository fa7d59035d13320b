// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `ipctrace compare A.json B.json ...`: the outputs of `ipctrace verify
 * --json` from several kernels (or runs), claim by claim. The comparison is
 * built as JSON first and the text is printed from it, so the two cannot
 * disagree.
 */
#include <argp.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "compare.h"
#include "compiler.h"
#include "outfile.h"
#include "readfile.h"
#include "report.h"
#include "run.h"
#include "textfmt.h"
#include "textsafe.h"
#include "timeline.h"

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int compare_check(struct json_object *doc, char *err, size_t len)
{
	struct json_object *claims = get(doc, "claims");

	if (!json_object_is_type(doc, json_type_object) ||
	    !json_object_is_type(claims, json_type_array) ||
	    !json_object_is_type(get(doc, "summary"), json_type_object)) {
		snprintf(err, len, "not the output of `ipctrace verify --json` (no claims[] and summary)");
		return -1;
	}
	if (!get_str(get(doc, "kernel"), "release")) {
		snprintf(err, len, "no kernel.release");
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(claims); i++) {
		struct json_object *c = json_object_array_get_idx(claims, i);

		if (!get_str(c, "id") || !get_str(c, "verdict")) {
			snprintf(err, len, "claims[%zu] has no id or verdict", i);
			return -1;
		}
	}
	/* probes (optional): attach point -> the method that served it, a string */
	if (!get(doc, "probes"))
		return 0;
	if (!json_object_is_type(get(doc, "probes"), json_type_object)) {
		snprintf(err, len, "probes is not an object");
		return -1;
	}
	json_object_object_foreach(get(doc, "probes"), point, method) {
		if (!json_object_is_type(method, json_type_string)) {
			snprintf(err, len, "probes.%.64s is not a method name", point);
			return -1;
		}
	}
	return 0;
}

/*
 * The claims of @doc by id (the first of an id given twice): looked up per
 * claim and kernel, a scan of the file each time was quadratic.
 */
static struct json_object *claim_index(struct json_object *doc)
{
	struct json_object *claims = get(doc, "claims"), *index = json_object_new_object();

	for (size_t i = 0; i < json_object_array_length(claims); i++) {
		struct json_object *c = json_object_array_get_idx(claims, i);

		if (!get(index, get_str(c, "id")))
			json_object_object_add(index, get_str(c, "id"), json_object_get(c));
	}
	return index;
}

/* Attach points per method ("tp_btf", "fentry", "unavailable") of @doc. */
static struct json_object *probe_counts(struct json_object *doc)
{
	struct json_object *o = json_object_new_object(), *probes = get(doc, "probes");

	json_object_object_add(o, "tp_btf", json_object_new_int(0));
	json_object_object_add(o, "fentry", json_object_new_int(0));
	json_object_object_add(o, "unavailable", json_object_new_int(0));
	if (!json_object_is_type(probes, json_type_object))
		return o;
	json_object_object_foreach(probes, name, method) {
		const char *m = json_object_get_string(method);
		struct json_object *n = get(o, m);

		(void)name;
		if (n)
			json_object_int_inc(n, 1);
		else
			json_object_object_add(o, m, json_object_new_int(1));
	}
	return o;
}

/* Both absent, both null, or the same number (figures are exact counts). */
static bool same_value(struct json_object *a, struct json_object *b)
{
	bool na = json_object_is_type(a, json_type_double) || json_object_is_type(a, json_type_int);
	bool nb = json_object_is_type(b, json_type_double) || json_object_is_type(b, json_type_int);

	if (!a || !b)
		return a == b;
	/* 16 and 16.0 are one figure, whichever way a file was written */
	if (na && nb)
		return json_object_get_double(a) == json_object_get_double(b);
	return json_object_equal(a, b);
}

/*
 * Figures of the claim whose values are not all the same, among the kernels
 * that checked it (@cs[k] NULL: kernel k did not; its value is null).
 */
static struct json_object *changed_figures(struct json_object **cs, int n)
{
	struct json_object *out = json_object_new_object();

	for (int k = 0; k < n; k++) {
		struct json_object *figs = cs[k] ? get(cs[k], "figures") : NULL;

		if (!json_object_is_type(figs, json_type_object))
			continue;
		json_object_object_foreach(figs, path, v) {
			struct json_object *vals;
			bool differ = false;

			if (get(out, path))
				continue; /* seen in an earlier kernel */
			for (int j = 0; j < n; j++) {
				struct json_object *fj = cs[j] ? get(cs[j], "figures") : NULL;
				struct json_object *vj = NULL;

				if (fj && (!json_object_object_get_ex(fj, path, &vj) || !same_value(vj, v)))
					differ = true;
			}
			if (!differ)
				continue;
			vals = json_object_new_array();
			for (int j = 0; j < n; j++) {
				struct json_object *fj = cs[j] ? get(cs[j], "figures") : NULL;

				json_object_array_add(vals, json_object_get(fj ? get(fj, path) : NULL));
			}
			json_object_object_add(out, path, vals);
		}
	}
	return out;
}

/* The entry labelled @label of the chart of claim @c, or NULL. */
static struct json_object *chart_entry(struct json_object *c, const char *label)
{
	struct json_object *chart = c ? get(c, "chart") : NULL;

	for (size_t i = 0; json_object_is_type(chart, json_type_array) &&
			   i < json_object_array_length(chart); i++) {
		struct json_object *e = json_object_array_get_idx(chart, i);
		const char *l = get_str(e, "label");

		if (l && (!label || !strcmp(l, label)))
			return e;
	}
	return NULL;
}

/*
 * The one figure a row shows per kernel: the first bar of the claim's chart
 * (what the textbook says against what was measured), else the first figure
 * that changed, else the claim's first figure. { name, textbook (charts
 * only), values: [..] }, or NULL when no kernel gave a figure.
 */
static struct json_object *key_figure(struct json_object **cs, int n, struct json_object *changed)
{
	struct json_object *o, *vals = json_object_new_array(), *e = NULL;
	const char *name = NULL;

	for (int k = 0; k < n && !e; k++)
		e = chart_entry(cs[k], NULL);
	if (e) {
		name = get_str(e, "label");
		for (int k = 0; k < n; k++) {
			struct json_object *ek = chart_entry(cs[k], name);

			json_object_array_add(vals, json_object_get(ek ? get(ek, "measured") : NULL));
		}
	} else {
		json_object_object_foreach(changed, path, v) {
			(void)v;
			name = path;
			break;
		}
		for (int k = 0; k < n && !name; k++) {
			struct json_object *figs = cs[k] ? get(cs[k], "figures") : NULL;

			if (!json_object_is_type(figs, json_type_object))
				continue;
			json_object_object_foreach(figs, path, v) {
				(void)v;
				name = path;
				break;
			}
		}
		for (int k = 0; name && k < n; k++) {
			struct json_object *figs = cs[k] ? get(cs[k], "figures") : NULL;

			json_object_array_add(vals, json_object_get(figs ? get(figs, name) : NULL));
		}
	}
	if (!name) {
		json_object_put(vals);
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name));
	if (e)
		json_object_object_add(o, "textbook", json_object_get(get(e, "textbook")));
	json_object_object_add(o, "values", vals);
	return o;
}

/* The row of claim @id; @index[k]: the claims of kernel k by id. */
static struct json_object *claim_row(const char *id, struct json_object **index, int n)
{
	struct json_object *row = json_object_new_object(), *verdicts = json_object_new_array();
	struct json_object *cs[n];
	const char *first = NULL, *statement = NULL;
	bool differ = false, all = true;

	/* verdicts differ among the kernels that checked the claim (a subset run has fewer) */
	for (int k = 0; k < n; k++) {
		const char *v;

		cs[k] = get(index[k], id);
		v = cs[k] ? get_str(cs[k], "verdict") : NULL;
		if (cs[k] && !statement)
			statement = get_str(cs[k], "statement");
		if (v && first && strcmp(v, first))
			differ = true;
		if (v && !first)
			first = v;
		all &= v != NULL;
		json_object_array_add(verdicts, v ? json_object_new_string(v) : NULL);
	}
	json_object_object_add(row, "id", json_object_new_string(id));
	json_object_object_add(row, "statement", json_object_new_string(statement ? statement : ""));
	json_object_object_add(row, "verdicts", verdicts);
	json_object_object_add(row, "verdicts_differ", json_object_new_boolean(differ));
	json_object_object_add(row, "checked_by_all", json_object_new_boolean(all));
	json_object_object_add(row, "changed_figures", changed_figures(cs, n));
	json_object_object_add(row, "key_figure", key_figure(cs, n, get(row, "changed_figures")));
	return row;
}

struct json_object *compare_build(struct json_object **docs, const char **names, int n)
{
	struct json_object *o = json_object_new_object(), *kernels = json_object_new_array();
	struct json_object *rows = json_object_new_array(), *seen = json_object_new_object();
	struct json_object *index[n];
	int differing = 0;

	json_object_object_add(o, "schema", json_object_new_int(REPORT_SCHEMA));
	for (int k = 0; k < n; k++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "name", json_object_new_string(names[k]));
		json_object_object_add(e, "release",
				       json_object_new_string(get_str(get(docs[k], "kernel"), "release")));
		json_object_object_add(e, "probes", probe_counts(docs[k]));
		json_object_object_add(e, "summary", json_object_get(get(docs[k], "summary")));
		json_object_array_add(kernels, e);
		index[k] = claim_index(docs[k]);
	}
	/* the claims in the first file's order, then those only later files have */
	for (int k = 0; k < n; k++) {
		struct json_object *claims = get(docs[k], "claims");

		for (size_t i = 0; i < json_object_array_length(claims); i++) {
			const char *id = get_str(json_object_array_get_idx(claims, i), "id");
			struct json_object *row;

			if (get(seen, id))
				continue;
			json_object_object_add(seen, id, json_object_new_boolean(1));
			row = claim_row(id, index, n);
			differing += json_object_get_boolean(get(row, "verdicts_differ"));
			json_object_array_add(rows, row);
		}
	}
	json_object_put(seen);
	for (int k = 0; k < n; k++)
		json_object_put(index[k]);
	json_object_object_add(o, "kernels", kernels);
	json_object_object_add(o, "claims", rows);
	json_object_object_add(o, "differing", json_object_new_int(differing));
	return o;
}

/*
 * The text below prints strings of the files compared (releases, method
 * and verdict names, claim ids, figure paths): each escaped for a terminal.
 */

/* "tp_btf 17, fentry 6" (methods with no attach point left out). */
static void probes_text(struct json_object *kernel, char *buf, size_t len)
{
	char safe[TEXT_SAFE_LEN];
	size_t o = 0;

	buf[0] = 0;
	json_object_object_foreach(get(kernel, "probes"), method, count) {
		if (!strcmp(method, "unavailable"))
			continue;
		if (o >= len)
			break; /* truncated: the heading is for people */
		o += snprintf(buf + o, len - o, "%s%s %d", o ? ", " : "",
			      text_safe(method, safe, sizeof(safe)), json_object_get_int(count));
	}
}

/* The string @key of @o, escaped, in @buf. */
static const char *safe_str(struct json_object *o, const char *key, char *buf, size_t len)
{
	return text_safe(get_str(o, key), buf, len);
}

static void value_text(struct json_object *v, char *buf, size_t len)
{
	double d = json_object_get_double(v);

	if (!v)
		snprintf(buf, len, "null");
	else
		fmt_real(d, buf, len); /* grouped, at most 3 decimals, as every text output */
}

/* Kernel @k's release, methods and verdict counts on one line, in @buf. */
static void summary_text(struct json_object *cmp, int k, char *buf, size_t len)
{
	struct json_object *kernel = json_object_array_get_idx(get(cmp, "kernels"), k);
	char probes[128], safe[TEXT_SAFE_LEN];
	size_t o;

	probes_text(kernel, probes, sizeof(probes));
	o = (size_t)snprintf(buf, len, "%s: %s;", safe_str(kernel, "release", safe, sizeof(safe)), probes);
	json_object_object_foreach(get(kernel, "summary"), verdict, count) {
		if (o >= len)
			break;
		o += (size_t)snprintf(buf + o, len - o, " %d %s", json_object_get_int(count),
				      text_safe(verdict, safe, sizeof(safe)));
	}
}

/* One line, never wrapped: tools/kernels.sh reads what follows its "; ". */
void compare_print_summary(struct json_object *cmp, int k, FILE *out)
{
	char line[2 * TEXT_SAFE_LEN];

	summary_text(cmp, k, line, sizeof(line));
	fprintf(out, "%s\n", line);
}

/* How many changed figures a claim's text line names (all are in --json and --html). */
#define NAMED_CHANGES 3
/* Widest claim id and key figure name column; longer ones are cut, starting with '~'. */
#define MAX_ID_W 34
#define MAX_KEY_W 34

/* The key figure's name, escaped: a chart label "(book N)" after it. */
static const char *key_name(struct json_object *row, char *buf, size_t len)
{
	struct json_object *key = get(row, "key_figure"), *book = key ? get(key, "textbook") : NULL;
	char safe[TEXT_SAFE_LEN], v[64];

	if (!key) {
		snprintf(buf, len, "-");
		return buf;
	}
	safe_str(key, "name", safe, sizeof(safe));
	if (book) {
		value_text(book, v, sizeof(v));
		text_fmt(buf, len, "%s (book %s)", safe, v); /* cut to fit: a table cell */
	} else {
		snprintf(buf, len, "%s", safe);
	}
	return buf;
}

/*
 * @s cut to at most @w bytes, its start left out (a figure path's last
 * names say most) and '~' in its place, not inside a UTF-8 sequence.
 */
static const char *cut(char *s, int w)
{
	int len = (int)strlen(s), from;

	if (len <= w || w < 2)
		return s;
	from = len - (w - 1);
	while (from < len && ((unsigned char)s[from] & 0xc0) == 0x80)
		from++;
	s[0] = '~';
	memmove(s + 1, s + from, len - from + 1);
	return s;
}

/* "verdict value" of kernel @k in @row, escaped; "-" when it did not check the claim. */
static const char *cell_text(struct json_object *row, int k, char *buf, size_t len)
{
	struct json_object *v = json_object_array_get_idx(get(row, "verdicts"), k);
	struct json_object *key = get(row, "key_figure");
	char safe[TEXT_SAFE_LEN], fig[64];

	if (!v) {
		snprintf(buf, len, "-");
		return buf;
	}
	text_safe(json_object_get_string(v), safe, sizeof(safe));
	if (!key) {
		snprintf(buf, len, "%s", safe);
		return buf;
	}
	value_text(json_object_array_get_idx(get(key, "values"), k), fig, sizeof(fig));
	snprintf(buf, len, "%s %s", safe, fig);
	return buf;
}

/* The columns' widths: claim ids, key figure names, kernel cells. */
static void widths(struct json_object *rows, int n, int *wid, int *wkey, int *wcell)
{
	char buf[TEXT_SAFE_LEN + 64];

	*wid = 8;
	*wkey = 12;
	*wcell = 5;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *row = json_object_array_get_idx(rows, i);
		int l;

		l = (int)strlen(safe_str(row, "id", buf, sizeof(buf))) + 2;
		*wid = l > *wid ? l : *wid;
		l = (int)strlen(key_name(row, buf, sizeof(buf))) + 2;
		*wkey = l > *wkey ? l : *wkey;
		for (int k = 0; k < n; k++) {
			l = (int)strlen(cell_text(row, k, buf, sizeof(buf))) + 2;
			*wcell = l > *wcell ? l : *wcell;
		}
	}
	*wid = *wid < MAX_ID_W + 2 ? *wid : MAX_ID_W + 2;
	*wkey = *wkey < MAX_KEY_W + 2 ? *wkey : MAX_KEY_W + 2;
	*wcell = *wcell < 40 ? *wcell : 40;
}

/*
 * The layout of the table in @width columns: a line per claim when its id,
 * key figure and cells fit; else (stacked) the cells on lines of their own
 * under the id and key figure, as many a line as fit (@per).
 */
struct layout {
	int n, wid, wkey, wcell, width, per;
	bool stacked;
};

#define STACK_INDENT 4

static void fit(struct layout *l)
{
	l->stacked = 2 + l->wid + l->wkey + l->n * l->wcell > l->width;
	l->per = l->n;
	if (!l->stacked)
		return;
	if (l->wcell > l->width - STACK_INDENT)
		l->wcell = l->width - STACK_INDENT;
	l->per = (l->width - STACK_INDENT) / l->wcell;
	if (2 + l->wid + l->wkey > l->width)
		l->wkey = l->width - 2 - l->wid;
}

/* The kernels' cells of @row (their headings when @row is NULL), after the id and key figure. */
static void print_cells(struct json_object *row, const struct layout *l, FILE *out)
{
	char buf[TEXT_SAFE_LEN + 64];

	for (int k = 0; k < l->n; k++) {
		bool last = k == l->n - 1 || (k + 1) % l->per == 0; /* unpadded: no blanks at line ends */

		if (l->stacked && k % l->per == 0)
			fprintf(out, "\n%*s", STACK_INDENT, "");
		if (row)
			cut((char *)cell_text(row, k, buf, sizeof(buf)), l->wcell - 2);
		else
			snprintf(buf, sizeof(buf), "[%d]", k + 1);
		fprintf(out, "%-*s", last ? 0 : l->wcell, buf);
	}
	fputc('\n', out);
}

/* The figures of @row that changed: the first NAMED_CHANGES, wrapped to the width. */
static void print_changed(struct json_object *row, const struct layout *l, FILE *out)
{
	struct json_object *changed = get(row, "changed_figures");
	char buf[TEXT_SAFE_LEN + 64], list[2048] = "", prefix[64];
	int named = 0, total = json_object_object_length(changed), o = 0;

	if (!total)
		return;
	json_object_object_foreach(changed, path, vals) {
		(void)vals;
		if (named == NAMED_CHANGES)
			break;
		o += snprintf(list + o, sizeof(list) - o, "%s%s", named++ ? ", " : "",
			      text_safe(path, buf, sizeof(buf)));
		if (o >= (int)sizeof(list))
			break;
	}
	if (total > named && o < (int)sizeof(list))
		snprintf(list + o, sizeof(list) - o, " (+%d more)", total - named);
	snprintf(prefix, sizeof(prefix), "  %*schanged: ", l->stacked ? 0 : l->wid, "");
	text_wrap_words(out, prefix, list, l->width);
}

/*
 * A claim's line (marked * when verdicts differ): its id, its key figure,
 * verdict and key figure per kernel; then the names of the figures that
 * changed.
 */
static void print_row(struct json_object *row, const struct layout *l, FILE *out)
{
	bool differ = json_object_get_boolean(get(row, "verdicts_differ"));
	char buf[TEXT_SAFE_LEN + 64];

	fprintf(out, "%c %-*s", differ ? '*' : ' ', l->wid, cut((char *)safe_str(row, "id", buf,
									       sizeof(buf)), l->wid - 2));
	if (l->stacked)
		fprintf(out, "%s", cut((char *)key_name(row, buf, sizeof(buf)), l->wkey - 2));
	else
		fprintf(out, "%-*s", l->wkey, cut((char *)key_name(row, buf, sizeof(buf)), l->wkey - 2));
	print_cells(row, l, out);
	print_changed(row, l, out);
}

void compare_print_text(struct json_object *cmp, FILE *out)
{
	struct json_object *kernels = get(cmp, "kernels"), *rows = get(cmp, "claims");
	struct layout l = { .n = (int)json_object_array_length(kernels), .width = text_width(out) };

	widths(rows, l.n, &l.wid, &l.wkey, &l.wcell);
	fit(&l);
	fprintf(out, "kernels (the verdict and key figure of kernel [k] in column [k]):\n");
	for (int k = 0; k < l.n; k++) {
		char line[2 * TEXT_SAFE_LEN], prefix[16];

		snprintf(prefix, sizeof(prefix), "  [%d] ", k + 1);
		summary_text(cmp, k, line, sizeof(line));
		text_wrap_words(out, prefix, line, l.width);
	}
	fprintf(out, "\n  %-*s%-*s", l.wid, "claim", l.stacked ? 0 : l.wkey, "key figure");
	print_cells(NULL, &l, out);
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		print_row(json_object_array_get_idx(rows, i), &l, out);
	fprintf(out, "\n%d claim(s) with differing verdicts (marked *); under a claim, the figures\n"
		     "that changed (their values: --json or --html)\n",
		json_object_get_int(get(cmp, "differing")));
}

/* ---- the HTML page ----------------------------------------------------- */

/* @s for HTML: control bytes escaped as text_safe() does, then markup escaped. */
static void html_put(FILE *out, const char *s)
{
	char *safe = text_safe_dup(s);

	svg_escape(out, safe ? safe : "(out of memory)");
	free(safe);
}

/* The CSS class of a verdict: one of the known names, else "other". */
static const char *verdict_class(const char *v)
{
	static const char *known[] = { "confirmed", "nuanced", "refuted", "unobservable", "error" };

	for (size_t i = 0; v && i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(v, known[i]))
			return known[i];
	return "other";
}

static void html_head(struct json_object *cmp, FILE *out)
{
	struct json_object *kernels = get(cmp, "kernels");
	char probes[128];

	fprintf(out, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		     "<title>ipctrace compare</title>\n<style>\n"
		     "body{font-family:sans-serif;margin:2em;color:#222}\n"
		     "table{border-collapse:collapse}td,th{border-top:1px solid #ddd;padding:4px 8px;"
		     "text-align:left;vertical-align:top}th small{font-weight:normal;color:#555}\n"
		     ".st{color:#666;font-size:90%%;max-width:32em}.num{font-family:monospace}\n"
		     ".v{display:inline-block;min-width:6.5em;text-align:center;border-radius:4px;"
		     "color:#fff;font-weight:bold;padding:1px 4px}\n"
		     ".confirmed{background:#2e7d32}.nuanced{background:#a65f00}"
		     ".refuted{background:#c62828}.unobservable{background:#555}.error{background:#000}"
		     ".other{background:#6a1b9a}\ntr.differ td:first-child{border-left:4px solid #c62828}"
		     "\nsummary{cursor:pointer;color:#1565c0}\n</style></head><body>\n"
		     "<h1>The textbook's claims, kernel by kernel</h1>\n<p>%d claim(s) with "
		     "differing verdicts (a red edge). Each cell: the verdict and the claim's key "
		     "figure (the first bar of its chart: the textbook's value is in the key figure "
		     "column; else the first figure that changed).</p>\n<table>\n<thead><tr>"
		     "<th>claim</th><th>key figure</th>",
		json_object_get_int(get(cmp, "differing")));
	for (size_t k = 0; k < json_object_array_length(kernels); k++) {
		struct json_object *kernel = json_object_array_get_idx(kernels, k);

		fprintf(out, "<th>");
		html_put(out, get_str(kernel, "release"));
		probes_text(kernel, probes, sizeof(probes)); /* escaped for a terminal already */
		fprintf(out, "<br><small>");
		svg_escape(out, probes);
		json_object_object_foreach(get(kernel, "summary"), verdict, count) {
			if (!json_object_get_int(count))
				continue;
			fprintf(out, "<br>%d ", json_object_get_int(count));
			html_put(out, verdict);
		}
		fprintf(out, "</small></th>");
	}
	fprintf(out, "</tr></thead>\n<tbody>\n");
}

static void html_row(struct json_object *row, int n, FILE *out)
{
	struct json_object *key = get(row, "key_figure"), *changed = get(row, "changed_figures");
	char v[64];

	fprintf(out, "<tr%s><td><b>", json_object_get_boolean(get(row, "verdicts_differ"))
					       ? " class=\"differ\"" : "");
	html_put(out, get_str(row, "id"));
	fprintf(out, "</b><div class=\"st\">");
	html_put(out, get_str(row, "statement"));
	fprintf(out, "</div></td><td>");
	if (key) {
		html_put(out, get_str(key, "name"));
		if (get(key, "textbook")) {
			value_text(get(key, "textbook"), v, sizeof(v));
			fprintf(out, "<br><small>textbook: %s</small>", v);
		}
	}
	fprintf(out, "</td>");
	for (int k = 0; k < n; k++) {
		struct json_object *verdict = json_object_array_get_idx(get(row, "verdicts"), k);
		const char *vs = verdict ? json_object_get_string(verdict) : NULL;

		if (!vs) {
			fprintf(out, "<td>-</td>");
			continue;
		}
		fprintf(out, "<td><span class=\"v %s\">", verdict_class(vs));
		html_put(out, vs);
		fprintf(out, "</span>");
		if (key) {
			value_text(json_object_array_get_idx(get(key, "values"), k), v, sizeof(v));
			fprintf(out, " <span class=\"num\">%s</span>", v);
		}
		fprintf(out, "</td>");
	}
	fprintf(out, "</tr>\n");
	if (!json_object_object_length(changed))
		return;
	fprintf(out, "<tr><td></td><td colspan=\"%d\"><details><summary>%d figure(s) changed"
		     "</summary><table>\n", n + 1, json_object_object_length(changed));
	json_object_object_foreach(changed, path, vals) {
		fprintf(out, "<tr><td>");
		html_put(out, path);
		fprintf(out, "</td>");
		for (int k = 0; k < n; k++) {
			value_text(json_object_array_get_idx(vals, k), v, sizeof(v));
			fprintf(out, "<td class=\"num\">%s</td>", v);
		}
		fprintf(out, "</tr>\n");
	}
	fprintf(out, "</table></details></td></tr>\n");
}

void compare_print_html(struct json_object *cmp, FILE *out)
{
	struct json_object *rows = get(cmp, "claims");
	int n = (int)json_object_array_length(get(cmp, "kernels"));

	html_head(cmp, out);
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		html_row(json_object_array_get_idx(rows, i), n, out);
	fprintf(out, "</tbody></table>\n</body></html>\n");
}

struct compare_args {
	bool json, summary;
	const char *html;
	char **files;
	int nfiles;
};

static struct argp_option options[] = {
	{ "json", 'j', NULL, 0, "print the comparison as JSON", 0 },
	{ "summary", 's', NULL, 0,
	  "one line per file: release, probes by method, claims by verdict", 0 },
	{ "html", 'H', "FILE", 0,
	  "also write the table as one self-contained HTML page, with the changed figures' values", 0 },
	{ 0 },
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct compare_args *a = state->input;

	switch (key) {
	case 'j': a->json = true; return 0;
	case 's': a->summary = true; return 0;
	case 'H': a->html = arg; return 0;
	case ARGP_KEY_ARGS:
		a->files = state->argv + state->next;
		a->nfiles = state->argc - state->next;
		return 0;
	case ARGP_KEY_END:
		if (a->nfiles < (a->summary ? 1 : 2))
			argp_error(state, "needs %s `ipctrace verify --json` outputs",
				   a->summary ? "one or more" : "two or more");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

/* @path as JSON, read whole but at most COMPARE_MAX_BYTES; NULL with the reason in @err. */
static struct json_object *read_json(const char *path, char *err, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = NULL;
	char safe[TEXT_SAFE_LEN], *text;
	size_t n;

	text = read_bounded(path, COMPARE_MAX_BYTES, "verify --json output", &n, err, len);
	if (text && tok)
		o = json_tokener_parse_ex(tok, text, (int)n);
	if (text && !o)
		snprintf(err, len, "%s: not readable as JSON: %s", text_safe(path, safe, sizeof(safe)),
			 !tok ? "out of memory"
			 : json_tokener_get_error(tok) == json_tokener_continue
				 ? "it ends before the JSON does"
				 : json_tokener_error_desc(json_tokener_get_error(tok)));
	free(text);
	if (tok)
		json_tokener_free(tok);
	return o;
}

int compare_main(int argc, char **argv)
{
	struct argp argp = { options, parse_opt, "A.json B.json [C.json...]",
			     "Compare `ipctrace verify --json` outputs (e.g. from several kernels, "
			     "oldest first): one table, claim by claim, with each kernel's verdict "
			     "and the claim's key figure, claims whose verdicts differ marked, and "
			     "the figures that changed named.\v"
			     "Exit status: 0 compared; 2 a file is not readable as `ipctrace verify "
			     "--json` output (or --html cannot be written there); 1 writing --html "
			     "failed.\n\n"
			     "Examples:\n"
			     "  ipctrace verify --json -o here.json\n"
			     "  ipctrace compare .output/kernels/6.1.0-57-cloud-amd64.json here.json\n"
			     "  ipctrace compare --html history.html .output/kernels/*.json\n"
			     "  ipctrace compare --json A.json B.json\n"
			     "  ipctrace compare --summary .output/kernels/*.json",
			     cli_children, NULL, NULL };
	struct compare_args a = {};
	struct outfile html = { .dirfd = -1 };
	struct json_object **docs, *cmp;
	int rc = EXIT_OK;

	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return EXIT_USAGE;
	docs = calloc(a.nfiles, sizeof(*docs));
	if (!docs)
		return EXIT_FAIL;
	if (a.html && outfile_open(&html, a.html, "ipctrace compare")) {
		free(docs);
		return EXIT_USAGE;
	}
	for (int k = 0; k < a.nfiles; k++) {
		char err[TEXT_SAFE_LEN + 160];

		docs[k] = read_json(a.files[k], err, sizeof(err));
		if (!docs[k]) {
			fprintf(stderr, "ipctrace compare: %s\n", err); /* the path escaped */
			rc = EXIT_USAGE;
		} else if (compare_check(docs[k], err, sizeof(err))) {
			text_error("ipctrace compare", "%s: %s", a.files[k], err);
			rc = EXIT_USAGE;
		}
	}
	if (rc == EXIT_OK) {
		cmp = compare_build(docs, (const char **)a.files, a.nfiles);
		if (a.json)
			fprintf(stdout, "%s\n",
				json_object_to_json_string_ext(cmp, JSON_C_TO_STRING_PRETTY |
									    JSON_C_TO_STRING_SPACED));
		else if (a.summary)
			for (int k = 0; k < a.nfiles; k++)
				compare_print_summary(cmp, k, stdout);
		else if (!html.f || html.f != stdout) /* --html -: the page alone */
			compare_print_text(cmp, stdout);
		if (html.f) {
			compare_print_html(cmp, html.f);
			if (outfile_commit(&html, "ipctrace compare"))
				rc = EXIT_FAIL;
		}
		json_object_put(cmp);
	}
	outfile_abort(&html); /* not written out: an existing file stays as it was */
	for (int k = 0; k < a.nfiles; k++)
		json_object_put(docs[k]);
	free(docs);
	return rc;
}
