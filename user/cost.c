// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace probe --cost: what each of ipctrace's programs costs per event,
 * by the kernel's own accounting (BPF_ENABLE_STATS: run_time_ns and run_cnt
 * per program). First a window with nothing traced, so every event is one
 * the programs filter out; then a window with a traced 64-byte pipe load.
 * The traced cost per event is what the second window spent beyond the
 * untraced events' share, divided by the traced events ipctrace counted.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cost.h"
#include "ipctrace.skel.h"
#include "tracer.h"

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

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* A traced load: 64-byte messages through a pipe, for @s seconds. */
static pid_t start_load(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		static char buf[64];
		int fds[2];

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
	return pid;
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

int probe_cost(double seconds, FILE *out)
{
	struct sample a, b, c;
	struct tracer t;
	struct trace_result r;
	struct ipct_counters k = {};
	struct bpf_program *p;
	int stats, i = 0, err;
	pid_t load;

	err = tracer_start(&t, &(struct tracer_opts){ .launcher = getpid(), .cost_floor = true });
	if (err)
		return 1;
	stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats < 0) {
		fprintf(stderr, "ipctrace: BPF run-time statistics: %s\n", strerror(errno));
		tracer_stop(&t);
		return 1;
	}
	sample(&t, &a);
	sleep_s(seconds); /* nothing of ours runs: every event is filtered out */
	sample(&t, &b);
	load = start_load();
	sleep_s(seconds);
	kill(-load, SIGKILL);
	kill(load, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	sample(&t, &c);
	if (!tracer_collect(&t, &r)) {
		for (int j = 0; j < r.nprocs; j++)
			for (int ph = 0; ph < NR_PHASES; ph++) {
				__u64 *d = (__u64 *)&k;
				const __u64 *s = (const __u64 *)&r.procs[j].phase[ph].k;

				for (size_t f = 0; f < sizeof(k) / sizeof(__u64); f++)
					d[f] += s[f];
			}
		trace_result_free(&r);
	}
	fprintf(out, "%-22s %12s %12s %14s %12s\n", "program", "events/s", "untraced ns",
		"traced events", "traced ns");
	bpf_object__for_each_program(p, t.skel->obj) {
		const char *name = bpf_program__name(p);
		__u64 n1 = b.cnt[i] - a.cnt[i], t1 = b.ns[i] - a.ns[i];
		__u64 n2 = c.cnt[i] - b.cnt[i], t2 = c.ns[i] - b.ns[i];
		__u64 tr = traced_events(name, &k);
		double un = n1 ? (double)t1 / n1 : 0;

		i++;
		if (!n1 && !n2)
			continue;
		fprintf(out, "%-22s %12.0f %12.0f %14llu", name, n1 / seconds, un,
			(unsigned long long)tr);
		/* a traced figure is only as good as the traced share of the window's events */
		if (tr && n2 > tr && tr * 4 >= n2)
			fprintf(out, " %12.0f\n", (t2 - un * (n2 - tr)) / tr);
		else
			fprintf(out, " %12s\n", "-");
	}
	fprintf(out, "(kernel.bpf_stats accounting over %.1f s idle, then %.1f s of a traced 64-byte "
		     "pipe load; the statistics add their own clock reads to each event: cost_floor,\n"
		     "an empty program on sys_enter, shows them and the dispatch, the floor under "
		     "every row)\n", seconds, seconds);
	close(stats);
	tracer_stop(&t);
	return 0;
}
