// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Two copies of the BPF object verified side by side (loadsplit.h).
 *
 * The verifier is ipctrace's start-up: 27 programs took 80 ms of a 90 ms
 * start-up on 6.18 (docs/performance.md, "Start-up, where the time goes"),
 * one after another on one CPU, the other idle. libbpf loads an object's
 * programs in order, in the caller's thread, and a program cannot move
 * from one object to another. So a second copy of the object (the
 * helper's), opened and configured as the first, loads in a thread once
 * the first copy's maps exist, and takes them (bpf_map__reuse_fd()): the
 * kernel sees one set of maps, programs from two loads. Both loads walk
 * the programs in the same order; at each tp_btf program (probe.c's load
 * hook calls split_take()), the first copy to get there claims it and
 * verifies it, the other loads "r0 = 0; exit" in its place, which the
 * verifier passes in microseconds (as a socket filter, see stub()), and
 * never attaches it. The stub's program is released after the load.
 * fexit programs stay with the main copy (libbpf loads those itself,
 * without the hook).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loadsplit.h"

static struct load_split *active; /* split_start()'s, for the load hook */

static void release_stubs(struct load_split *s, int copy);
static void release_maps(struct load_split *s, int copy);

static int take_maps(struct load_split *s)
{
	struct bpf_map *m, *h = NULL;
	int err;

	bpf_object__for_each_map(m, s->obj[0]) {
		h = bpf_object__next_map(s->obj[1], h);
		if (!h)
			return -EINVAL;
		if (bpf_map__fd(m) >= 0 && (err = bpf_map__reuse_fd(h, bpf_map__fd(m))))
			return err;
	}
	return 0;
}

static void *helper_main(void *arg)
{
	struct load_split *s = arg;
	bool ready;

	pthread_mutex_lock(&s->lock);
	while (!s->maps_ready && !s->main_done)
		pthread_cond_wait(&s->cond, &s->lock);
	ready = s->maps_ready;
	pthread_mutex_unlock(&s->lock);
	s->helper_err = ready ? take_maps(s) : -ECANCELED;
	if (!s->helper_err)
		s->helper_err = bpf_object__load(s->obj[1]);
	if (s->helper_err)
		return NULL;
	/* every program has been claimed by now: the stubs are known */
	release_stubs(s, 1);
	release_maps(s, 1);
	if (s->stop && s->stop())
		s->helper_err = -EINTR;
	else
		s->helper_err = s->attach(s->attach_arg);
	return NULL;
}

/* Pair each program of @main with its twin in @helper; fexit programs load in @main alone. */
static bool pair_programs(struct load_split *s)
{
	struct bpf_program *p, *q = NULL;

	bpf_object__for_each_program(p, s->obj[0]) {
		q = bpf_object__next_program(s->obj[1], q);
		if (!q || s->n == SPLIT_MAX_PROGS || strcmp(bpf_program__name(p), bpf_program__name(q)))
			return false;
		s->prog[0][s->n] = p;
		s->prog[1][s->n++] = q;
		if (strncmp(bpf_program__section_name(q), "tp_btf/", 7))
			bpf_program__set_autoload(q, false);
	}
	return true;
}

bool split_worth_it(void)
{
	cpu_set_t cpus;

	return !sched_getaffinity(0, sizeof(cpus), &cpus) && CPU_COUNT(&cpus) > 1;
}

bool split_start(struct load_split *s, struct bpf_object *main, struct bpf_object *helper,
		 int (*stop)(void), int (*attach)(void *), void *arg)
{
	sigset_t all, old;

	memset(s, 0, sizeof(*s));
	s->obj[0] = main;
	s->obj[1] = helper;
	s->stop = stop;
	s->attach = attach;
	s->attach_arg = arg;
	if (!split_worth_it() || !pair_programs(s))
		return false;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	active = s;
	/* signals stay the main thread's: its load is the one they stop */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	s->started = !pthread_create(&s->thread, NULL, helper_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!s->started) {
		active = NULL;
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
	}
	return s->started;
}

static bool find(const struct load_split *s, const struct bpf_program *prog, int *copy, int *i)
{
	for (*copy = 0; *copy < 2; ++*copy)
		for (*i = 0; *i < s->n; ++*i)
			if (s->prog[*copy][*i] == prog)
				return true;
	return false;
}

/*
 * "r0 = 0; exit", without the object's function and line info, as a socket
 * filter: a tracing program's load checks its attach target, 100 us for
 * two instructions here, where a socket filter's takes 2 (bpf(2) timed
 * with bpftrace, 6.18). The stub is never attached.
 */
static int stub(struct bpf_program *prog, struct bpf_prog_load_opts *opts)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int err = bpf_program__set_type(prog, BPF_PROG_TYPE_SOCKET_FILTER);

	if (err)
		return err;
	opts->expected_attach_type = 0;
	opts->attach_btf_id = 0;
	opts->attach_btf_obj_fd = 0;
	opts->attach_prog_fd = 0;
	opts->prog_btf_fd = 0;
	opts->func_info = NULL;
	opts->func_info_cnt = 0;
	opts->line_info = NULL;
	opts->line_info_cnt = 0;
	return bpf_program__set_insns(prog, insns, 2);
}

int split_take(struct bpf_program *prog, struct bpf_prog_load_opts *opts)
{
	struct load_split *s = active;
	unsigned char none = 0;
	int copy, i;

	if (!s || !find(s, prog, &copy, &i))
		return 0;
	if (copy == 0 && !s->maps_ready) { /* the main copy's maps exist once it loads programs */
		pthread_mutex_lock(&s->lock);
		s->maps_ready = true;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
	}
	if (copy == 1 && s->stop && s->stop())
		return -EINTR;
	if (__atomic_compare_exchange_n(&s->owner[i], &none, (unsigned char)(1 + copy), false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return 0;
	return stub(prog, opts);
}

/*
 * What a copy no longer needs is let go of with its fd turned into
 * /dev/null's (which libbpf closes with the object): a stub's program,
 * never attached, and the helper's own fds of the main copy's maps, so
 * that the session holds each map once (its programs keep their maps).
 */
static void release_fd(int fd)
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (null >= 0 && fd >= 0)
		dup3(null, fd, O_CLOEXEC);
	if (null >= 0)
		close(null);
}

static void release_stubs(struct load_split *s, int copy)
{
	for (int i = 0; i < s->n; i++) {
		struct bpf_program *p = s->prog[copy][i];

		if (!s->owner[i] || s->owner[i] == 1 + copy || bpf_program__fd(p) < 0)
			continue;
		bpf_program__set_autoattach(p, false);
		release_fd(bpf_program__fd(p));
	}
}

static void release_maps(struct load_split *s, int copy)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, s->obj[copy])
		release_fd(bpf_map__fd(m));
}

int split_finish(struct load_split *s, int main_err)
{
	bool helper_verified = false;

	if (!s->started)
		return main_err;
	pthread_mutex_lock(&s->lock);
	s->main_done = true;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	active = NULL;
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	s->started = false;
	for (int i = 0; i < s->n; i++)
		helper_verified |= s->owner[i] == 2;
	if (main_err)
		return main_err;
	return helper_verified ? s->helper_err : 0;
}

void split_main_loaded(struct load_split *s)
{
	if (s->started) /* every program has been claimed by now */
		release_stubs(s, 0);
}

const struct bpf_program *split_real(const struct load_split *s, const struct bpf_program *prog)
{
	int copy, i;

	if (!s->n || !find(s, prog, &copy, &i))
		return prog;
	return s->prog[s->owner[i] == 2 ? 1 : 0][i];
}
