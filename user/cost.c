// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace probe --cost: what each of ipctrace's programs costs per event,
 * by the kernel's own accounting (BPF_ENABLE_STATS: run_time_ns and run_cnt
 * per program). First a window with an untraced 64-byte pipe load, so
 * every event is one the programs filter out, as hot as the traced ones;
 * then a window with the same load traced.
 * The traced cost per event is what the second window spent beyond the
 * untraced events' share, divided by the traced events ipctrace counted.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cost.h"
#include "ipctrace.skel.h"
#include "timing.h"
#include "tracer.h"
#include "u64sum.h"

#define MAX_PROGS 64

struct sample {
	__u64 cnt[MAX_PROGS], ns[MAX_PROGS];
};

static void sample(struct tracer *t, struct sample *s)
{
	struct bpf_program *p;
	int i = 0;

	bpf_object__for_each_program(p, t->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (i == MAX_PROGS)
			break;
		s->cnt[i] = s->ns[i] = 0;
		if (bpf_program__fd(p) >= 0 && !bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len)) {
			s->cnt[i] = info.run_cnt;
			s->ns[i] = info.run_time_ns;
		}
		i++;
	}
}

/*
 * The load: 64-byte messages through a pipe, from a writer to its reader
 * child, in their own process group. With @gate (a pipe) it waits until
 * the parent closes the pipe's write end. Forked before the programs are
 * attached, it is not traced (ipctrace follows only the forks of its own
 * traced processes); forked after, it is.
 */
static pid_t start_load(const int *gate)
{
	pid_t pid = fork();

	if (pid == 0) {
		static char buf[64];
		int fds[2];

		setpgid(0, 0);
		if (gate) {
			close(gate[1]);
			while (read(gate[0], buf, 1) < 0 && errno == EINTR)
				;
			close(gate[0]);
		}
		if (pipe(fds) || fork() == 0) {
			close(fds[1]);
			while (read(fds[0], buf, sizeof(buf)) > 0)
				;
			_exit(0);
		}
		close(fds[0]);
		for (;;)
			if (write(fds[1], buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

/* Kill the load's group and reap both (the reader comes back to us: subreaper). */
static void stop_load(pid_t load)
{
	if (load <= 0)
		return;
	kill(-load, SIGKILL);
	kill(load, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

/* Traced events of one program's kind, from ipctrace's own counters. */
static __u64 traced_events(const char *name, const struct ipct_counters *k)
{
	if (!strcmp(name, "sys_enter_btf") || !strcmp(name, "sys_exit_btf") ||
	    !strcmp(name, "cost_floor"))
		return k->syscalls;
	if (!strcmp(name, "fault_user_btf"))
		return k->faults_user;
	if (!strcmp(name, "sched_switch_btf"))
		return k->csw_voluntary + k->csw_involuntary;
	return 0;
}

/* ipctrace's counters of every traced process, in every phase, summed into @k. */
static void traced_counters(struct tracer *t, struct ipct_counters *k)
{
	struct trace_result r;

	if (tracer_collect(t, &r))
		return;
	for (int j = 0; j < r.nprocs; j++)
		for (int ph = 0; ph < NR_PHASES; ph++)
			u64_add_all(k, &r.procs[j].phase[ph].k, sizeof(*k));
	trace_result_free(&r);
}

/*
 * The three samples: @a before and @b after @seconds of the untraced load
 * (started before the programs, waiting at @gate), @c after as long of the
 * same load traced.
 */
static void measure(struct tracer *t, int gate_w, pid_t untraced, double seconds,
		    struct sample *a, struct sample *b, struct sample *c)
{
	pid_t load;

	sample(t, a);
	close(gate_w); /* the untraced load runs: every event of it is filtered out */
	sleep_s(seconds, true);
	stop_load(untraced);
	sample(t, b);
	load = start_load(NULL);
	sleep_s(seconds, true);
	stop_load(load);
	sample(t, c);
}

/* A row per program that ran: events/s and ns per event, untraced and traced. */
static void print_costs(struct tracer *t, const struct sample *a, const struct sample *b,
			const struct sample *c, const struct ipct_counters *k, double seconds,
			FILE *out)
{
	struct bpf_program *p;
	int i = 0;

	fprintf(out, "%-22s %12s %12s %14s %12s\n", "program", "events/s", "untraced ns",
		"traced events", "traced ns");
	bpf_object__for_each_program(p, t->skel->obj) {
		const char *name = bpf_program__name(p);
		__u64 n1 = b->cnt[i] - a->cnt[i], t1 = b->ns[i] - a->ns[i];
		__u64 n2 = c->cnt[i] - b->cnt[i], t2 = c->ns[i] - b->ns[i];
		__u64 tr = traced_events(name, k);
		double un = n1 ? (double)t1 / n1 : 0, traced_ns;

		i++;
		if (!n1 && !n2)
			continue;
		fprintf(out, "%-22s %12.0f %12.0f %14llu", name, n1 / seconds, un,
			(unsigned long long)tr);
		/*
		 * A traced figure is only as good as the traced share of the
		 * window's events, and the untraced window's estimate of the
		 * others (scheduler events of other processes, say, can be
		 * few and cold): a negative cost is no figure.
		 */
		traced_ns = tr && n2 > tr && tr * 4 >= n2 ? (t2 - un * (n2 - tr)) / tr : -1;
		if (traced_ns > 0)
			fprintf(out, " %12.0f\n", traced_ns);
		else
			fprintf(out, " %12s\n", "-");
	}
	fprintf(out, "(kernel.bpf_stats accounting over %.1f s of an untraced 64-byte pipe load, then "
		     "%.1f s of the same load traced; the statistics add their own clock reads to each event: cost_floor,\n"
		     "an empty program on sys_enter, shows them and the dispatch, the floor under "
		     "every row)\n", seconds, seconds);
}

int probe_cost(double seconds, FILE *out)
{
	struct sample a, b, c;
	struct tracer t;
	struct ipct_counters k = {};
	int stats, err, gate[2];
	pid_t untraced;

	/* a load's reader, orphaned when its writer is killed, comes back to be reaped */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe(gate))
		return 1;
	untraced = start_load(gate); /* before the programs: not traced */
	close(gate[0]);
	err = tracer_start(&t, &(struct tracer_opts){ .launcher = getpid(), .cost_floor = true });
	if (err) {
		close(gate[1]);
		stop_load(untraced);
		return 1;
	}
	stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats < 0) {
		fprintf(stderr, "ipctrace: BPF run-time statistics: %s\n", strerror(errno));
		close(gate[1]);
		stop_load(untraced);
		tracer_stop(&t);
		return 1;
	}
	measure(&t, gate[1], untraced, seconds, &a, &b, &c);
	traced_counters(&t, &k);
	print_costs(&t, &a, &b, &c, &k, seconds, out);
	close(stats);
	tracer_stop(&t);
	return 0;
}
