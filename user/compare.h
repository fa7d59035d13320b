/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `ipctrace compare`: verdicts of `ipctrace verify --json` outputs side by side. */
#ifndef COMPARE_H
#define COMPARE_H

#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>

/* an input is read whole: at most this many bytes (64 MiB) */
#define COMPARE_MAX_BYTES ((size_t)64 << 20)

/* 0 when @doc looks like `ipctrace verify --json` output; else -1, why in @err. */
int compare_check(struct json_object *doc, char *err, size_t len);
/*
 * The comparison of @n checked documents (named @names, e.g. their files):
 * { kernels: [{name, release, probes: {method: count}, summary}],
 *   claims: [{id, statement, verdicts: [..], verdicts_differ, checked_by_all,
 *             changed_figures: {path: [..]},
 *             key_figure: {name, textbook (a chart's only), values: [..]} or null}],
 *   differing }
 * The key figure: the first bar of the claim's chart, else the first figure
 * that changed, else its first figure.
 * A claim or figure a kernel lacks is null there; verdicts and figures differ
 * when they do among the kernels that checked the claim.
 */
struct json_object *compare_build(struct json_object **docs, const char **names, int n);
/*
 * The table: a legend line per kernel ([k] release: probes; verdicts), then
 * a line per claim (marked * when verdicts differ) with its key figure's
 * name and, per kernel, the verdict and that figure; under it the names of
 * the figures that changed. Every string from the files escaped (textsafe.h).
 */
void compare_print_text(struct json_object *cmp, FILE *out);
/* The same as one self-contained HTML page, the changed figures' values included. */
void compare_print_html(struct json_object *cmp, FILE *out);
/* One line for kernel @k of @cmp: release, probes by method, claims by verdict. */
void compare_print_summary(struct json_object *cmp, int k, FILE *out);
int compare_main(int argc, char **argv);

#endif
