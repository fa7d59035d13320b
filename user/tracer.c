// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Loading and attaching the BPF object, processes added by pid, the event stream (tracer.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpfdiag.h"
#include "ipctrace.skel.h"
#include "loadheap.h"
#include "loadsplit.h"
#include "outfile.h"
#include "tracer.h"
#include "testpoint.h"
#include "timing.h"

#define EVENT_LOG_MAX (4u << 20) /* events kept per run */
#define RINGBUF_BYTES (8u << 20)

static int on_event(void *ctx, void *data, size_t len)
{
	struct event_log *log = ctx;

	if (len < sizeof(struct ipct_event))
		return 0;
	if (log->n == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 65536;
		struct ipct_event *v;

		if (cap > EVENT_LOG_MAX || !(v = realloc(log->v, cap * sizeof(*v)))) {
			log->overflow = true;
			return 0;
		}
		log->v = v;
		log->cap = cap;
	}
	memcpy(&log->v[log->n++], data, sizeof(struct ipct_event));
	return 0;
}

static void *poll_events(void *arg)
{
	struct tracer *t = arg;

	while (t->polling)
		ring_buffer__poll(t->rb, 50);
	ring_buffer__consume(t->rb);
	return NULL;
}

static int start_timeline(struct tracer *t)
{
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_event, &t->log, NULL);
	if (!t->rb)
		return -errno;
	t->polling = true;
	if (pthread_create(&t->poller, NULL, poll_events, t)) {
		t->polling = false;
		return -EAGAIN;
	}
	return 0;
}

const struct bpf_program *tracer_program(const struct tracer *t, const struct bpf_program *prog)
{
	return split_real(&t->split, prog);
}

