/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What this kernel lets us see, decided once before load. */
#ifndef PROBE_H
#define PROBE_H

#include <stdbool.h>
#include <stdio.h>
#include "registry.h"

struct bpf_object;

/* "faults,switches" -> mask; -1 (and @bad the word) on an unknown name. */
int figure_groups_parse(const char *list, unsigned *mask, char *bad, size_t len);
/* The names of @mask, comma-separated ("all" when nothing is left out). */
void figure_groups_name(unsigned mask, char *buf, size_t len);
extern const char *const figure_groups_help;

/* One attach point (a row of attach.def) and what the probe found. */
struct attach_point {
	const char *feeds;   /* report figure(s) it feeds */
	enum attach_kind kind;
	const char *target;  /* tracepoint or kernel function; "a|b": first found */
	const char *what;    /* how the figure is obtained from it */
	bool required;       /* ipctrace refuses to run without it */
	unsigned group;      /* enum figure_group */
	/* filled by probe_kernel() */
	bool available;
	const char *found;   /* the name that matched */
	char reason[96];     /* why not, when unavailable */
	int btf_id;          /* found's btf_trace_<name> typedef or function in the kernel's BTF */
	int nargs;           /* a tracepoint's arguments, from its btf_trace_ type; -1: not read */
};

#define PROBE_MAX_POINTS 40

struct probe_table {
	struct attach_point *points;
	int n;
	bool btf_ok;
	char btf_error[160];
	char core_btf[32]; /* the CO-RE BTF for libbpf (corebtf.h), "" for the kernel's */
	__u32 kiocb_btf_id; /* struct kiocb's id where bpf_rdonly_cast is (6.2), else 0 */
	__u32 task_btf_id;  /* struct task_struct's, the same way */
	__u32 rdonly_cast_btf_id; /* the kfunc bpf_rdonly_cast's, where both structs are, else 0 */
	__u32 iter_task_btf_id;   /* the task iterator's target (-p's gate_threads), else 0 */
	/* what the load hook writes into bpf/fdclass.bpf.h's casts: the kfunc's id, or 0 for a move */
	__u32 cast_kfunc_id;
	struct attach_point own[PROBE_MAX_POINTS]; /* probe_kernel()'s copy, for this table */
};

/*
 * Where copies are observed (enum ipct_obs_site): the report key and the
 * attach point (its row says the fexit program, if any).
 */
struct obs_site {
	const char *key;      /* observed_copies.<key> */
	const char *label;    /* text report */
	enum attach_id point;
};

extern const struct obs_site obs_sites[];

/* Check every attach point against this kernel's BTF (and a test load for fentry). */
void probe_kernel(struct probe_table *t, bool test_fentry, bool core_btf);
/* Take every point outside @groups for absent, with the reason (before probe_apply). */
void probe_restrict(struct probe_table *t, unsigned groups);
/* The entry for a tracepoint or function name, NULL if not in the table. */
const struct attach_point *probe_find(const struct probe_table *t, const char *target);
bool probe_available(const struct probe_table *t, const char *target);
/* The first of attach points @ids[0..n) that @t does not have, -1 when all are there. */
int probe_first_missing(const struct probe_table *t, const enum attach_id *ids, int n);
/* Whether figure @id (figures.def) can be counted: every point it needs is there. */
bool probe_figure_available(const struct probe_table *t, enum fig_id id);
/* Before any BPF object is opened: ipctrace loads its "tp_btf/" and "iter/task" programs itself. */
int probe_handle_sections(void);
/*
 * Switch off (before load) every program of @obj whose tracepoint is
 * missing; the others load with the type ids the probe found (unless
 * @whole_btf: libbpf then reads the kernel's BTF, as the tests compare).
 */
int probe_apply(const struct probe_table *t, struct bpf_object *obj, bool whole_btf, FILE *warn);
void probe_print(const struct probe_table *t, FILE *out);
struct json_object *probe_json(const struct probe_table *t);

#endif /* PROBE_H */
