// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "compiler.h"

static error_t help_parse(int key, char *arg UNUSED, struct argp_state *state)
{
	if (key != 'h' || (state->flags & ARGP_NO_HELP))
		return ARGP_ERR_UNKNOWN;
	argp_state_help(state, stdout, ARGP_HELP_STD_HELP); /* exits 0 */
	return 0;
}

static const struct argp_option help_options[] = {
	{ NULL, 'h', NULL, OPTION_HIDDEN, "give this help list", 0 },
	{ 0 },
};

static const struct argp help_argp = { help_options, help_parse, NULL, NULL, NULL, NULL, NULL };

const struct argp_child cli_children[] = {
	{ &help_argp, 0, NULL, 0 },
	{ 0 },
};

/* optimal string alignment distance; names are short (cut at 63 bytes) */
static size_t distance(const char *a, const char *b)
{
	size_t n = strnlen(a, 63), m = strnlen(b, 63), d[64][64];

	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

void suggest_init(struct suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->dist = (size_t)-1;
}

void suggest_offer(struct suggest *s, const char *name)
{
	size_t d;

	if (!s->word || !name)
		return;
	d = distance(s->word, name);
	if (d < s->dist) {
		s->dist = d;
		s->best = name;
	}
}

const char *suggest_best(const struct suggest *s)
{
	size_t len = s->word ? strlen(s->word) : 0;
	/* one edit in a short word, two in a longer one, three from 9 bytes */
	size_t most = len < 5 ? 1 : len < 9 ? 2 : 3;

	return s->best && s->dist && s->dist <= most && s->dist < len ? s->best : NULL;
}