/* procs[] is indexed by tgid / IPCT_PIDS_PER_ROW: a row per 4 of the kernel's pids. */
static __u32 pid_max(void)
{
	unsigned int n = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");

	if (f) {
		if (fscanf(f, "%u", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n ? n : 4194304; /* PID_MAX_LIMIT on 64-bit */
}

/*
 * Test-only (IPCTRACE_TEST_INSNS=FILE): every loaded program's instructions
 * as libbpf relocated them, map fds blanked, so that a test can hold the
 * CO-RE BTF (corebtf.c) to what the kernel's whole BTF gives.
 */
static void dump_insns_for_test(const struct tracer *t, struct bpf_object *obj, const char *core_btf)
{
	const char *path = test_hook(TEST_INSNS);
	struct bpf_program *prog;
	struct outfile out;
	FILE *f;

	/* a path from the environment: opened as any output is (outfile.h) */
	if (!path || outfile_open(&out, path, "ipctrace"))
		return;
	f = out.f;
	fprintf(f, "CO-RE against %s\n", *core_btf ? "the CO-RE BTF" : "the kernel's BTF");
	bpf_object__for_each_program(prog, obj) {
		const struct bpf_program *real = tracer_program(t, prog);
		const struct bpf_insn *in = bpf_program__insns(real);
		size_t n = bpf_program__insn_cnt(real);

		if (bpf_program__fd(real) < 0)
			continue;
		fprintf(f, "%s %zu\n", bpf_program__name(prog), n);
		for (size_t i = 0; i < n; i++) {
			bool map_fd = in[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
				      (in[i].src_reg == BPF_PSEUDO_MAP_FD ||
				       in[i].src_reg == BPF_PSEUDO_MAP_VALUE);

			fprintf(f, "%02x %x %x %d %d\n", in[i].code, in[i].dst_reg, in[i].src_reg,
				in[i].off, map_fd ? 0 : in[i].imm);
		}
	}
	outfile_commit(&out, "ipctrace");
}

/*
 * The per-CPU entries sys_exit adds up in (bpf/maps.bpf.h: acc), shared by
 * slot & mask: two processes on one entry write their counts to the
 * tables in turns. 64 entries, fewer where IPCT_ACC_BYTES would not hold
 * them: the kernel allocates a per-CPU array's entries one by one when it
 * creates the map, on start-up's critical path (1,024 entries of 1,816
 * bytes on 2 CPUs: 3.9 ms here; 64: 0.12 ms). Processes 64 slots apart
 * share an entry, which costs them a write to the tables when they take
 * turns on a CPU. IPCTRACE_TEST_ACC_ENTRIES=N (a power of two under 64)
 * makes them fewer.
 */
#define IPCT_ACC_ENTRIES 64
#define IPCT_ACC_BYTES (8u << 20)

static int acc_size(const struct tracer *t, struct ipctrace_bpf *skel)
{
	const char *test = test_hook(TEST_ACC_ENTRIES);
	int n = test ? atoi(test) : 0;
	__u32 rows = n > 0 && n < IPCT_ACC_ENTRIES && !(n & (n - 1)) ? (__u32)n : IPCT_ACC_ENTRIES;

	while (rows > 16 && (size_t)rows * t->ncpus * sizeof(struct ipct_acc) > IPCT_ACC_BYTES)
		rows /= 2;
	skel->rodata->targ_acc_mask = rows - 1;
	return bpf_map__set_max_entries(skel->maps.acc, rows);
}

/* Open a copy of the object and configure it for this run (the probe's table is made). */
static int open_skeleton(struct tracer *t, const struct tracer_opts *o, struct ipctrace_bpf **out)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	struct ipctrace_bpf *skel;
	int err;

	/* CO-RE against the probe's copy of the types it needs (corebtf.c) */
	open_opts.btf_custom_path = *t->probes.core_btf ? t->probes.core_btf : NULL;
	*out = skel = ipctrace_bpf__open_opts(&open_opts);
	if (!skel) {
		err = -errno;
		bpf_explain("opening the BPF object", err);
		return err;
	}
	skel->rodata->targ_launcher = o->launcher;
	skel->rodata->targ_exec_starts_transfer = o->exec_starts_transfer;
	skel->rodata->targ_timeline = o->timeline;
	/* copy_file_range on XFS: remapped or copied, told apart (bpf/remap.bpf.h) */
	skel->rodata->targ_remap_xfs = probe_available(&t->probes, "xfs_reflink_remap_range");
	if ((err = bpf_map__set_max_entries(skel->maps.procs,
					    (pid_max() + IPCT_PIDS_PER_ROW - 1) / IPCT_PIDS_PER_ROW)))
		return err;
	err = probe_apply(&t->probes, skel->obj, !*t->probes.core_btf, stderr);
	if (err)
		return err;
	/* what faults map, from the mm's file RSS (bpf/faultaround.bpf.h) */
	skel->rodata->targ_fault_around_rss = probe_available(&t->probes, "mm_filemap_map_pages") &&
					      probe_available(&t->probes, "page_fault_user");
	skel->rodata->targ_fault_pages_rss = probe_available(&t->probes, "mm_filemap_fault") &&
					     probe_available(&t->probes, "rss_stat");
	/* what an older kernel lacks, and what stands in for it (5.10: kfeatures.c) */
	if ((err = features_apply(t->features, skel)))
		return err;
	/* one program per syscall where bpf_loop is (bpf/io.bpf.h): sys_enter draws timelines only */
	skel->rodata->targ_exit_only = t->features->bpf_loop;
	/* sys_exit's gate, where fork_btf and exit_btf keep it (bpf/gate.bpf.h) */
	skel->rodata->targ_gate = t->features->bpf_loop && t->features->fetch_atomics;
	skel->rodata->targ_nr_cpus = t->ncpus;
	skel->rodata->targ_kiocb_btf_id = t->probes.kiocb_btf_id;
	skel->rodata->targ_task_btf_id = t->probes.task_btf_id;
	/* bpf/fdclass.bpf.h's casts, written in at load (user/probe.c: patch_casts()) */
	t->probes.cast_kfunc_id = t->features->rdonly_cast ? t->probes.rdonly_cast_btf_id : 0;
	if (t->features->bpf_loop && !o->timeline)
		bpf_program__set_autoload(skel->progs.sys_enter_btf, false);
	if ((err = acc_size(t, skel)))
		return err;
	/* attach only what the report needs: wakeups matter to timelines alone */
	bpf_program__set_autoload(skel->progs.cost_floor, o->cost_floor);
	/*
	 * -p's threads join sys_exit's gate (bpf/gate.bpf.h); run, never
	 * attached. Without its target in the probe's walk it does not load:
	 * the gate then stays held (tracer_pids_added()).
	 */
	bpf_program__set_autoload(skel->progs.gate_threads, o->adds_pids && skel->rodata->targ_gate &&
							    t->probes.iter_task_btf_id);
	bpf_program__set_autoattach(skel->progs.gate_threads, false);
	if (!o->timeline)
		bpf_program__set_autoload(skel->progs.sched_wakeup_btf, false);
	else if ((err = bpf_map__set_max_entries(skel->maps.events, RINGBUF_BYTES)))
		return err;
	return 0;
}

/*
 * Probe the kernel, open the object and configure it for this run: nothing
 * loaded yet. With @split, a second copy for the helper (loadsplit.h).
 */
static int open_configured(struct tracer *t, const struct tracer_opts *o, bool split)
{
	int err;

	memset(t, 0, sizeof(*t));
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus <= 0)
		return t->ncpus ? t->ncpus : -EINVAL;
	/* fexit observers load where the kernel allows, and when asked for */
	probe_kernel(&t->probes, !(o->skip_figures & FG_OBSERVED), true);
	probe_restrict(&t->probes, FG_ALL & ~o->skip_figures);
	if (!t->probes.btf_ok) {
		fprintf(stderr, "ipctrace: %s; tp_btf programs need it (CONFIG_DEBUG_INFO_BTF)\n",
			t->probes.btf_error);
		return -ENOENT;
	}
	err = probe_handle_sections();
	if (err) {
		bpf_explain("opening the BPF object", err);
		return err;
	}
	t->features = features_probe(&t->probes);
	if ((err = open_skeleton(t, o, &t->skel)))
		return err;
	/* without a helper copy, the main copy loads alone */
	if (split && split_worth_it() && open_skeleton(t, o, &t->helper)) {
		ipctrace_bpf__destroy(t->helper);
		t->helper = NULL;
	}
	return 0;
}

static int attach_helper(void *arg)
{
	struct tracer *t = arg;

	return ipctrace_bpf__attach(t->helper);
}

/*
 * Load the main copy and attach it; where there is a helper copy, it loads
 * beside it, verifying programs on the other CPU, and attaches its own
 * (loadsplit.h). @what: what failed, for the message.
 */
static int load_programs(struct tracer *t, const struct tracer_opts *o, const char **what)
{
	bool split = t->helper && split_start(&t->split, t->skel->obj, t->helper->obj, o->stop,
					       attach_helper, t);
	int err;

	if (!split) {
		ipctrace_bpf__destroy(t->helper);
		t->helper = NULL;
	}
	*what = "loading the BPF programs";
	err = ipctrace_bpf__load(t->skel);
	if (!err) {
		split_main_loaded(&t->split);
		test_point(TP_ATTACH);
		*what = "attaching the BPF programs";
		err = o->stop && o->stop() ? -EINTR : ipctrace_bpf__attach(t->skel);
	}
	err = split_finish(&t->split, err);
	if (!err && split && t->split.helper_err) { /* it verified nothing: the main copy has it all */
		ipctrace_bpf__destroy(t->helper);
		t->helper = NULL;
	}
	return err;
}

static int load_and_attach(struct tracer *t, const struct tracer_opts *o, bool split)
{
	int err = open_configured(t, o, split);
	const char *what;

	if (err)
		goto fail;
	test_point(TP_LOAD);
	if (o->stop && o->stop()) {
		err = -EINTR;
		goto fail;
	}
	err = load_programs(t, o, &what);
	if (err) {
		if (o->stop && o->stop()) /* a signal in the verifier: say only that */
			err = -EINTR;
		else if (!t->split.helper_err) /* else tried again alone (tracer_start) */
			bpf_explain(what, err);
		goto fail;
	}
	dump_insns_for_test(t, t->skel->obj, t->probes.core_btf);
	if (o->timeline && (err = start_timeline(t))) {
		fprintf(stderr, "ipctrace: reading the event stream: %s\n", strerror(-err));
		goto fail;
	}
	return 0;
fail:
	ipctrace_bpf__destroy(t->helper);
	t->helper = NULL;
	ipctrace_bpf__destroy(t->skel);
	t->skel = NULL;
	return err;
}

int tracer_start(struct tracer *t, const struct tracer_opts *o)
{
	int err;

	heap_for_load();
	err = load_and_attach(t, o, true);
	/* the helper failed, or stopped when the main copy did: once more, alone, which says why */
	if (err && err != -EINTR && t->split.helper_err && !(o->stop && o->stop()))
		err = load_and_attach(t, o, false);
	heap_after_load();
	return err;
}

pid_t tracer_tgid_of(pid_t pid, char *comm, size_t len)
{
	char path[64], line[256];
	pid_t tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Name:", 5))
			snprintf(comm, len, "%.*s", (int)strcspn(line + 6, "\n"), line + 6);
		sscanf(line, "Tgid: %d", &tgid);
	}
	fclose(f);
	return tgid;
}

/*
 * Write @tgid's two bytes of procs (@slot1: its slot + 1) through a
 * mapping of the page they are in: the kernel side may be writing a
 * neighbour's at the same moment (a fork), which a whole-row update would
 * undo. -ERANGE: a pid past the array. With @old, only reads.
 */
static int pid_slot1_access(struct tracer *t, pid_t tgid, __u16 slot1, __u16 *old)
{
	const struct bpf_map *m = t->skel->maps.procs;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t off = (size_t)tgid / IPCT_PIDS_PER_ROW * sizeof(struct ipct_pid_row) +
		     (size_t)tgid % IPCT_PIDS_PER_ROW * sizeof(__u16);
	volatile __u16 *at;
	char *base;

	if ((__u32)tgid / IPCT_PIDS_PER_ROW >= bpf_map__max_entries(m))
		return -ERANGE;
	base = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(m), off / page * page);
	if (base == MAP_FAILED)
		return -errno;
	at = (volatile __u16 *)(base + off % page);
	if (old)
		*old = *at;
	else
		*at = slot1;
	munmap(base, page);
	return 0;
}

