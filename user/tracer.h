/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The BPF side seen from user space: load, attach, read back. */
#ifndef TRACER_H
#define TRACER_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include "figures.h"
#include "kfeatures.h"
#include "loadsplit.h"
#include "probe.h"

struct ipctrace_bpf;

struct ring_buffer;

/* Events of the timeline, as the ring buffer delivered them. */
struct event_log {
	struct ipct_event *v;
	size_t n, cap;
	bool overflow; /* more than the log keeps */
};

struct tracer {
	struct ipctrace_bpf *skel;
	struct ipctrace_bpf *helper; /* the copy loaded beside it, or NULL (loadsplit.h) */
	struct load_split split;
	struct probe_table probes;
	const struct kfeatures *features; /* what this kernel's BPF lacks (kfeatures.h) */
	int ncpus;
	/* timeline recording */
	struct ring_buffer *rb;
	struct event_log log;
	pthread_t poller;
	volatile bool polling;
	pthread_t detacher; /* tracer_detach_begin()'s */
	bool detaching;
};

struct tracer_opts {
	pid_t launcher;            /* its children (and theirs) are traced */
	bool exec_starts_transfer; /* trace -- CMD: transfer from the exec on */
	bool timeline;             /* record the event stream */
	bool cost_floor;           /* load the empty program of probe --cost */
	bool adds_pids;            /* tracer_add_pid() will be called (-p) */
	unsigned skip_figures;     /* enum figure_group: groups left out (trace --figures) */
	int (*stop)(void);         /* non-zero: a signal asked to stop; load nothing more */
};

/* A traced process as read back at the end. */
struct traced_proc {
	__u32 slot;
	struct ipct_proc_info info;
	struct figures phase[NR_PHASES];
};

struct file_row {
	struct ipct_file_key key;
	struct ipct_file_stats st;
};

struct trace_result {
	struct traced_proc *procs;
	int nprocs;
	struct file_row *files;
	int nfiles;
	__u64 slot_overflow;
	__u64 rows_lost; /* events not counted: a BPF table was full */
	const char *syscall_gate; /* bpf/gate.bpf.h: "on", "off", "held" or "broken" */
};

/*
 * Probe, open, configure, load and attach. Processes forked by @launcher
 * (and all their descendants) are traced. Returns 0 or -errno with a
 * message on stderr naming what is missing; -EINTR, with no message and
 * nothing left loaded, when o->stop() says a signal came before attaching.
 */
int tracer_start(struct tracer *t, const struct tracer_opts *o);
/*
 * Trace a running process (all its threads, and children it forks from now
 * on), in its transfer phase. -ESRCH when there is no such process.
 */
int tracer_add_pid(struct tracer *t, pid_t pid);
/*
 * After the tracer_add_pid() calls: their threads join sys_exit's gate
 * (bpf/gate.bpf.h). A negative errno if they could not; the figures are
 * the same either way, untraced processes' syscalls then cost more.
 */
int tracer_pids_added(struct tracer *t);
/* The loaded instance of @prog, a program of t->skel (its fd, its instructions). */
const struct bpf_program *tracer_program(const struct tracer *t, const struct bpf_program *prog);

/* The thread-group id of @pid, from /proc (a tid given by mistake is fine), and its comm; -1 if none. */
pid_t tracer_tgid_of(pid_t pid, char *comm, size_t len);
/* Read every traced process's figures. */
int tracer_collect(struct tracer *t, struct trace_result *r);
/* How many traced processes have not exited (one map read per process: cheap to poll). */
int tracer_live(struct tracer *t);
/*
 * Detach every program in a thread of its own (27 links take ~3 ms to
 * close on 6.18, each tracepoint's static key patched), while the caller
 * reads the maps and writes the report; tracer_stop() waits for it.
 */
void tracer_detach_begin(struct tracer *t);
void tracer_stop(struct tracer *t);
/* Stop recording and take what was recorded (events in time order). */
void tracer_take_events(struct tracer *t, struct event_log *log, __u64 *dropped);
void trace_result_free(struct trace_result *r);

#endif /* TRACER_H */
