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
#include "costload.h"
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
		int fd = bpf_program__fd(tracer_program(t, p));

		if (i == MAX_PROGS)
			break;
		s->cnt[i] = s->ns[i] = 0;
		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len)) {
			s->cnt[i] = info.run_cnt;
			s->ns[i] = info.run_time_ns;
		}
		i++;
	}
}

/* What the traced window's events were, as ipctrace and the load counted them. */
struct traced {
	struct ipct_counters k;
	__u64 forks, exits;           /* traced processes, and those that exited */
	struct load_counts load;
};

/* Sum every traced process's counters, phases included; count forks and exits. */
static void traced_sum(struct tracer *t, struct traced *tr)
{
	struct trace_result r;

	if (tracer_collect(t, &r))
		return;
	for (int j = 0; j < r.nprocs; j++) {
		for (int ph = 0; ph < NR_PHASES; ph++)
			u64_add_all(&tr->k, &r.procs[j].phase[ph].k, sizeof(tr->k));
		tr->exits += !!r.procs[j].info.exited;
	}
	/* every traced process came from one fork: the launcher's, or a traced parent's */
	tr->forks = r.nprocs;
	trace_result_free(&r);
}

/* @events when ipctrace's count @check says the same (pages, bytes), else none. */
static __u64 agreed(__u64 events, __u64 check)
{
	return events == check ? events : 0;
}

/*
 * Traced events of one program, from ipctrace's counters where they count
 * its events one by one, else from the load's own count where ipctrace's
 * agrees with it (pages of one-page folios, bytes of 64-byte messages);
 * 0 where neither knows them (the row shows no traced figure).
 */
