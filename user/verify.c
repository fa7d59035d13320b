// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpflog.h"
#include "claims.h"
#include "cli.h"
#include "outfile.h"
#include "probe.h"
#include "readfile.h"
#include "report.h"
#include "run.h"
#include "runargs.h"
#include "textfmt.h"
#include "textsafe.h"
#include "verify.h"
#include "verify_html.h"

struct vrun {
	char *spec;                 /* whitespace-normalised */
	struct json_object *report; /* NULL until run, or when it produced none */
	int rc;
	bool wanted;
	bool pictured;                /* its timeline is shown (--html) */
	struct json_object *timeline; /* from a second run that recorded events */
};

struct verify {
	struct claims claims;
	struct vrun *runs;
	int nruns, cap_runs;
	struct json_object *run_index; /* normalised spec -> index in runs */
	bool *selected;
	/* options */
	const char *claims_file, *output, *html;
	bool json;
	char **args;
	int nargs;
};

struct html_page {
	FILE *out;
	struct claim_result *res;
};

static void normalise(const char *spec, char *out, size_t len)
{
	size_t o = 0;
	bool space = false;

	for (const char *p = spec; *p && o + 1 < len; p++) {
		if (*p == ' ' || *p == '\t') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < len)
			out[o++] = ' ';
		space = false;
		out[o++] = *p;
	}
	out[o] = 0;
}

/* Looked up in an index: a scan per run made a file of many runs quadratic. */
static struct vrun *run_of(struct verify *v, const char *spec)
{
	struct json_object *i;
	char norm[512];

	normalise(spec, norm, sizeof(norm));
	if (!json_object_object_get_ex(v->run_index, norm, &i))
		return NULL;
	return &v->runs[json_object_get_int(i)];
}

static struct vrun *run_add(struct verify *v, const char *spec)
{
	char norm[512];
	struct vrun *r = run_of(v, spec), *nr;

	if (r)
		return r;
	if (v->nruns == v->cap_runs) {
		int cap = v->cap_runs ? 2 * v->cap_runs : 16;

		nr = realloc(v->runs, cap * sizeof(*nr));
		if (!nr)
			return NULL;
		v->runs = nr;
		v->cap_runs = cap;
	}
	if (!v->run_index && !(v->run_index = json_object_new_object()))
		return NULL;
	normalise(spec, norm, sizeof(norm));
	v->runs[v->nruns] = (struct vrun){ .spec = strdup(norm) };
	json_object_object_add(v->run_index, norm, json_object_new_int(v->nruns));
	return &v->runs[v->nruns++];
}

static struct json_object *report_of(const struct claim *c, const char *alias, void *ctx)
{
	struct verify *v = ctx;

	for (int i = 0; i < c->nruns; i++) {
		struct vrun *r;

		if (strcmp(c->runs[i].alias, alias))
			continue;
		r = run_of(v, c->runs[i].spec);
		return r ? r->report : NULL;
	}
	return NULL;
}

/* The claims file @path, at most CLAIMS_MAX_BYTES of text; NULL when it cannot be. */
static char *read_claims(const char *path)
{
	char err[TEXT_SAFE_LEN + 128], *text;
	size_t len;

	text = read_bounded(path, CLAIMS_MAX_BYTES, "claims file", &len, err, sizeof(err));
	if (!text) {
		fprintf(stderr, "ipctrace verify: %s\n", err);
		return NULL;
	}
	if (strlen(text) != len) { /* the parser would stop at it, silently */
		text_error("ipctrace verify", "%s holds a NUL byte: not a claims file", path);
		free(text);
		return NULL;
	}
	return text;
}

/* Every run spec must parse before anything runs: line-numbered errors. */
static int check_runs(struct verify *v, const char *name)
{
	for (int i = 0; i < v->claims.n; i++) {
		const struct claim *c = &v->claims.v[i];

		for (int r = 0; r < c->nruns; r++) {
			struct run_args a;
			char buf[512];

			if (run_args_from_spec(c->runs[r].spec, &a, buf, sizeof(buf))) {
				text_error("ipctrace verify", "%s:%d: run %s: %s", name,
					   c->runs[r].line, c->runs[r].alias, a.err);
				return -1;
			}
			if (!run_add(v, c->runs[r].spec))
				return -1;
		}
	}
	return 0;
}

