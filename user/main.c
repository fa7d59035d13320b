// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace: run Linux IPC workloads and report, from BPF programs on kernel
 * tracepoints, what the kernel did: copies by direction, page references,
 * DMA, page cache, faults, mode and context switches.
 *
 * Commands are a table; each parses its own options with argp.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpflog.h"
#include "cli.h"
#include "compare.h"
#include "runargs.h"
#include "sweep.h"
#include "timeline.h"
#include "cost.h"
#include "outfile.h"
#include "kfeatures.h"
#include "progress.h"
#include "probe.h"
#include "report.h"
#include "report_text.h"
#include "run.h"
#include "trace.h"
#include "verify.h"
#include "scenario.h"
#include "testpoint.h"
#include "textsafe.h"
#include "runner.h"

const char *argp_program_version = "ipctrace " IPCTRACE_VERSION;
const char *argp_program_bug_address = "the project's issue tracker";

struct cmd {
	const char *name;
	const char *summary;
	int (*fn)(int argc, char **argv);
	bool hidden;
};

/* ---- list ------------------------------------------------------------------ */

static error_t list_parse(int key, char *arg, struct argp_state *state)
{
	char safe[TEXT_SAFE_LEN];

	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	argp_error(state, "takes no arguments ('%s')", text_safe(arg, safe, sizeof(safe)));
	return EINVAL;
}

static int cmd_list(int argc, char **argv)
{
	static const struct argp argp = {
		NULL, list_parse, NULL,
		"List the scenarios, one line each: the name 'ipctrace run' takes and what "
		"it does.\vExamples:\n"
		"  ipctrace list\n"
		"  ipctrace run --help    # the options each scenario takes\n"
		"  ipctrace run pipe",
		cli_children, NULL, NULL,
	};
	int w = 0;

	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return EXIT_USAGE;
	for (int i = 0; scenarios[i]; i++)
		if ((int)strlen(scenarios[i]->name) > w)
			w = strlen(scenarios[i]->name);
	for (int i = 0; scenarios[i]; i++)
		printf("%-*s  %s\n", w, scenarios[i]->name, scenarios[i]->summary);
	return EXIT_OK;
}

/* ---- probe ----------------------------------------------------------------- */

static struct argp_option probe_options[] = {
	{ "json", 'j', NULL, 0, "print the table as JSON", 0 },
	{ "cost", 'c', NULL, 0, "measure each program's cost per event (about 4 s)", 0 },
	{ NULL },
};

struct probe_args {
	bool json, cost;
};

static error_t probe_parse(int key, char *arg, struct argp_state *state)
{
	struct probe_args *a = state->input;

	switch (key) {
	case 'j':
		a->json = true;
		return 0;
	case 'c':
		a->cost = true;
		return 0;
	case ARGP_KEY_ARG: {
		char safe[TEXT_SAFE_LEN];

		argp_error(state, "unexpected argument '%s'", text_safe(arg, safe, sizeof(safe)));
		return EINVAL;
	}
	}
	return ARGP_ERR_UNKNOWN;
}

static int cmd_probe(int argc, char **argv)
{
	struct argp argp = { probe_options, probe_parse, NULL,
			     "What this kernel lets ipctrace see, and by which method.\v"
			     "tp_btf tracepoints are checked in the kernel's BTF; fentry "
			     "points by loading and attaching a trivial program.\n\n"
			     "Exit status: 0, or 1 when the kernel has no BTF; 2 bad input.\n\n"
			     "Examples:\n"
			     "  ipctrace probe            # a row per attach point: method, or why not\n"
			     "  ipctrace probe --json\n"
			     "  ipctrace probe --cost     # ns per event of each program",
			     bpflog_argp_children, NULL, NULL };
	struct probe_table t;
	struct probe_args pa = {};
	bool json;

	if (argp_parse(&argp, argc, argv, 0, NULL, &pa))
		return EXIT_USAGE;
	json = pa.json;
	if (pa.cost)
		return probe_cost(2.0, stdout);
	if (geteuid() != 0)
		fprintf(stderr, "ipctrace: not root: fentry test loads will fail (EPERM)\n");
	probe_kernel(&t, true, false);
	if (json) {
		struct json_object *o = report_header(&t);

		json_object_object_add(o, "attach_points", probe_json(&t));
		if (t.btf_ok)
			json_object_object_add(o, "bpf_features", features_json(features_probe(&t)));
		report_print_json(o, stdout);
		json_object_put(o);
	} else {
		probe_print(&t, stdout);
		if (t.btf_ok) {
			char lacks[256];

			features_describe(features_probe(&t), lacks, sizeof(lacks));
			printf("BPF features:%s\n", *lacks ? lacks : " all the object uses");
		}
	}
	return t.btf_ok ? EXIT_OK : EXIT_FAIL;
}