static __u64 traced_events(const char *name, const struct traced *tr)
{
	const struct ipct_counters *k = &tr->k;
	const struct load_counts *n = &tr->load;
	const struct { const char *name; __u64 events; } rows[] = {
		{ "sys_enter_btf", k->syscalls },
		{ "cost_floor", k->syscalls },
		{ "sys_exit_btf", k->syscalls },
		{ "fault_user_btf", k->faults_user },
		{ "fault_kernel_btf", k->faults_kernel },
		{ "sched_switch_btf", k->csw_voluntary + k->csw_involuntary },
		{ "fork_btf", tr->forks },
		{ "exec_btf", n->execs },
		{ "exit_btf", tr->exits },
		{ "signal_generate_btf", k->sig_generated },
		{ "signal_deliver_btf", k->sig_delivered },
		{ "pc_add_btf", agreed(n->pc_adds, k->pc_inserted_pages) },
		{ "pc_delete_btf", agreed(n->pc_deletes, k->pc_evicted_pages) },
		{ "pc_get_pages_btf", k->pc_lookup_calls },
		{ "pc_fault_btf", k->pc_fault_calls },
		{ "ra_sync_btf", k->ra_sync },
		{ "ra_async_btf", k->ra_async },
		{ "bio_queue_btf", k->disk_read_ios + k->disk_write_ios },
		{ "skb_copy_btf", k->skb_copy_calls },
		{ "sock_send_btf", agreed(n->sends * 64, k->sock_send_bytes) / 64 },
		{ "sock_recv_btf", agreed(n->recvs * 64, k->sock_recv_bytes) / 64 },
		{ "uring_complete_btf", k->uring_ops },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (!strcmp(name, rows[i].name))
			return rows[i].events;
	return 0;
}

/* One row: a program's events and cost per event, untraced and traced. */
static void print_row(FILE *out, const char *name, const struct sample *s, int i, double seconds, __u64 tr)
{
	const struct sample *a = &s[0], *b = &s[1], *c = &s[2];
	__u64 n1 = b->cnt[i] - a->cnt[i], t1 = b->ns[i] - a->ns[i];
	__u64 n2 = c->cnt[i] - b->cnt[i], t2 = c->ns[i] - b->ns[i];
	double un = n1 ? (double)t1 / n1 : 0, traced_ns;

	fprintf(out, "%-22s %12.0f", name, n1 / seconds);
	if (n1)
		fprintf(out, " %12.0f", un);
	else
		fprintf(out, " %12s", "-");
	fprintf(out, " %14llu", (unsigned long long)tr);
	/*
	 * A traced figure is only as good as the traced share of the
	 * window's events, and the untraced window's estimate of the
	 * others (scheduler events of other processes, say, can be
	 * few and cold): a negative cost is no figure.
	 */
	traced_ns = tr && n2 >= tr && tr * 4 >= n2 && (n2 == tr || n1) ? (t2 - un * (n2 - tr)) / tr : -1;
	if (traced_ns > 0)
		fprintf(out, " %12.0f\n", traced_ns);
	else
		fprintf(out, " %12s\n", "-");
}

static void print_rows(FILE *out, struct tracer *t, const struct sample *s, double seconds,
		       const struct traced *tr)
{
	struct bpf_program *p;
	int i = 0;

	fprintf(out, "%-22s %12s %12s %14s %12s\n", "program", "events/s", "untraced ns",
		"traced events", "traced ns");
	bpf_object__for_each_program(p, t->skel->obj) {
		const char *name = bpf_program__name(p);

		if (i == MAX_PROGS)
			break;
		if (bpf_program__fd(tracer_program(t, p)) >= 0) /* every program loaded */
			print_row(out, name, s, i, seconds, traced_events(name, tr));
		i++;
	}
	fprintf(out, "(kernel.bpf_stats accounting over %.1f s of an untraced load, then %.1f s of the same load traced:\n"
		     "64-byte pipe messages, every 256th a round of a signal, a unix-socket message, faults, a file page\n"
		     "written, read and mapped, now and then a page read from the disk and a fork + exec of /bin/true;\n"
		     "traced events as ipctrace counted them, or the load where ipctrace's pages or bytes agree (-: not known);\n"
		     "the statistics add their own clock reads to each event: cost_floor, an empty program on sys_enter,\n"
		     "shows them and the dispatch, the floor under every row)\n", seconds, seconds);
}

/*
 * The two windows: the untraced load (started before the programs, held
 * at @gate), then the same load traced. @s gets the three samples.
 */
static int measure(struct tracer *t, struct cost_load *untraced, int *gate, int cold,
		   double seconds, struct sample *s, struct traced *tr)
{
	struct cost_load traced;

	sample(t, &s[0]);
	close(gate[1]); /* the untraced load runs: every event of it is filtered out */
	gate[1] = -1;
	sleep_s(seconds, true);
	cost_load_stop(untraced);
	sample(t, &s[1]);
	if (cost_load_start(&traced, cold, NULL)) {
		fprintf(stderr, "ipctrace: cannot start the traced load: %s\n", strerror(errno));
		cost_load_free(&traced);
		return 1;
	}
	sleep_s(seconds, true);
	cost_load_stop(&traced);
	sample(t, &s[2]);
	tr->load = *traced.counts;
	traced_sum(t, tr);
	cost_load_free(&traced);
	return 0;
}

int probe_cost(double seconds, FILE *out)
{
	struct sample s[3];
	struct traced tr = {};
	struct tracer t;
	struct cost_load untraced;
	int stats = -1, err, gate[2], cold;

	/* a load's reader, orphaned when its writer is killed, comes back to be reaped */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe(gate))
		return 1;
	cold = cost_load_cold_file();
	err = cost_load_start(&untraced, cold, gate); /* before the programs: not traced */
	close(gate[0]);
	if (!err)
		err = tracer_start(&t, &(struct tracer_opts){ .launcher = getpid(), .cost_floor = true });
	if (!err) {
		stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (stats < 0)
			fprintf(stderr, "ipctrace: BPF run-time statistics: %s\n", strerror(errno));
		err = stats < 0 || measure(&t, &untraced, gate, cold, seconds, s, &tr);
		if (!err)
			print_rows(out, &t, s, seconds, &tr);
		if (stats >= 0)
			close(stats);
		tracer_stop(&t);
	}
	if (gate[1] >= 0)
		close(gate[1]);
	cost_load_stop(&untraced);
	cost_load_free(&untraced);
	if (cold >= 0)
		close(cold);
	return err ? 1 : 0;
}
