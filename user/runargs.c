// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bpflog.h"
#include "cli.h"
#include "parse.h"
#include "runargs.h"
#include "sweep.h"
#include "textsafe.h"

enum { OPT_KEY_COLD = 0x100, OPT_KEY_REPEAT };

static struct argp_option run_options[] = {
	{ "size", 's', "BYTES", 0,
	  "bytes to transfer; K, M, G, T (or KiB, MiB...) are powers of 1024, "
	  "KB, MB... are refused as ambiguous", 0 },
	{ "block", 'b', "BYTES", 0, "bytes per call, suffixes as for --size", 0 },
	{ "to", 't', "KIND", 0,
	  "where the data goes, or by what means: the kinds each scenario takes are "
	  "listed below", 0 },
	{ "cold", OPT_KEY_COLD, NULL, 0,
	  "evict the source file from the page cache first (the scenarios marked below)", 0 },
	{ "json", 'j', NULL, 0, "print the report as JSON (schema 2)", 0 },
	{ "timeline", 'T', NULL, 0, "record events and show one unit of work as a timeline", 0 },
	{ "svg", 'S', "FILE", 0, "write the timeline (with --sweep: the charts) as SVG to FILE", 0 },
	{ "sweep", 'W', "PARAM=LIST", 0, "run once per value of size or block (block=4K,64K); chart them", 0 },
	{ "repeat", OPT_KEY_REPEAT, "N", 0,
	  "with --sweep: N runs per value (1-99), charted as median and min-max", 0 },
	{ "output", 'o', "FILE", 0, "write the report to FILE instead of stdout", 0 },
	{ 0 },
};

/*
 * Report a usage error: kept in run_args, printed by argp unless told not
 * to; escaped (textsafe.h), as it quotes the command line or a claims file.
 */
static error_t bad(struct argp_state *state, const char *fmt, ...)
{
	struct run_args *a = state->input;
	char msg[sizeof(a->err)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	text_safe(msg, a->err, sizeof(a->err));
	argp_error(state, "%s", a->err);
	return EINVAL;
}

static error_t size_arg(struct argp_state *state, const char *opt, const char *arg,
			uint64_t *out)
{
	const char *why;

	if (parse_size(arg, out, &why))
		return bad(state, "%s '%s': %s", opt, arg, why);
	return 0;
}

static error_t repeat_arg(struct argp_state *state, const char *arg, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || end == arg || *end || n < 1 || n > SWEEP_REPEAT_MAX)
		return bad(state, "--repeat '%s': a whole number of runs from 1 to %d", arg,
			   SWEEP_REPEAT_MAX);
	*out = (int)n;
	return 0;
}