static bool uses_scenario(const struct claim *c, const char *scenario)
{
	for (int r = 0; r < c->nruns; r++) {
		size_t n = strcspn(c->runs[r].spec, " \t");

		if (strlen(scenario) == n && !strncmp(c->runs[r].spec, scenario, n))
			return true;
	}
	return false;
}

/* Pick the claims named by id, id prefix ("pipe."), or scenario. */
static int select_claims(struct verify *v)
{
	v->selected = calloc(v->claims.n ? v->claims.n : 1, sizeof(bool));
	if (!v->selected)
		return -1;
	for (int i = 0; i < v->claims.n; i++)
		v->selected[i] = v->nargs == 0;
	for (int a = 0; a < v->nargs; a++) {
		bool any = false;

		for (int i = 0; i < v->claims.n; i++) {
			const struct claim *c = &v->claims.v[i];
			size_t n = strlen(v->args[a]);

			if (!strcmp(c->id, v->args[a]) || uses_scenario(c, v->args[a]) ||
			    (!strncmp(c->id, v->args[a], n) && c->id[n] == '.')) {
				v->selected[i] = true;
				any = true;
			}
		}
		if (!any) {
			struct suggest sg;
			const char *near;

			suggest_init(&sg, v->args[a]);
			for (int i = 0; i < v->claims.n; i++)
				suggest_offer(&sg, v->claims.v[i].id);
			for (int i = 0; scenarios[i]; i++)
				suggest_offer(&sg, scenarios[i]->name);
			near = suggest_best(&sg);
			if (near)
				text_error("ipctrace verify", "no claim or scenario '%s'; did you mean "
					   "'%s'? (ipctrace verify --list shows the claims)",
					   v->args[a], near);
			else
				text_error("ipctrace verify", "no claim or scenario '%s' "
					   "(ipctrace verify --list shows the claims)", v->args[a]);
			return -1;
		}
	}
	for (int i = 0; i < v->claims.n; i++)
		for (int r = 0; v->selected[i] && r < v->claims.v[i].nruns; r++)
			run_of(v, v->claims.v[i].runs[r].spec)->wanted = true;
	for (int i = 0; v->html && i < v->claims.n; i++)
		if (v->selected[i])
			run_of(v, v->claims.v[i].runs[0].spec)->pictured = true;
	return 0;
}

/* Run every wanted run once; 0, or the exit code of an interrupted run. */
static int run_all(struct verify *v)
{
	int total = 0, k = 0;
	bool tty = isatty(STDERR_FILENO);

	for (int i = 0; i < v->nruns; i++)
		total += v->runs[i].wanted;
	for (int i = 0; i < v->nruns; i++) {
		struct vrun *r = &v->runs[i];
		struct run_args a;
		char buf[512];

		if (!r->wanted)
			continue;
		k++;
		if (tty)
			fprintf(stderr, "\r\033[K[%d/%d] %s", k, total, r->spec);
		run_args_from_spec(r->spec, &a, buf, sizeof(buf)); /* checked before */
		r->rc = run_scenario(a.sc, &a.opts, &r->report);
		/*
		 * Recording every event slows the workload and so changes timing
		 * figures: verdicts come from the run above, pictures from another.
		 */
		if (!r->rc && r->pictured) {
			struct json_object *rep = NULL;

			a.opts.timeline = true;
			if (run_scenario(a.sc, &a.opts, &rep) == 0)
				r->timeline = json_object_get(json_object_object_get(rep, "timeline"));
			json_object_put(rep);
		}
		if (r->rc > 128) {
			if (tty)
				fputc('\n', stderr);
			return r->rc; /* interrupted: stop here */
		}
		if (r->rc && tty)
			fputc('\n', stderr);
	}
	if (tty)
		fprintf(stderr, "\r\033[K");
	return 0;
}

static const struct { const char *prefix, *title; } sections[] = {
	{ "ipc", "IPC in general" }, { "pipe", "Pipes" },   { "fifo", "FIFOs" },
	{ "mmap", "Shared mappings" }, { "cache", "Page cache" }, { "io", "Sockets" },
	{ "zc", "Zero copy: traditional IO, mmap, sendfile" },
};

static const char *section_of(const struct claim *c)
{
	size_t n = strcspn(c->id, ".");

	if (c->section)
		return c->section;
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (strlen(sections[i].prefix) == n && !strncmp(c->id, sections[i].prefix, n))
			return sections[i].title;
	return "Other claims";
}

