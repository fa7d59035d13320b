/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How text output looks, one way for every command: numbers (one
 * formatter, thousands separators everywhere), the width a line may take
 * (80 columns, more only on a wider terminal), colour (a terminal only,
 * never with NO_COLOR set) and how much is shown (-v: every row).
 */
#ifndef TEXTFMT_H
#define TEXTFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Width of text output when stdout is not a terminal, or a narrower one. */
#define TEXT_WIDTH 80

/* @v with a comma every three digits ("16,777,216", "-1,000"); returns @buf. */
const char *fmt_count(long long v, char *buf, size_t len);
/*
 * A measured ratio (per unit of work, a rate): a whole number as fmt_count,
 * else grouped the same way with at most 3 decimals, trailing zeros cut
 * ("1.016", "65,536", "0.5"); NaN and infinities as "n/a". Returns @buf.
 */
const char *fmt_real(double v, char *buf, size_t len);
/* Bytes scaled for a summary: "16.0 MiB", "512 B" (binary units). Returns @buf. */
const char *fmt_bytes(double v, char *buf, size_t len);

/*
 * Item @s put on a line of @out at column *@col, after a space, or on a
 * new line indented by @indent when it would pass @width; *@col follows.
 */
void text_wrap(FILE *out, int *col, int width, int indent, const char *s);

/*
 * @text after @prefix, wrapped at @width word by word, and a newline; a
 * word longer than a line is cut (when the line has 10 columns or more).
 */
void text_wrap_words(FILE *out, const char *prefix, const char *text, int width);

/* Columns a line of @out may take: 80, or a terminal's width when wider. */
int text_width(FILE *out);
/* Colour on @out: a terminal, and NO_COLOR unset or empty (no-color.org). */
bool text_colour(FILE *out);

/* A blank line, then the heading printf(@fmt, ...) and a newline: bold when colour is on. */
void text_heading(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* -v once: every row and every probe's reason; twice: libbpf's log too. */
void text_set_verbosity(int level);
int text_verbosity(void);

#endif /* TEXTFMT_H */