/* ---- run ------------------------------------------------------------------- */

/* --sweep: the scenario once per value, then the table, JSON or charts */
static int cmd_sweep(struct run_args *a, FILE *out, FILE *svg)
{
	struct json_object *rows;
	struct sweep_stats st;
	struct sweep sw;
	char err[128], title[160];
	const char *param;
	int rc;

	if (sweep_parse(a->sweep, &sw, err, sizeof(err))) {
		text_error("ipctrace run", "%s", err); /* it quotes --sweep */
		return EXIT_USAGE;
	}
	param = sw.param == SWEEP_SIZE ? "size" : "block";
	if (!(a->sc->opts & (sw.param == SWEEP_SIZE ? OPT_SIZE : OPT_BLOCK))) {
		fprintf(stderr, "ipctrace run: scenario %s takes no --%s to sweep\n", a->sc->name, param);
		return EXIT_USAGE;
	}
	sw.repeat = a->repeat ? a->repeat : 1;
	snprintf(title, sizeof(title), "ipctrace run %s --sweep %s", a->sc->name, a->sweep);
	progress_start(title);
	rc = sweep_run(a->sc, &a->opts, &sw, &st, &rows);
	progress_stop();
	if (a->json) {
		struct json_object *doc = sweep_json(rows, a->sc->name, param);

		report_print_json(doc, out);
		json_object_put(doc);
	} else
		sweep_print_text(&sw, &st, param, out);
	if (svg) {
		snprintf(title, sizeof(title), "ipctrace run %s --sweep %s", a->sc->name, a->sweep);
		sweep_write_svg(&sw, &st, title, param, svg);
	}
	json_object_put(rows);
	return rc;
}

/* The report of one run (text or JSON, and its timeline) into @out and @svg. */
static void write_run(const struct run_args *a, struct json_object *report, FILE *out, FILE *svg)
{
	struct json_object *tl = json_object_object_get(report, "timeline");

	if (a->json) {
		report_print_json(report, out);
	} else {
		report_print_text(report, out);
		timeline_print_text(tl, out);
	}
	if (svg) {
		char title[128];

		snprintf(title, sizeof(title), "ipctrace run %s: one unit of work", a->sc->name);
		timeline_write_svg(tl, title, svg);
	}
}

static int cmd_run(int argc, char **argv)
{
	static const char who[] = "ipctrace run";
	struct run_args a = {};
	struct json_object *report = NULL;
	struct outfile out = { .f = stdout, .dirfd = -1 }, svg = { .dirfd = -1 };
	bool wrote = false;
	char what[128];
	int rc;

	if (argp_parse(&run_argp, argc, argv, 0, NULL, &a))
		return EXIT_USAGE;
	if ((a.output && outfile_open(&out, a.output, who)) ||
	    (a.svg && outfile_open(&svg, a.svg, who)) || outfile_distinct(&out, &svg, who)) {
		outfile_abort(&out);
		outfile_abort(&svg);
		return EXIT_USAGE;
	}
	if (a.sweep) {
		rc = cmd_sweep(&a, out.f, svg.f);
		wrote = !rc;
		goto done;
	}
	snprintf(what, sizeof(what), "ipctrace run %s", a.sc->name);
	progress_start(what);
	rc = run_scenario(a.sc, &a.opts, &report);
	progress_stop();
	if (report) {
		test_point(TP_REPORT);
		write_run(&a, report, out.f, svg.f);
		json_object_put(report);
		wrote = true;
	}
	if (report && !rc && workload_stop_signal()) { /* the run was over, the report whole */
		fprintf(stderr, "ipctrace: interrupted by signal %d (%s) while writing the report\n",
			workload_stop_signal(), strsignal(workload_stop_signal()));
		rc = 128 + workload_stop_signal();
	}
done:
	/* nothing to report: an existing file stays as it was, no new one is left */
	if (!wrote) {
		outfile_abort(&out);
		outfile_abort(&svg);
	} else if ((outfile_commit(&out, who) | outfile_commit(&svg, who)) && !rc) {
		rc = EXIT_FAIL;
	}
	return rc;
}

static int cmd_worker(int argc, char **argv)
{
	return run_worker(argc - 1, argv + 1);
}

static int cmd_verify(int argc, char **argv)
{
	return verify_main(argc, argv);
}

static int cmd_trace(int argc, char **argv)
{
	return trace_main(argc, argv);
}

static int cmd_compare(int argc, char **argv)
{
	return compare_main(argc, argv);
}

