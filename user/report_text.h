/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The text report, rendered from the report's JSON (report.h): nothing else. */
#ifndef REPORT_TEXT_H
#define REPORT_TEXT_H

#include <stdio.h>
#include <json-c/json.h>

#include <stdbool.h>

/*
 * The text report: the summary, then the tables with their all-zero rows
 * hidden unless -v (textfmt.h), in the width of @out (80, or a wider terminal).
 */
void report_print_text(struct json_object *report, FILE *out);
/* Its first lines: the figures per unit of work (@trace: of the command), time, throughput. */
void report_print_summary(struct json_object *report, bool trace, FILE *out);
/*
 * observed_copies of figures object @totals: a row per copy caller, the
 * observed bytes beside the ledger's, or why this kernel cannot observe them.
 */
void report_print_observed(struct json_object *totals, FILE *out);

/* Format an exact count with thousands separators, or a per-unit value. */
void format_value(struct json_object *v, char *buf, size_t len);

#endif /* REPORT_TEXT_H */