/* The slot @tgid is traced in, or -1. */
static int traced_slot(struct tracer *t, pid_t tgid)
{
	struct ipct_proc p = {};
	__u16 s1 = 0;
	__u32 slot;

	if (pid_slot1_access(t, tgid, 0, &s1) || !s1)
		return -1;
	slot = s1 - 1u;
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.slots), &slot, &p) || !p.traced)
		return -1;
	return (int)slot;
}

/*
 * A slot, by the allocator the kernel side uses at fork (bpf/track.bpf.h:
 * slot_alloc()): next_slot's fetch-and-add, or without fetching atomics in
 * the kernel, a claim in slot_claims. IPCT_MAX_SLOTS when none is left.
 */
static __u32 alloc_slot(struct tracer *t)
{
	__u32 s = t->skel->bss->next_slot;
	__u8 one = 1;

	if (t->features->fetch_atomics)
		return __atomic_fetch_add(&t->skel->bss->next_slot, 1, __ATOMIC_SEQ_CST);
	for (; s < IPCT_MAX_SLOTS; s++) {
		if (!bpf_map_update_elem(bpf_map__fd(t->skel->maps.slot_claims), &s, &one,
					 BPF_NOEXIST)) {
			__atomic_fetch_add(&t->skel->bss->next_slot, 1, __ATOMIC_SEQ_CST);
			return s;
		}
	}
	return IPCT_MAX_SLOTS;
}