/* ---- dispatch -------------------------------------------------------------- */

static int cmd_help(int argc, char **argv);

static const struct cmd cmds[] = {
	{ "list", "list the scenarios", cmd_list, false },
	{ "probe", "show what this kernel lets ipctrace see, and how", cmd_probe, false },
	{ "run", "run a scenario traced: run SCENARIO [OPTIONS]", cmd_run, false },
	{ "verify", "check the textbook's claims on this kernel: verify [ID|SCENARIO...]",
	  cmd_verify, false },
	{ "trace", "trace any program: trace -- CMD [ARGS...] | -p PID", cmd_trace, false },
	{ "compare", "verify --json outputs side by side: compare A.json B.json", cmd_compare, false },
	{ "help", "this text, or a command's: help COMMAND", cmd_help, false },
	{ "__worker", NULL, cmd_worker, true },
	{ 0 },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: ipctrace COMMAND [OPTIONS]\n\ncommands:\n");
	for (const struct cmd *c = cmds; c->name; c++)
		if (!c->hidden)
			fprintf(out, "  %-8s %s\n", c->name, c->summary);
	fprintf(out, "\n"
		"'ipctrace COMMAND --help' (or -h, or 'ipctrace help COMMAND') shows a\n"
		"command's options. probe, run, verify and trace take -v (every row, zero\n"
		"or not, and why each n/a is n/a; -vv: libbpf's log on stderr too). Exit\n"
		"status: 0 done; 1 failed or cut short; 2 bad input; 128+N stopped by signal\n"
		"N. 'man ipctrace' tells more.\n\n"
		"examples:\n"
		"  ipctrace list\n"
		"  ipctrace run pipe --size 16M --block 64K\n"
		"  ipctrace run sendfile --to tcp --cold\n"
		"  ipctrace verify pipe.eof zc\n"
		"  ipctrace trace -- cp big.iso /tmp\n");
}

/* @hidden_too: __worker, that ipctrace runs but help does not show */
static const struct cmd *cmd_find(const char *name, bool hidden_too)
{
	for (const struct cmd *c = cmds; c->name; c++)
		if ((hidden_too || !c->hidden) && !strcmp(name, c->name))
			return c;
	return NULL;
}

/* a scenario named @name, or nearly: "ipctrace piep" meant "ipctrace run pipe" */
static const char *scenario_near(const char *name)
{
	struct suggest sg;

	if (scenario_find(name))
		return scenario_find(name)->name;
	suggest_init(&sg, name);
	for (int i = 0; scenarios[i]; i++)
		suggest_offer(&sg, scenarios[i]->name);
	return suggest_best(&sg);
}

static void unknown_command(const char *name)
{
	struct suggest sg;
	const char *near;

	suggest_init(&sg, name);
	for (const struct cmd *c = cmds; c->name; c++)
		if (!c->hidden)
			suggest_offer(&sg, c->name);
	near = suggest_best(&sg);
	if (near) {
		text_error("ipctrace", "unknown command '%s'; did you mean '%s'?", name, near);
	} else if ((near = scenario_near(name))) {
		text_error("ipctrace", "unknown command '%s'; did you mean 'ipctrace run %s'?", name,
			   near);
	} else {
		text_error("ipctrace", "unknown command '%s'", name);
	}
	usage(stderr);
}

/* Run @c with argv[0] "ipctrace NAME": argp names the program by it. */
static int cmd_call(const struct cmd *c, int argc, char **argv)
{
	char name[64];
	int rc;

	snprintf(name, sizeof(name), "ipctrace %s", c->name);
	argv[0] = name;
	rc = c->fn(argc, argv);
	if (outfile_close_stdout(name) && !rc)
		rc = EXIT_FAIL;
	return rc;
}

/* help [COMMAND]: the command's own --help */
static int cmd_help(int argc, char **argv)
{
	const struct cmd *c;
	char opt[] = "--help", *args[] = { NULL, opt, NULL };

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "ipctrace help: one command at a time\n");
		return EXIT_USAGE;
	}
	c = cmd_find(argv[1], false);
	if (!c) {
		unknown_command(argv[1]);
		return EXIT_USAGE;
	}
	return cmd_call(c, 2, args);
}

int main(int argc, char **argv)
{
	const struct cmd *c;

	argp_err_exit_status = EXIT_USAGE;
	outfile_guard_stdio();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("%s\n", argp_program_version);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	c = cmd_find(argv[1], true);
	if (!c) {
		unknown_command(argv[1]);
		return EXIT_USAGE;
	}
	return cmd_call(c, argc - 1, argv + 1);
}
