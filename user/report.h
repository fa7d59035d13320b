/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reports. The JSON object (REPORT_SCHEMA, docs/json.md) is built once and is the single
 * source of the text report too (report_text.h), so the two cannot disagree.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>
#include <json-c/json.h>
#include "figures.h"
#include "probe.h"

/* the layout of every --json output; docs/json.md says what each version changed */
#define REPORT_SCHEMA 2

/* Figures in the report's shape; @units > 0 divides every count by it. */
struct json_object *figures_json(const struct figures *f, const struct probe_table *probes,
				 __u64 units, const char *nic_reason);
/* A number: an integer, or (per unit) a double rounded to 3 decimals. */
struct json_object *json_num(__u64 value, __u64 units);
/* @d rounded to 3 decimals, printed without trailing zeros. */
struct json_object *json_round3(double d);

/* observed_copies.<site>.<key>: the key of each iov_iter class (enum ipct_iter_class) */
extern const char *const iter_class_keys[NR_ITER_CLASSES];

struct json_object *report_header(const struct probe_table *probes);
void report_print_json(struct json_object *report, FILE *out);

#endif /* REPORT_H */