int tracer_add_pid(struct tracer *t, pid_t pid)
{
	struct ipct_proc_info info = { .parent_slot = (__u32)-1 };
	struct ipct_proc p = { .phase = PHASE_TRANSFER, .traced = 1 };
	pid_t tgid = tracer_tgid_of(pid, info.comm, sizeof(info.comm));
	__u16 s1;
	int err;

	if (tgid <= 0)
		return -ESRCH;
	/* its threads are not in sys_exit's gate yet: open it (tracer_pids_added() closes it) */
	__atomic_fetch_or(&t->skel->bss->gate_hold, GATE_HOLD_ADDING, __ATOMIC_SEQ_CST);
	if ((err = pid_slot1_access(t, tgid, 0, &s1)))
		return err; /* -ERANGE: a pid past pid_max */
	if (traced_slot(t, tgid) >= 0)
		return -EEXIST;
	p.slot = alloc_slot(t);
	if (p.slot >= IPCT_MAX_SLOTS)
		return -ENOSPC;
	info.tgid = tgid;
	info.mark_ns = clock_ns(); /* bpf_ktime_get_ns()'s clock */
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.procinfo), &p.slot, &info, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(t->skel->maps.slots), &p.slot, &p, BPF_ANY))
		return -errno;
	if ((err = pid_slot1_access(t, tgid, (__u16)(p.slot + 1), NULL)))
		return err;
	return kill(tgid, 0) && errno == ESRCH ? -ESRCH : 0;
}

