// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The tables of attach.def and figures.def, and what is computed from a row. */
#include <stdio.h>
#include <string.h>
#include "registry.h"

const struct figure_group_def figure_group_defs[NR_FIGURE_GROUPS] = {
#define GROUP(ID, NAME, WHAT) [FGB_##ID] = { NAME, WHAT },
#include "figures.def"
};

#define TP NULL
#define PROG(name) #name
const struct attach_def attach_defs[NR_ATTACH_POINTS] = {
#define POINT(ID, KIND, TARGET, PROG, REQUIRED, GROUP, FEEDS, WHAT) \
	[AP_##ID] = { #ID, KIND, TARGET, PROG, REQUIRED, GROUP, FEEDS, WHAT },
#include "attach.def"
};
#undef TP
#undef PROG

int attach_find(const char *target, enum attach_kind kind)
{
	size_t n = strlen(target);

	for (int i = 0; i < NR_ATTACH_POINTS; i++) {
		const char *s = attach_defs[i].target;

		if (attach_defs[i].kind != kind)
			continue;
		if (!strcmp(s, target))
			return i;
		for (; *s; s += strcspn(s, "|"), s += *s == '|')
			if (!strncmp(s, target, n) && (s[n] == '|' || !s[n]))
				return i;
	}
	return -1;
}

const char *const section_titles[NR_SECTIONS] = {
#define SECTION(ID, TITLE) [SEC_##ID] = TITLE,
#include "figures.def"
};

/* The columns of a row, as designated initializers of struct figure_def. */
#define TOP -1
#define UNDER(ID) FIG_##ID
#define COUNT(e) .shape = FS_COUNT, .expr = #e
#define CELL(c) .shape = FS_CELL, .column = c, .expr = #c
#define SPECIAL(s) .shape = s
#define PTS(...)                                                                     \
	.points = { __VA_ARGS__ },                                                   \
	.npoints = sizeof((enum attach_id[]){ __VA_ARGS__ }) / sizeof(enum attach_id)
const struct figure_def figure_defs[NR_FIGURES] = {
#define FIGURE(ID, PATH, SECTION, PARENT, LABEL, VALUE, METHOD, POINTS, HOW)        \
	[FIG_##ID] = { .id = #ID, .path = PATH, .section = SECTION, .parent = PARENT, \
		       .label = LABEL, VALUE, .method = METHOD, POINTS, .how = HOW },
#include "figures.def"
};
#undef COUNT
#undef CELL
#undef SPECIAL

__u64 figure_value(enum fig_id id, const struct figures *f)
{
	const struct ipct_counters *k = &f->k;

	(void)k;
	switch (id) {
#define COUNT(e) return (e);
#define CELL(c) return f->col[c].bytes;
#define SPECIAL(s) return 0;
#define FIGURE(ID, PATH, SECTION, PARENT, LABEL, VALUE, METHOD, POINTS, HOW) \
	case FIG_##ID:                                                        \
		VALUE
#include "figures.def"
#undef COUNT
#undef CELL
#undef SPECIAL
	default:
		return 0;
	}
}

unsigned figure_groups_of(const struct figure_def *d)
{
	unsigned g = 0;

	for (int i = 0; i < d->npoints; i++)
		g |= attach_defs[d->points[i]].group;
	return g;
}

const char *figure_group_name(const struct figure_def *d, char *buf, size_t len)
{
	const char *dot = strchr(d->path, '.');

	snprintf(buf, len, "%.*s", dot ? (int)(dot - d->path) : 0, d->path);
	return buf;
}

const char *figure_key(const struct figure_def *d)
{
	const char *dot = strchr(d->path, '.');

	return dot ? dot + 1 : d->path;
}
