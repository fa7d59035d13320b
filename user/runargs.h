/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The options of `ipctrace run`, shared with the run specs of claims files. */
#ifndef RUNARGS_H
#define RUNARGS_H

#include <argp.h>
#include <stdbool.h>
#include "scenario.h"

struct run_args {
	const struct scenario *sc;
	struct run_opts opts;
	bool json;
	const char *output;
	const char *svg;   /* --svg FILE: the timeline (or the sweep's charts) as SVG */
	const char *sweep; /* --sweep PARAM=V1,V2,... */
	int repeat;        /* --repeat N: runs per value of a sweep (0: not given) */
	char err[256]; /* the parse error, when argp is told not to print it */
};

extern const struct argp run_argp;

/*
 * Parse "SCENARIO [OPTIONS]" (a claims file's run spec) without printing or
 * exiting: 0, or -1 with the reason in a->err. @buf keeps the split words
 * that a->opts.to may point into.
 */
int run_args_from_spec(const char *spec, struct run_args *a, char *buf, size_t len);

#endif
