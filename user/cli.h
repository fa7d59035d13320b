/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What every command's argp shares: -h as --help, and "did you mean" for names. */
#ifndef CLI_H
#define CLI_H

#include <argp.h>
#include <stddef.h>

/*
 * children of every command's argp: a hidden -h that prints the --help text
 * to stdout and exits 0 (as libbpf-tools do). Not taken when the parse has
 * ARGP_NO_HELP (run specs of claims files): there -h is an unknown option.
 */
extern const struct argp_child cli_children[];

/*
 * The nearest of the names offered to @word, if near enough to be a likely
 * typo (edits, transpositions counted as one): "piep" -> "pipe".
 */
struct suggest {
	const char *word;
	const char *best;
	size_t dist;
};

void suggest_init(struct suggest *s, const char *word);
void suggest_offer(struct suggest *s, const char *name);
/* NULL when no name was near enough */
const char *suggest_best(const struct suggest *s);

#endif
