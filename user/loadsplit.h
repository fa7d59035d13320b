/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The object's programs verified on two CPUs at once (loadsplit.c): a
 * second copy of the object, sharing the first one's maps, loads in a
 * thread beside it; each tp_btf program is verified by whichever copy
 * reaches it first, the other loads a two-instruction stub in its place.
 */
#ifndef LOADSPLIT_H
#define LOADSPLIT_H

#include <pthread.h>
#include <stdbool.h>

struct bpf_object;
struct bpf_program;
struct bpf_prog_load_opts;

#define SPLIT_MAX_PROGS 64

struct load_split {
	struct bpf_object *obj[2]; /* [0] the main copy (owns the maps), [1] the helper's */
	struct bpf_program *prog[2][SPLIT_MAX_PROGS]; /* the same program in each copy */
	int n;
	unsigned char owner[SPLIT_MAX_PROGS]; /* 0: nobody yet, 1 + copy: verified there */
	bool maps_ready, main_done;
	int helper_err;
	int (*stop)(void);
	int (*attach)(void *); /* the helper's copy, once loaded: in its thread */
	void *attach_arg;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool started;
};

/* Whether a second copy can help: this process may run on a second CPU. */
bool split_worth_it(void);
/*
 * Start the helper: it waits for the main copy's maps, takes them, loads
 * @helper beside the caller's load of @main, then attaches it with
 * @attach(@arg) while the main copy may still be loading. @helper is
 * opened and configured as @main is. False: no second CPU, or no thread:
 * load alone.
 */
bool split_start(struct load_split *s, struct bpf_object *main, struct bpf_object *helper,
		 int (*stop)(void), int (*attach)(void *), void *arg);
/* The main copy is loaded: let go of its stubs, before it is attached. */
void split_main_loaded(struct load_split *s);
/* After the main copy's load and attach (@main_err): wait for the helper; 0, or why it failed. */
int split_finish(struct load_split *s, int main_err);
/* From the tp_btf load hook: stub @prog out in @opts if the other copy verifies it. */
int split_take(struct bpf_program *prog, struct bpf_prog_load_opts *opts);
/* The instance of @prog (a program of the main copy) that was verified. */
const struct bpf_program *split_real(const struct load_split *s, const struct bpf_program *prog);

#endif /* LOADSPLIT_H */