/* @text in lines of at most @width columns, each indented by @indent. */
static void print_wrapped(FILE *out, const char *text, int indent, int width)
{
	char *safe = text_safe_dup(text);
	const char *p = safe ? safe : "(out of memory)";

	while (*p) {
		int room = width - indent, n = (int)strlen(p), cut = n;

		if (n > room) {
			cut = room;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = room;
		}
		fprintf(out, "%*s%.*s\n", indent, "", cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
	free(safe);
}

/* The claims in the order of the note's sections, file order within each. */
static int section_rank(const struct claim *c)
{
	const char *s = section_of(c);

	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strcmp(s, sections[i].title))
			return (int)i;
	return (int)(sizeof(sections) / sizeof(sections[0]));
}

/* A claim's verdict, id and statement, its quote, then its evidence: all from the claims file. */
static void print_claim(FILE *out, const struct claim *c, const struct claim_result *res)
{
	char verdict[16], id[TEXT_SAFE_LEN], head[TEXT_SAFE_LEN + 48], text[TEXT_SAFE_LEN + 2];
	int width = text_width(out);

	snprintf(verdict, sizeof(verdict), "%s", verdict_name(res->verdict));
	for (char *p = verdict; *p; p++)
		*p = (char)(*p - 32 * (*p >= 'a' && *p <= 'z'));
	snprintf(head, sizeof(head), "  %-13s %-20s ", verdict, text_safe(c->id, id, sizeof(id)));
	if ((int)strlen(head) > width / 2) { /* a long id: the statement under it */
		fprintf(out, "%s\n", head);
		snprintf(head, sizeof(head), "%16s", "");
	}
	text_wrap_words(out, head, text_safe(c->statement, text, sizeof(text)), width);
	snprintf(text, sizeof(text), "\"%s\"", text_safe(c->quote, id, sizeof(id)));
	text_wrap_words(out, "                ", text, width);
	print_wrapped(out, res->evidence, 16, width);
}

/*
 * @fn for each selected claim (index @i) in the order of the note's
 * sections, file order within each; @section is the section's title at its
 * first claim, else NULL.
 */
static void for_each_in_order(struct verify *v,
			      void (*fn)(struct verify *v, int i, const char *section, void *arg),
			      void *arg)
{
	int nsec = sizeof(sections) / sizeof(sections[0]);
	const char *last = NULL;

	for (int k = 0; k < v->claims.n * (nsec + 1); k++) {
		int i = k % v->claims.n;
		const struct claim *c = &v->claims.v[i];
		bool first;

		if (!v->selected[i] || section_rank(c) != k / v->claims.n)
			continue;
		first = !last || strcmp(last, section_of(c));
		last = section_of(c);
		fn(v, i, first ? last : NULL, arg);
	}
}

struct text_page {
	FILE *out;
	struct claim_result *res;
	int count[V_ERROR + 1];
};

static void text_claim(struct verify *v, int i, const char *section, void *arg)
{
	struct text_page *page = arg;

	page->count[page->res[i].verdict]++;
	if (section) {
		fputc('\n', page->out);
		text_put(page->out, section);
		fputc('\n', page->out);
	}
	print_claim(page->out, &v->claims.v[i], &page->res[i]);
}

static void print_text(struct verify *v, struct claim_result *res, FILE *out)
{
	struct text_page page = { .out = out, .res = res };
	const int *count = page.count;

	for_each_in_order(v, text_claim, &page);
	fprintf(out, "\n%d confirmed, %d nuanced, %d refuted, %d unobservable, %d could not run\n",
		count[V_CONFIRMED], count[V_NUANCED], count[V_REFUTED], count[V_UNOBSERVABLE],
		count[V_ERROR]);
}

/*
 * The runs @c's figure aliases refer to: alias -> {spec, scenario, params,
 * exit}, scenario and params as the run's report gives them (the values
 * in effect, defaults filled in); params null when the run made no report
 * (exit says why).
 */
static struct json_object *claim_runs_json(struct verify *v, const struct claim *c)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < c->nruns; i++) {
		struct vrun *r = run_of(v, c->runs[i].spec);
		struct json_object *j, *sc = NULL;
		char name[64];

		if (!r) /* every run of a selected claim was added before any ran */
			continue;
		if (r->report)
			json_object_object_get_ex(r->report, "scenario", &sc);
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(r->spec, " "), r->spec);
		j = json_object_new_object();
		json_object_object_add(j, "spec", json_object_new_string(r->spec));
		json_object_object_add(j, "scenario", json_object_new_string(name));
		json_object_object_add(j, "params", json_object_get(json_object_object_get(sc, "params")));
		json_object_object_add(j, "exit", json_object_new_int(r->rc));
		json_object_object_add(o, c->runs[i].alias, j);
	}
	return o;
}

