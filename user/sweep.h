/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* --sweep: one scenario across values of one parameter. */
#ifndef SWEEP_H
#define SWEEP_H

#include <stdio.h>
#include <json-c/json.h>
#include "scenario.h"

#define SWEEP_MAX 16

enum sweep_param { SWEEP_SIZE, SWEEP_BLOCK };

#define SWEEP_SERIES 7
#define SWEEP_REPEAT_MAX 99

struct sweep {
	enum sweep_param param;
	uint64_t values[SWEEP_MAX];
	char typed[SWEEP_MAX][24]; /* each value as it was typed: 64K */
	int n;
	int repeat; /* runs per value: 1 unless --repeat */
};

/* One figure at one value over the runs: NAN when no run gave it. */
struct sweep_spread {
	double min, median, max;
};

struct sweep_stats {
	int done; /* values run */
	int runs; /* per value */
	struct sweep_spread at[SWEEP_MAX][SWEEP_SERIES];
};

/* The name of series @s (< SWEEP_SERIES): "throughput (MB/s)". */
const char *sweep_series_label(int s);
/* The median, min and max of @n values (not finite ones left out). */
struct sweep_spread sweep_spread_of(double *v, int n);

/* "block=64,4K,64K": 0, or -1 with the reason in @err. */
int sweep_parse(const char *spec, struct sweep *sw, char *err, size_t len);
/*
 * Run the scenario sw->repeat times per value: rows [{value, exit, params, figures}]
 * in *out (figures: the medians; with repeats also runs, figures_min,
 * figures_max), the spreads in *st; the last exit code.
 */
int sweep_run(const struct scenario *sc, const struct run_opts *base, const struct sweep *sw,
	      struct sweep_stats *st, struct json_object **out);
void sweep_print_text(const struct sweep *sw, const struct sweep_stats *st, const char *param,
		      FILE *out);
/* Small charts, one a figure that varies; the constant ones named above them. */
int sweep_write_svg(const struct sweep *sw, const struct sweep_stats *st, const char *title,
		    const char *param, FILE *out);
/*
 * What --json prints (REPORT_SCHEMA, docs/schema/sweep.json): {schema, tool,
 * scenario, param, rows: [{value, exit, params, figures: {series key: value}}]}
 * (with --repeat also runs, figures_min, figures_max), the values numbers
 * rounded to 3 decimals, the keys without units' labels.
 */
struct json_object *sweep_json(struct json_object *rows, const char *scenario, const char *param);

#endif
