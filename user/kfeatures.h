/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef KFEATURES_H
#define KFEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "probe.h"

struct ipctrace_bpf;

/*
 * What the running kernel's BPF offers that the object's default programs
 * use, each found by a test load before the object's (user/kfeatures.c);
 * bpf/compat.bpf.h cites the commit that brought each.
 */
struct kfeatures {
	bool task_storage;      /* BPF_MAP_TYPE_TASK_STORAGE (5.11) */
	bool fetch_atomics;     /* BPF_ATOMIC | BPF_FETCH (5.12) */
	bool global_ptr_args;   /* pointer arguments to global functions (5.12 or 5.13) */
	bool bpf_loop;          /* bpf_loop() (5.17) */
	bool find_vma;          /* bpf_find_vma() (5.17) */
	bool switch_prev_state; /* sched_switch's prev_state argument (5.18) */
	bool bio_queue_q;       /* block_bio_queue(q, bio): its request queue first (5.10) */
	bool uring_cqe;         /* io_uring_complete(ctx, req, cqe): no fourth argument (6.12) */
	bool rdonly_cast;       /* the kfunc bpf_rdonly_cast (6.2), struct kiocb's id known */
};

/* Probe once per process (@t: the attach points, for sched_switch's type id). */
const struct kfeatures *features_probe(const struct probe_table *t);
/*
 * Configure @skel (opened, not loaded) for @f: map types, globals, which of
 * two programs loads, and global functions the kernel cannot verify as
 * such made static. 0, or a negative errno.
 */
int features_apply(const struct kfeatures *f, struct ipctrace_bpf *skel);
/* One line: what this kernel lacks and what stands in for it ("" when nothing). */
void features_describe(const struct kfeatures *f, char *buf, size_t len);

/* The same as a JSON object of booleans (probe --json: "bpf_features"). */
struct json_object *features_json(const struct kfeatures *f);

#endif /* KFEATURES_H */
