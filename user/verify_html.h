/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * `ipctrace verify --html`: the verification as one self-contained page
 * (HTML, its CSS, inline SVG charts and timelines). verify.c decides what
 * goes on it and in which order; this writes it.
 */
#ifndef VERIFY_HTML_H
#define VERIFY_HTML_H

#include <stdio.h>
#include <json-c/json.h>
#include "claims.h"

/* The page's head and the run's line: @summary is what verify --json prints. */
void verify_html_begin(FILE *out, struct json_object *summary);
/* A section's title, before its first claim. */
void verify_html_section(FILE *out, const char *title);
/*
 * One claim: verdict, statement, quote, evidence, its chart if it has one,
 * and @timeline (recorded in a run of its own of @spec), when not NULL.
 */
void verify_html_claim(FILE *out, const struct claim *c, const struct claim_result *res,
		       struct json_object *timeline, const char *spec);
void verify_html_end(FILE *out);

#endif /* VERIFY_HTML_H */
