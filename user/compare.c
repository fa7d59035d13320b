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
#include "readfile.h"
#include "run.h"
#include "textsafe.h"

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
	return row;
}

struct json_object *compare_build(struct json_object **docs, const char **names, int n)
{
	struct json_object *o = json_object_new_object(), *kernels = json_object_new_array();
	struct json_object *rows = json_object_new_array(), *seen = json_object_new_object();
	struct json_object *index[n];
	int differing = 0;

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
	else if (d == floor(d) && fabs(d) < 1e15)
		snprintf(buf, len, "%.0f", d);
	else
		snprintf(buf, len, "%.3f", d);
}

void compare_print_summary(struct json_object *cmp, int k, FILE *out)
{
	struct json_object *kernel = json_object_array_get_idx(get(cmp, "kernels"), k);
	char probes[128], safe[TEXT_SAFE_LEN];

	probes_text(kernel, probes, sizeof(probes));
	fprintf(out, "%s: %s;", safe_str(kernel, "release", safe, sizeof(safe)), probes);
	json_object_object_foreach(get(kernel, "summary"), verdict, count)
		fprintf(out, " %d %s", json_object_get_int(count),
			text_safe(verdict, safe, sizeof(safe)));
	fputc('\n', out);
}

/* The width of the first column: claim ids and changed figure paths, within reason. */
static int first_width(struct json_object *rows)
{
	char safe[TEXT_SAFE_LEN];
	int w = 22;

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object_object_foreach(get(json_object_array_get_idx(rows, i), "changed_figures"),
					   path, vals) {
			int n = (int)strlen(text_safe(path, safe, sizeof(safe)));

			(void)vals;
			if (n + 3 > w)
				w = n + 3;
		}
	}
	return w < 48 ? w : 48;
}

/* A claim's line (marked * when verdicts differ), then a line per changed figure. */
static void print_row(struct json_object *row, int n, int w0, int w, FILE *out)
{
	struct json_object *verdicts = get(row, "verdicts");
	bool differ = json_object_get_boolean(get(row, "verdicts_differ"));
	char buf[128], safe[TEXT_SAFE_LEN];

	fprintf(out, "%c %-*s", differ ? '*' : ' ', w0, safe_str(row, "id", safe, sizeof(safe)));
	for (int k = 0; k < n; k++) {
		struct json_object *v = json_object_array_get_idx(verdicts, k);

		fprintf(out, "%-*s", w, v ? text_safe(json_object_get_string(v), safe, sizeof(safe))
					  : "-");
	}
	fputc('\n', out);
	json_object_object_foreach(get(row, "changed_figures"), path, vals) {
		text_safe(path, safe, sizeof(safe));
		fprintf(out, "    %-*s", w0 - 2, safe);
		if ((int)strlen(safe) > w0 - 2)
			fprintf(out, "\n    %-*s", w0 - 2, "");
		for (int k = 0; k < n; k++) {
			value_text(json_object_array_get_idx(vals, k), buf, sizeof(buf));
			fprintf(out, "%-*s", w, buf);
		}
		fputc('\n', out);
	}
}

void compare_print_text(struct json_object *cmp, FILE *out)
{
	struct json_object *kernels = get(cmp, "kernels"), *rows = get(cmp, "claims");
	int n = (int)json_object_array_length(kernels), w = 13, w0 = first_width(rows);
	char buf[128], safe[TEXT_SAFE_LEN];

	for (int k = 0; k < n; k++) {
		struct json_object *kernel = json_object_array_get_idx(kernels, k);

		probes_text(kernel, buf, sizeof(buf));
		if ((int)strlen(buf) + 2 > w)
			w = (int)strlen(buf) + 2;
		if ((int)strlen(safe_str(kernel, "release", safe, sizeof(safe))) + 2 > w)
			w = (int)strlen(safe) + 2;
	}
	/* two heading lines: release, then the probe methods it offers */
	fprintf(out, "  %-*s", w0, "claim");
	for (int k = 0; k < n; k++)
		fprintf(out, "%-*s", w,
			safe_str(json_object_array_get_idx(kernels, k), "release", safe, sizeof(safe)));
	fprintf(out, "\n  %-*s", w0, "");
	for (int k = 0; k < n; k++) {
		probes_text(json_object_array_get_idx(kernels, k), buf, sizeof(buf));
		fprintf(out, "%-*s", w, buf);
	}
	fputc('\n', out);
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		print_row(json_object_array_get_idx(rows, i), n, w0, w, out);
	fprintf(out, "\n%d claim(s) with differing verdicts (marked *); under each claim the "
		     "figures that changed\n",
		json_object_get_int(get(cmp, "differing")));
	for (int k = 0; k < n; k++)
		compare_print_summary(cmp, k, out);
}

struct compare_args {
	bool json, summary;
	char **files;
	int nfiles;
};

static struct argp_option options[] = {
	{ "json", 'j', NULL, 0, "print the comparison as JSON", 0 },
	{ "summary", 's', NULL, 0,
	  "one line per file: release, probes by method, claims by verdict", 0 },
	{ 0 },
};

static error_t parse_opt(int key, char *arg UNUSED, struct argp_state *state)
{
	struct compare_args *a = state->input;

	switch (key) {
	case 'j': a->json = true; return 0;
	case 's': a->summary = true; return 0;
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
	struct argp argp = { options, parse_opt, "A.json B.json [...]",
			     "Compare `ipctrace verify --json` outputs (e.g. from two kernels): "
			     "each claim's verdicts side by side, claims whose verdicts differ "
			     "marked, and the figures that changed.\v"
			     "Exit status: 0 compared; 2 a file is not readable as `ipctrace verify "
			     "--json` output.\n\n"
			     "Examples:\n"
			     "  ipctrace verify --json -o here.json\n"
			     "  ipctrace compare .output/kernels/6.1.0-57-cloud-amd64.json here.json\n"
			     "  ipctrace compare --json A.json B.json\n"
			     "  ipctrace compare --summary .output/kernels/*.json",
			     cli_children, NULL, NULL };
	struct compare_args a = {};
	struct json_object **docs, *cmp;
	int rc = EXIT_OK;

	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return EXIT_USAGE;
	docs = calloc(a.nfiles, sizeof(*docs));
	if (!docs)
		return EXIT_FAIL;
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
		else
			compare_print_text(cmp, stdout);
		json_object_put(cmp);
	}
	for (int k = 0; k < a.nfiles; k++)
		json_object_put(docs[k]);
	free(docs);
	return rc;
}