static struct json_object *result_json(struct verify *v, struct claim_result *res)
{
	struct probe_table probes;
	struct json_object *o, *arr = json_object_new_array(), *runs = json_object_new_array();
	struct json_object *sum = json_object_new_object();
	int count[V_ERROR + 1] = { 0 };

	/*
	 * With the fentry test loads: `ipctrace compare` heads each kernel's
	 * column with the methods it offers, and "not tested" would hide them.
	 */
	probe_kernel(&probes, true, false);
	o = report_header(&probes);
	for (int i = 0; i < v->claims.n; i++) {
		const struct claim *c = &v->claims.v[i];
		struct json_object *j;

		if (!v->selected[i])
			continue;
		count[res[i].verdict]++;
		j = json_object_new_object();
		json_object_object_add(j, "id", json_object_new_string(c->id));
		json_object_object_add(j, "section", json_object_new_string(section_of(c)));
		json_object_object_add(j, "quote", json_object_new_string(c->quote));
		json_object_object_add(j, "statement", json_object_new_string(c->statement));
		json_object_object_add(j, "verdict", json_object_new_string(verdict_name(res[i].verdict)));
		json_object_object_add(j, "evidence", json_object_new_string(res[i].evidence));
		json_object_object_add(j, "figures", json_object_get(res[i].figures));
		json_object_object_add(j, "runs", claim_runs_json(v, c));
		if (res[i].chart)
			json_object_object_add(j, "chart", json_object_get(res[i].chart));
		json_object_array_add(arr, j);
	}
	json_object_object_add(o, "claims", arr);
	for (int v_ = V_CONFIRMED; v_ <= V_ERROR; v_++)
		json_object_object_add(sum, verdict_name(v_), json_object_new_int(count[v_]));
	json_object_object_add(o, "summary", sum);
	for (int i = 0; i < v->nruns; i++) {
		struct json_object *r;

		if (!v->runs[i].wanted)
			continue;
		r = json_object_new_object();
		json_object_object_add(r, "spec", json_object_new_string(v->runs[i].spec));
		json_object_object_add(r, "exit", json_object_new_int(v->runs[i].rc));
		json_object_array_add(runs, r);
	}
	json_object_object_add(o, "runs", runs);
	return o;
}

/* ---- the HTML page (verify_html.c writes it) -------------------------------- */

/* The first run of @c that recorded a timeline (in a run of its own), or NULL. */
static struct vrun *timeline_run(struct verify *v, const struct claim *c)
{
	for (int r = 0; r < c->nruns; r++) {
		struct vrun *run = run_of(v, c->runs[r].spec);
		struct json_object *unit;

		if (run && run->timeline && json_object_object_get_ex(run->timeline, "unit", &unit) &&
		    unit)
			return run;
	}
	return NULL;
}

static void html_claim(struct verify *v, int i, const char *section, void *arg)
{
	struct html_page *page = arg;
	const struct claim *c = &v->claims.v[i];
	struct vrun *run = timeline_run(v, c);

	if (section)
		verify_html_section(page->out, section);
	verify_html_claim(page->out, c, &page->res[i], run ? run->timeline : NULL,
			  run ? run->spec : NULL);
}

static void write_html(struct verify *v, struct claim_result *res, FILE *out)
{
	struct json_object *summary = result_json(v, res);
	struct html_page page = { out, res };

	verify_html_begin(out, summary);
	for_each_in_order(v, html_claim, &page);
	verify_html_end(out);
	json_object_put(summary);
}

static struct argp_option options[] = {
	{ "claims", 'c', "FILE", 0, "check the claims in FILE instead of the built-in ones", 0 },
	{ "json", 'j', NULL, 0, "print the verdicts as JSON", 0 },
	{ "output", 'o', "FILE", 0, "write the verdicts to FILE", 0 },
	{ "list", 'l', NULL, 0, "list the claims and their runs, run nothing", 0 },
	{ "html", 'H', "FILE", 0, "also write the verification as one self-contained HTML page", 0 },
	{ 0 },
};

