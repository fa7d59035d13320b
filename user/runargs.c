// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "parse.h"
#include "runargs.h"
#include "textsafe.h"

enum { OPT_KEY_COLD = 0x100 };

static struct argp_option run_options[] = {
	{ "size", 's', "BYTES", 0, "bytes to transfer (K, M, G suffixes)", 0 },
	{ "block", 'b', "BYTES", 0, "bytes per call (K, M, G suffixes)", 0 },
	{ "to", 't', "KIND", 0, "sendfile destination: tcp, unix, pipe or file", 0 },
	{ "cold", OPT_KEY_COLD, NULL, 0, "evict the source file from the page cache first", 0 },
	{ "json", 'j', NULL, 0, "print the report as JSON (schema 1)", 0 },
	{ "timeline", 'T', NULL, 0, "record events and show one unit of work as a timeline", 0 },
	{ "svg", 'S', "FILE", 0, "write the timeline (with --sweep: the charts) as SVG to FILE", 0 },
	{ "sweep", 'W', "PARAM=V1,V2,...", 0, "run once per value of size or block; chart them", 0 },
	{ "output", 'o', "FILE", 0, "write the report to FILE instead of stdout", 0 },
	{ NULL },
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
	case ARGP_KEY_ARG:
		if (a->sc)
			return bad(state, "one scenario at a time ('%s' is extra)", arg);
		a->sc = scenario_find(arg);
		if (!a->sc)
			return bad(state, "unknown scenario '%s' (ipctrace list shows them)", arg);
		return 0;
	case ARGP_KEY_END:
		if (!a->sc)
			return bad(state, "which scenario? (ipctrace list shows them)");
		/* --svg draws the timeline, unless it draws a sweep */
		if (a->svg && !a->sweep)
			a->opts.timeline = true;
		if (a->sweep && a->opts.timeline)
			return bad(state, "--timeline shows one run: not with --sweep");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}


const struct argp run_argp = { run_options, run_parse, "SCENARIO",
			       "Run a scenario under the tracer and report what the kernel did.",
			       NULL, NULL, NULL };

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
	if (a->json || a->output || a->svg || a->sweep) {
		snprintf(a->err, sizeof(a->err), "--json, -o, --svg and --sweep have no place in a run spec");
		return -1;
	}
	return 0;
}
