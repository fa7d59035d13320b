/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `ipctrace run`: one scenario under the tracer, and its report. */
#ifndef RUN_H
#define RUN_H

#include <json-c/json.h>
#include "scenario.h"

/* Exit codes */
#define EXIT_OK 0
#define EXIT_FAIL 1  /* the run or the tracer failed */
#define EXIT_USAGE 2 /* bad input */

/*
 * Check @opts against the scenario (EXIT_USAGE with a message when they
 * do not fit), run it traced, and return its report in *report. The run's
 * temporary directory, workers and BPF programs are gone on return,
 * whatever happened.
 */
int run_scenario(const struct scenario *sc, const struct run_opts *opts,
		 struct json_object **report);

/* ipctrace __worker SCENARIO SHFD ROLE ARGS...: an exec'd workload process */
int run_worker(int argc, char **argv);

#endif
