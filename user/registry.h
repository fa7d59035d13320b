/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The registries: every attach point (attach.def) and every figure
 * (figures.def), as tables the probe, the report and the docs iterate.
 */
#ifndef REGISTRY_H
#define REGISTRY_H

#include <stdbool.h>
#include "figures.h"

enum attach_kind { AK_TP_BTF, AK_FENTRY };

/*
 * Groups of figures a trace can leave out (trace --figures): each attach
 * point belongs to one; FG_CORE (syscalls, the copy ledger, the process
 * tree) is always on. A point left out costs nothing: its program is not
 * loaded, and its figures are null with the reason.
 */
enum figure_group_bit {
#define GROUP(ID, NAME, WHAT) FGB_##ID,
#include "figures.def"
	NR_FIGURE_GROUPS,
};

enum figure_group {
	FG_CORE = 0,
#define GROUP(ID, NAME, WHAT) FG_##ID = 1 << FGB_##ID,
#include "figures.def"
	FG_ALL = (1 << NR_FIGURE_GROUPS) - 1,
};

struct figure_group_def {
	const char *name; /* for --figures */
	const char *what;
};

extern const struct figure_group_def figure_group_defs[NR_FIGURE_GROUPS];

enum attach_id {
#define POINT(ID, ...) AP_##ID,
#include "attach.def"
	NR_ATTACH_POINTS,
};

struct attach_def {
	const char *id;     /* "SYS_ENTER" */
	enum attach_kind kind;
	const char *target; /* tracepoint or function; "a|b": the first found */
	const char *prog;   /* fexit: its program in the BPF object; tp_btf: NULL */
	bool required;
	unsigned group;     /* enum figure_group */
	const char *feeds;
	const char *what;
};

extern const struct attach_def attach_defs[NR_ATTACH_POINTS];

/* The row of @target (a TARGET as written, or one of its alternatives); -1: none. */
int attach_find(const char *target, enum attach_kind kind);

enum fig_section {
	SEC_NONE = 0, /* not a row of a text section (its own table, or none) */
#define SECTION(ID, TITLE) SEC_##ID,
#include "figures.def"
	NR_SECTIONS,
};

extern const char *const section_titles[NR_SECTIONS];

enum fig_id {
#define FIGURE(ID, ...) FIG_##ID,
#include "figures.def"
	NR_FIGURES,
};

/* What report.c builds for a figure. */
enum fig_shape {
	FS_COUNT,    /* a number, or null when a point is missing */
	FS_CELL,     /* a copy-ledger cell: {bytes, ops, method[, derived_bytes]} */
	FS_BY_NAME,  /* syscalls_by_name */
	FS_NIC,      /* null, and dma.nic_reason beside it */
	FS_BY_KIND,  /* by_fd_kind */
	FS_OBSERVED, /* observed_copies */
	FS_UNACCOUNTED, /* not_accounted.by_syscall */
	FS_VM_PEERS, /* copies.user_to_user_peers */
};

#define MAX_FIGURE_POINTS 6

struct figure_def {
	const char *id;       /* "PC_HITS" */
	const char *path;     /* "page_cache.hits", inside a figures object */
	enum fig_section section;
	int parent;           /* enum fig_id of the row this one is part of, or -1 */
	const char *label;
	enum fig_shape shape;
	enum column column;   /* FS_CELL */
	const char *expr;     /* FS_COUNT: the computation as written; FS_CELL: the column */
	enum method method;
	enum attach_id points[MAX_FIGURE_POINTS];
	int npoints;
	const char *how;
};

extern const struct figure_def figure_defs[NR_FIGURES];

/* FS_COUNT: the figure's value; FS_CELL: its bytes; other shapes 0. */
__u64 figure_value(enum fig_id id, const struct figures *f);
/* The --figures groups whose points the figure needs (FG_CORE: none). */
unsigned figure_groups_of(const struct figure_def *d);
/* The group part of d->path ("page_cache"), "" for a top-level figure, in @buf. */
const char *figure_group_name(const struct figure_def *d, char *buf, size_t len);
/* The key inside that group ("hits"). */
const char *figure_key(const struct figure_def *d);

#endif /* REGISTRY_H */