static bool list_only;

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct verify *v = state->input;

	switch (key) {
	case 'c': v->claims_file = arg; return 0;
	case 'j': v->json = true; return 0;
	case 'o': v->output = arg; return 0;
	case 'l': list_only = true; return 0;
	case 'H': v->html = arg; return 0;
	case ARGP_KEY_ARGS:
		v->args = state->argv + state->next;
		v->nargs = state->argc - state->next;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

/* A line of --list: id and statement. */
static void list_claim(const struct claim *c)
{
	char id[TEXT_SAFE_LEN];

	printf("%-22s ", text_safe(c->id, id, sizeof(id)));
	text_put(stdout, c->statement);
	putchar('\n');
}

static void verify_free(struct verify *v, struct claim_result *res)
{
	for (int i = 0; res && i < v->claims.n; i++) {
		json_object_put(res[i].figures);
		json_object_put(res[i].chart);
	}
	for (int i = 0; i < v->nruns; i++) {
		free(v->runs[i].spec);
		json_object_put(v->runs[i].report);
		json_object_put(v->runs[i].timeline);
	}
	free(v->runs);
	json_object_put(v->run_index);
	free(v->selected);
	free(res);
	claims_free(&v->claims);
}

int verify_main(int argc, char **argv)
{
	struct argp argp = { options, parse_opt, "[CLAIM-ID|ID-PREFIX|SCENARIO...]",
			     "Check the textbook's claims on this kernel: run the scenarios each "
			     "claim names and decide its verdict from the figures.\v"
			     "An argument selects a claim by id (pipe.eof), every claim of a prefix "
			     "(zc), or every claim that runs a scenario (sendfile); none: all.\n\n"
			     "Exit status: 0 every claim got a verdict (refuted is a finding, not "
			     "an error); 1 a scenario could not run; 2 bad input; 128+N stopped "
			     "by signal N.\n\n"
			     "Examples:\n"
			     "  ipctrace verify                       # every claim, about 10 s\n"
			     "  ipctrace verify --list                # the claims, nothing run\n"
			     "  ipctrace verify pipe.eof zc           # a claim, and a prefix\n"
			     "  ipctrace verify --json -o v.json      # for ipctrace compare\n"
			     "  ipctrace verify --html report.html    # one self-contained page\n"
			     "  ipctrace verify --claims my.claims    # your own claims",
			     bpflog_argp_children, NULL, NULL };
	struct verify v = {};
	struct claim_result *res = NULL;
	char err[512], *text;
	const char *name;
	struct outfile out = { .f = stdout, .dirfd = -1 }, html = { .dirfd = -1 };
	static const char who[] = "ipctrace verify";
	int rc = EXIT_USAGE;

	if (argp_parse(&argp, argc, argv, 0, NULL, &v))
		return EXIT_USAGE;
	name = v.claims_file ? v.claims_file : "textbook.claims";
	text = v.claims_file ? read_claims(v.claims_file) : strdup(builtin_claims);
	if (!text)
		return EXIT_USAGE;
	if (claims_parse(text, name, &v.claims, err, sizeof(err))) {
		text_error("ipctrace verify", "%s", err);
		free(text);
		return EXIT_USAGE;
	}
	free(text);
	if (check_runs(&v, name) || select_claims(&v))
		goto done;
	if (list_only) {
		for (int i = 0; i < v.claims.n; i++)
			if (v.selected[i])
				list_claim(&v.claims.v[i]);
		rc = EXIT_OK;
		goto done;
	}
	if ((v.output && outfile_open(&out, v.output, who)) ||
	    (v.html && outfile_open(&html, v.html, who)) || outfile_distinct(&out, &html, who))
		goto done;
	rc = run_all(&v);
	res = calloc(v.claims.n, sizeof(*res));
	for (int i = 0; res && i < v.claims.n; i++)
		if (v.selected[i])
			claim_evaluate(&v.claims.v[i], report_of, &v, &res[i]);
	if (!res) {
		rc = EXIT_FAIL;
		goto done;
	}
	if (v.json) {
		struct json_object *o = result_json(&v, res);

		report_print_json(o, out.f);
		json_object_put(o);
	} else {
		print_text(&v, res, out.f);
	}
	if (html.f)
		write_html(&v, res, html.f);
	if ((outfile_commit(&out, who) | outfile_commit(&html, who)) && !rc)
		rc = EXIT_FAIL;
	for (int i = 0; !rc && i < v.claims.n; i++)
		if (v.selected[i] && res[i].verdict == V_ERROR)
			rc = EXIT_FAIL; /* a scenario could not run */
done:
	outfile_abort(&out); /* not written out: an existing file stays as it was */
	outfile_abort(&html);
	verify_free(&v, res);
	return rc;
}