static error_t run_parse(int key, char *arg, struct argp_state *state)
{
	struct run_args *a = state->input;

	switch (key) {
	case 's':
		return size_arg(state, "--size", arg, &a->opts.size);
	case 'b':
		return size_arg(state, "--block", arg, &a->opts.block);
	case 't':
		a->opts.to = arg;
		return 0;
	case OPT_KEY_COLD:
		a->opts.cold = true;
		return 0;
	case 'j':
		a->json = true;
		return 0;
	case 'T':
		a->opts.timeline = true;
		return 0;
	case 'S':
		a->svg = arg;
		return 0;
	case 'W':
		a->sweep = arg;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_KEY_REPEAT:
		return repeat_arg(state, arg, &a->repeat);
	case ARGP_KEY_ARG:
		if (a->sc)
			return bad(state, "one scenario at a time ('%s' is extra)", arg);
		a->sc = scenario_find(arg);
		if (!a->sc) {
			struct suggest sg;
			const char *near;

			suggest_init(&sg, arg);
			for (int i = 0; scenarios[i]; i++)
				suggest_offer(&sg, scenarios[i]->name);
			near = suggest_best(&sg);
			if (near)
				return bad(state, "unknown scenario '%s'; did you mean '%s'? "
					   "(ipctrace list shows them)", arg, near);
			return bad(state, "unknown scenario '%s' (ipctrace list shows them)", arg);
		}
		return 0;
	case ARGP_KEY_END:
		if (!a->sc)
			return bad(state, "which scenario? (ipctrace list shows them)");
		/* --svg draws the timeline, unless it draws a sweep */
		if (a->svg && !a->sweep)
			a->opts.timeline = true;
		if (a->sweep && a->opts.timeline)
			return bad(state, "--timeline shows one run: not with --sweep");
		if (a->repeat && !a->sweep)
			return bad(state, "--repeat repeats the runs of a sweep: with --sweep");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

/* 16M, 64K, 100: a size as it is typed */
static const char *size_text(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (u < 3 && v >= 1024 && !(v & 1023)) {
		v >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu%.*s", (unsigned long long)v, u >= 0, u >= 0 ? &units[u] : "");
	return buf;
}

/* run --help ends with each scenario's options and their defaults, then examples */
static char *run_help_filter(int key, const char *text, void *input __attribute__((unused)))
{
	char *out = NULL, sz[32], bl[32];
	size_t len = 0;
	FILE *f;
	int w = 0;

	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	f = open_memstream(&out, &len);
	if (!f)
		return (char *)text;
	for (int i = 0; scenarios[i]; i++)
		if ((int)strlen(scenarios[i]->name) > w)
			w = strlen(scenarios[i]->name);
	fprintf(f, "Scenarios ('ipctrace list' says what each does), the options each takes "
		   "and their defaults (the first --to kind is the default):\n");
	for (int i = 0; scenarios[i]; i++) {
		const struct scenario *sc = scenarios[i];

		fprintf(f, "  %-*s ", w, sc->name);
		if (sc->opts & OPT_SIZE)
			fprintf(f, " --size %s", size_text(sc->default_size, sz, sizeof(sz)));
		if (sc->opts & OPT_BLOCK)
			fprintf(f, " --block %s", size_text(sc->default_block, bl, sizeof(bl)));
		if (sc->opts & OPT_TO)
			fprintf(f, " --to %s", sc->to_kinds ? sc->to_kinds : "KIND");
		if (sc->opts & OPT_COLD)
			fprintf(f, " --cold");
		if (!sc->opts)
			fprintf(f, " (no options)");
		fputc('\n', f);
	}
	if (text)
		fprintf(f, "\n%s", text);
	if (fclose(f)) {
		free(out);
		return (char *)text;
	}
	return out;
}

const struct argp run_argp = {
	run_options, run_parse, "SCENARIO",
	"Run a scenario under the tracer and report what the kernel did: CPU copies "
	"by direction, page references, DMA, page cache, faults, mode and context "
	"switches, per unit of work.\v"
	"Exit status: 0 the run completed; 1 it failed or was cut short (the report "
	"says so); 2 bad input (nothing was run); 128+N stopped by signal N.\n\n"
	"Examples:\n"
	"  ipctrace run pipe                       # 16 MiB in 64 KiB writes\n"
	"  ipctrace run pipe --size 1M --block 4K  # smaller writes, more calls\n"
	"  ipctrace run sendfile --to tcp --cold   # from disk to TCP, no copy\n"
	"  ipctrace run notify-cost --to futex     # the cost of one wake-up\n"
	"  ipctrace run pipe --json -o pipe.json   # the report as JSON\n"
	"  ipctrace run sendfile --timeline        # one unit of work, by event\n"
	"  ipctrace run pipe --svg pipe.svg        # that timeline as SVG\n"
	"  ipctrace run pipe --sweep block=4K,64K,1M --svg sweep.svg",
	bpflog_argp_children, run_help_filter, NULL,
};

int run_args_from_spec(const char *spec, struct run_args *a, char *buf, size_t len)
{
	char *argv[32] = { "run" }, *save = NULL, *w;
	int argc = 1;

	memset(a, 0, sizeof(*a));
	/* cut to @buf or to argv, the spec would run something else than it says */
	if (strlen(spec) >= len) {
		snprintf(a->err, sizeof(a->err), "a run spec has at most %zu bytes", len - 1);
		return -1;
	}
	snprintf(buf, len, "%s", spec);
	for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (argc == 31) {
			snprintf(a->err, sizeof(a->err), "a run spec has at most 30 words");
			return -1;
		}
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	if (argp_parse(&run_argp, argc, argv, ARGP_NO_EXIT | ARGP_NO_ERRS | ARGP_NO_HELP, NULL, a)) {
		if (!a->err[0])
			snprintf(a->err, sizeof(a->err), "bad options in '%s'", spec);
		return -1;
	}
	if (a->json || a->output || a->svg || a->sweep || a->repeat) {
		snprintf(a->err, sizeof(a->err),
			 "--json, -o, --svg, --sweep and --repeat have no place in a run spec");
		return -1;
	}
	return 0;
}