/*
 * The threads of the processes tracer_add_pid() added join sys_exit's gate
 * (bpf/gate.bpf.h): the task iterator gate_threads runs over every thread
 * of the machine, then the gate closes. Children forked meanwhile joined at
 * their fork. On failure the gate stays open: every syscall's end then
 * takes the full lookup, the figures are the same.
 */
int tracer_pids_added(struct tracer *t)
{
	const struct bpf_program *prog = t->skel->progs.gate_threads;
	struct bpf_link *link;
	char buf[64];
	ssize_t n;
	int fd, err = 0;

	if (!(t->skel->bss->gate_hold & GATE_HOLD_ADDING))
		return 0;
	if (bpf_program__fd(prog) < 0) /* no gate here (5.10), or the iterator has no target */
		return t->skel->rodata->targ_gate ? -ENOENT : 0;
	link = bpf_program__attach_iter(prog, NULL);
	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0)
		err = -errno;
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) != 0)
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(link);
	if (!err) /* GATE_HOLD_BROKEN, if set, stays */
		__atomic_fetch_and(&t->skel->bss->gate_hold, ~GATE_HOLD_ADDING, __ATOMIC_SEQ_CST);
	return err;
}

static int by_time(const void *a, const void *b)
{
	const struct ipct_event *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

void tracer_take_events(struct tracer *t, struct event_log *log, __u64 *dropped)
{
	if (t->polling) {
		t->polling = false;
		pthread_join(t->poller, NULL);
	}
	/* per-CPU order is not global order: sort by the kernel's clock */
	if (t->log.n)
		qsort(t->log.v, t->log.n, sizeof(*t->log.v), by_time);
	*log = t->log;
	memset(&t->log, 0, sizeof(t->log));
	*dropped = t->skel ? t->skel->bss->events_dropped : 0;
}

static void *detach_all(void *arg)
{
	struct tracer *t = arg;

	if (t->helper)
		ipctrace_bpf__detach(t->helper);
	ipctrace_bpf__detach(t->skel);
	return NULL;
}

void tracer_detach_begin(struct tracer *t)
{
	sigset_t all, old;

	if (!t->skel || t->detaching)
		return;
	/* signals stay the main thread's */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	t->detaching = !pthread_create(&t->detacher, NULL, detach_all, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void tracer_stop(struct tracer *t)
{
	if (t->detaching) {
		pthread_join(t->detacher, NULL);
		t->detaching = false;
	}
	if (t->polling) {
		t->polling = false;
		pthread_join(t->poller, NULL);
	}
	ring_buffer__free(t->rb);
	t->rb = NULL;
	free(t->log.v);
	memset(&t->log, 0, sizeof(t->log));
	ipctrace_bpf__destroy(t->helper); /* detaches: links are closed with the object */
	t->helper = NULL;
	ipctrace_bpf__destroy(t->skel);
	t->skel = NULL;
}

