/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* --sweep: one scenario across values of one parameter. */
#ifndef SWEEP_H
#define SWEEP_H

#include <stdio.h>
#include <json-c/json.h>
#include "scenario.h"

#define SWEEP_MAX 16

enum sweep_param { SWEEP_SIZE, SWEEP_BLOCK };

struct sweep {
	enum sweep_param param;
	uint64_t values[SWEEP_MAX];
	int n;
};

/* "block=64,4K,64K": 0, or -1 with the reason in @err. */
int sweep_parse(const char *spec, struct sweep *sw, char *err, size_t len);
/* Run the scenario once per value: rows [{value, exit, figures, params}] in *out; the last exit code. */
int sweep_run(const struct scenario *sc, const struct run_opts *base, const struct sweep *sw,
	      struct json_object **out);
/*
 * What --json prints (REPORT_SCHEMA, docs/schema/sweep.json): {schema, tool,
 * scenario, param, rows: [{value, exit, params, figures: {series key: value}}]},
 * the values numbers rounded to 3 decimals, the keys without units' labels.
 */
struct json_object *sweep_json(struct json_object *rows, const char *scenario, const char *param);
void sweep_print_text(struct json_object *rows, const char *param, FILE *out);
int sweep_write_svg(struct json_object *rows, const char *title, const char *param, FILE *out);

#endif
