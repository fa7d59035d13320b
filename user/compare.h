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
 *             changed_figures: {path: [..]}}], differing }
 * A claim or figure a kernel lacks is null there; verdicts and figures differ
 * when they do among the kernels that checked the claim.
 */
struct json_object *compare_build(struct json_object **docs, const char **names, int n);
void compare_print_text(struct json_object *cmp, FILE *out);
/* One line for kernel @k of @cmp: release, probes by method, claims by verdict. */
void compare_print_summary(struct json_object *cmp, int k, FILE *out);
int compare_main(int argc, char **argv);

#endif
