// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ipctrace.skel.h"
#include "ledger.h"
#include "outfile.h"
#include "tracer.h"
#include "testpoint.h"

/* A hexadecimal (or small decimal) field of /proc/self/status; 0 if absent. */
static unsigned long long status_field(const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	unsigned long long v = 0;
	size_t n = strlen(key);
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtoull(line + n + 1, NULL, 16);
	if (f)
		fclose(f);
	return v;
}

#define CAP_BIT(n) (1ull << (n))
#define CAPS_FOR_BPF (CAP_BIT(38) | CAP_BIT(39)) /* CAP_PERFMON, CAP_BPF */
#define CAP_SYS_ADMIN_BIT CAP_BIT(21)

/* Turn a load/attach failure into a sentence about what is missing. */
static void explain(const char *step, int err)
{
	unsigned long long caps = status_field("CapEff");
	bool capable = (caps & CAPS_FOR_BPF) == CAPS_FOR_BPF || (caps & CAP_SYS_ADMIN_BIT);
	bool seccomp = status_field("Seccomp") != 0;

	fprintf(stderr, "ipctrace: %s failed: %s\n", step, strerror(-err));
	if ((err == -EPERM || err == -EACCES) && !capable)
		fprintf(stderr, "ipctrace: loading BPF programs needs root, or CAP_BPF and "
				"CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8), which this process "
				"does not have\n");
	else if (err == -EPERM || err == -EACCES)
		fprintf(stderr, "ipctrace: the kernel refused bpf() although this process has "
				"CAP_BPF and CAP_PERFMON: %s\n",
			seccomp ? "it runs under a seccomp filter (Seccomp in /proc/self/status), "
				  "which may refuse bpf(); run ipctrace outside that sandbox"
				: "check kernel lockdown (/sys/kernel/security/lockdown) and LSM "
				  "policy (SELinux, AppArmor, BPF LSM)");
	else if (err == -ENOSYS)
		fprintf(stderr, "ipctrace: bpf() is not implemented: %s\n",
			seccomp ? "ipctrace runs under a seccomp filter (Seccomp in "
				  "/proc/self/status), which may hide it"
				: "this kernel has no CONFIG_BPF_SYSCALL");
}

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

/* procs[] is indexed by tgid: as many entries as the kernel has pids. */
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
 * Where the kernel's BTF cannot be mapped (before 6.16, e.g. Debian's 6.1),
 * libbpf 1.1 reads it (5.5 MB on 6.18) into one buffer and copies it into
 * another, for the probe and again for the load when an fexit program
 * loads: thousands of page faults on fresh memory, which cost ~40 ms of
 * start-up on a machine where faults are dear (measured with
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1: 4,717 faults -> ~1,450, 150 ->
 * 110 ms; btf__load_vmlinux_btf() alone 51 ms -> 8 to 20 ms). So large
 * blocks come from the heap (not fresh mmaps) for the load, in a region
 * advised for transparent huge pages, so they fault 2 MB at a time;
 * heap_after_load() gives the memory back when tracer_start() returns,
 * before any worker is forked, whether the load worked or not. With the
 * mapped BTF (6.18), nothing that large is allocated any more: start-up
 * with and without this was the same (30.7-30.8 against 29.1-31.4 ms,
 * medians of 9, alternated).
 */
#define BTF_HEAP (24UL << 20) /* under glibc's largest mmap threshold, 32 MB */
#define HUGE_PAGE (2UL << 20)

static void heap_for_load(void)
{
	uintptr_t lo, hi;
	char *p;

	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, (int)(2 * BTF_HEAP));
	p = malloc(BTF_HEAP);
	if (!p)
		return;
	lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	hi = ((uintptr_t)p + BTF_HEAP) & ~(HUGE_PAGE - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	free(p); /* stays in the heap, above the trim threshold's reach */
}

/* glibc's defaults again (the mmap threshold then stays fixed, not adaptive) */
static void heap_after_load(void)
{
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
	malloc_trim(0);
}

/*
 * Test-only (IPCTRACE_TEST_INSNS=FILE): every loaded program's instructions
 * as libbpf relocated them, map fds blanked, so that a test can hold the
 * CO-RE BTF (corebtf.c) to what the kernel's whole BTF gives.
 */
static void dump_insns_for_test(struct bpf_object *obj, const char *core_btf)
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
		const struct bpf_insn *in = bpf_program__insns(prog);
		size_t n = bpf_program__insn_cnt(prog);

		if (bpf_program__fd(prog) < 0)
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

static int load_and_attach(struct tracer *t, const struct tracer_opts *o)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	int err;

	memset(t, 0, sizeof(*t));
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus <= 0)
		return t->ncpus ? t->ncpus : -EINVAL;
	/* fexit observers load where the kernel allows, and when asked for */
	probe_kernel(&t->probes, !(o->skip_figures & FG_OBSERVED), true);
	probe_restrict(&t->probes, FG_ALL & ~o->skip_figures);
	/* CO-RE against the probe's copy of the types it needs (corebtf.c) */
	open_opts.btf_custom_path = *t->probes.core_btf ? t->probes.core_btf : NULL;
	if (!t->probes.btf_ok) {
		fprintf(stderr, "ipctrace: %s; tp_btf programs need it (CONFIG_DEBUG_INFO_BTF)\n",
			t->probes.btf_error);
		return -ENOENT;
	}
	err = probe_handle_tp_btf();
	if (err) {
		explain("opening the BPF object", err);
		return err;
	}
	t->skel = ipctrace_bpf__open_opts(&open_opts);
	if (!t->skel) {
		err = -errno;
		explain("opening the BPF object", err);
		return err;
	}
	t->skel->rodata->targ_launcher = o->launcher;
	t->skel->rodata->targ_exec_starts_transfer = o->exec_starts_transfer;
	t->skel->rodata->targ_timeline = o->timeline;
	if ((err = bpf_map__set_max_entries(t->skel->maps.procs, pid_max())))
		goto fail;
	err = probe_apply(&t->probes, t->skel->obj, !*t->probes.core_btf, stderr);
	if (err)
		goto fail;
	/* attach only what the report needs: wakeups matter to timelines alone */
	bpf_program__set_autoload(t->skel->progs.cost_floor, o->cost_floor);
	if (!o->timeline)
		bpf_program__set_autoload(t->skel->progs.sched_wakeup_btf, false);
	else if ((err = bpf_map__set_max_entries(t->skel->maps.events, RINGBUF_BYTES)))
		goto fail;
	test_point(TP_LOAD);
	if (o->stop && o->stop()) {
		err = -EINTR;
		goto fail;
	}
	err = ipctrace_bpf__load(t->skel);
	if (err) {
		if (o->stop && o->stop()) /* a signal in the verifier: say only that */
			err = -EINTR;
		else
			explain("loading the BPF programs", err);
		goto fail;
	}
	dump_insns_for_test(t->skel->obj, t->probes.core_btf);
	test_point(TP_ATTACH);
	if (o->stop && o->stop()) {
		err = -EINTR;
		goto fail;
	}
	err = ipctrace_bpf__attach(t->skel);
	if (err) {
		explain("attaching the BPF programs", err);
		goto fail;
	}
	if (o->timeline && (err = start_timeline(t))) {
		fprintf(stderr, "ipctrace: reading the event stream: %s\n", strerror(-err));
		goto fail;
	}
	return 0;
fail:
	ipctrace_bpf__destroy(t->skel);
	t->skel = NULL;
	return err;
}

int tracer_start(struct tracer *t, const struct tracer_opts *o)
{
	int err;

	heap_for_load();
	err = load_and_attach(t, o);
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

int tracer_add_pid(struct tracer *t, pid_t pid)
{
	struct ipct_proc_info info = { .parent_slot = (__u32)-1 };
	struct ipct_proc p = { .phase = PHASE_TRANSFER, .traced = 1 }, old = {};
	struct timespec now;
	pid_t tgid = tracer_tgid_of(pid, info.comm, sizeof(info.comm));

	if (tgid <= 0)
		return -ESRCH;
	/* the same allocator the kernel side uses at fork */
	p.slot = __atomic_fetch_add(&t->skel->bss->next_slot, 1, __ATOMIC_SEQ_CST);
	if (p.slot >= IPCT_MAX_SLOTS)
		return -ENOSPC;
	clock_gettime(CLOCK_MONOTONIC, &now); /* bpf_ktime_get_ns()'s clock */
	info.tgid = tgid;
	info.mark_ns = now.tv_sec * 1000000000ull + now.tv_nsec;
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.procs), &tgid, &old))
		return -errno == -ENOENT ? -ERANGE : -errno; /* a pid past pid_max */
	if (old.traced)
		return -EEXIST;
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.procinfo), &p.slot, &info, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(t->skel->maps.procs), &tgid, &p, BPF_ANY))
		return -errno;
	return kill(tgid, 0) && errno == ESRCH ? -ESRCH : 0;
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

void tracer_stop(struct tracer *t)
{
	if (t->polling) {
		t->polling = false;
		pthread_join(t->poller, NULL);
	}
	ring_buffer__free(t->rb);
	t->rb = NULL;
	free(t->log.v);
	memset(&t->log, 0, sizeof(t->log));
	ipctrace_bpf__destroy(t->skel); /* detaches: links are closed with the object */
	t->skel = NULL;
}

static struct traced_proc *proc_by_slot(struct trace_result *r, __u32 slot)
{
	for (int i = 0; i < r->nprocs; i++)
		if (r->procs[i].slot == slot)
			return &r->procs[i];
	return NULL;
}

/* Sum one per-CPU value array of __u64 fields into @dst. */
static void sum_percpu(void *dst, const void *vals, size_t size, int ncpus)
{
	__u64 *d = dst;

	for (int cpu = 0; cpu < ncpus; cpu++) {
		const __u64 *s = (const __u64 *)((const char *)vals + (size_t)cpu * size);

		for (size_t i = 0; i < size / sizeof(__u64); i++)
			d[i] += s[i];
	}
}

static int read_counters(struct tracer *t, struct trace_result *r)
{
	int fd = bpf_map__fd(t->skel->maps.counters);

	for (int i = 0; i < r->nprocs; i++) {
		for (int ph = 0; ph < NR_PHASES; ph++) {
			__u32 key = r->procs[i].slot * NR_PHASES + ph;

			bpf_map_lookup_elem(fd, &key, &r->procs[i].phase[ph].k);
		}
	}
	return 0;
}

/*
 * Call @fn for every entry of per-CPU hash @fd with the value summed over
 * CPUs (values are arrays of __u64). Keys and values are at most 64 bytes.
 */
static int percpu_hash_foreach(struct tracer *t, int fd, size_t vsize,
			       void (*fn)(struct trace_result *r, const void *key, const void *sum),
			       struct trace_result *r)
{
	char key[64], next[64], sum[64], *prev = NULL;
	void *vals = calloc(t->ncpus, vsize);

	if (!vals)
		return -ENOMEM;
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		memcpy(key, next, sizeof(key));
		prev = key;
		if (bpf_map_lookup_elem(fd, key, vals))
			continue;
		memset(sum, 0, sizeof(sum));
		sum_percpu(sum, vals, vsize, t->ncpus);
		fn(r, key, sum);
	}
	free(vals);
	return 0;
}

_Static_assert(sizeof(struct ipct_io_key) <= 64 && sizeof(struct ipct_io_val) <= 64 &&
		       sizeof(struct ipct_sys_key) <= 64, "percpu_hash_foreach buffers");

static bool skb_observed; /* skb:skb_copy_datagram_iovec is on in this run */

static void count_nr(struct figures *f, __u32 nr, __u64 n)
{
	if (nr < MAX_SYSNR)
		f->sys_by_nr[nr] += n;
	else
		f->sys_other += n;
}

/* A data syscall's row: its calls (in all, by number) and, when it moved bytes, the ledger. */
static void add_io_row(struct trace_result *r, const void *k, const void *sum)
{
	const struct ipct_io_key *key = k;
	const struct ipct_io_val *val = sum;
	struct traced_proc *p = proc_by_slot(r, key->slot);

	if (!p || key->phase >= NR_PHASES)
		return;
	p->phase[key->phase].k.syscalls += val->attempts;
	count_nr(&p->phase[key->phase], key->nr, val->attempts);
	if (val->calls || key->op == IO_UNACCOUNTED)
		ledger_add_row(&p->phase[key->phase], key, val, skb_observed);
}

static void add_sysnr(struct trace_result *r, const void *k, const void *sum)
{
	const struct ipct_sys_key *key = k;
	struct traced_proc *p = proc_by_slot(r, key->slot);

	if (p && key->phase < NR_PHASES)
		count_nr(&p->phase[key->phase], key->nr, *(const __u64 *)sum);
}

static int read_io(struct tracer *t, struct trace_result *r)
{
	int err;

	skb_observed = probe_available(&t->probes, "skb_copy_datagram_iovec");
	err = percpu_hash_foreach(t, bpf_map__fd(t->skel->maps.io), sizeof(struct ipct_io_val),
				  add_io_row, r);
	if (!err && skb_observed)
		for (int i = 0; i < r->nprocs; i++)
			for (int ph = 0; ph < NR_PHASES; ph++)
				ledger_add_observed_socket_rx(&r->procs[i].phase[ph]);
	return err;
}

static int read_files(struct tracer *t, struct trace_result *r)
{
	int fd = bpf_map__fd(t->skel->maps.files);
	struct ipct_file_key key, next, *prev = NULL;
	int cap = 64;

	r->files = calloc(cap, sizeof(*r->files));
	if (!r->files)
		return -ENOMEM;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (r->nfiles == cap) {
			struct file_row *nf = realloc(r->files, 2 * cap * sizeof(*nf));

			if (!nf)
				return -ENOMEM;
			r->files = nf;
			cap *= 2;
		}
		if (bpf_map_lookup_elem(fd, &key, &r->files[r->nfiles].st))
			continue;
		r->files[r->nfiles++].key = key;
	}
	return 0;
}

int tracer_collect(struct tracer *t, struct trace_result *r)
{
	int info_fd = bpf_map__fd(t->skel->maps.procinfo);
	__u32 nslots = t->skel->bss->next_slot;
	int err;

	memset(r, 0, sizeof(*r));
	if (nslots > IPCT_MAX_SLOTS)
		nslots = IPCT_MAX_SLOTS;
	r->slot_overflow = t->skel->bss->slot_overflow;
	r->rows_lost = t->skel->bss->rows_lost;
	r->procs = calloc(nslots ? nslots : 1, sizeof(*r->procs));
	if (!r->procs)
		return -ENOMEM;
	for (__u32 s = 0; s < nslots; s++) {
		struct traced_proc *p = &r->procs[r->nprocs];

		if (bpf_map_lookup_elem(info_fd, &s, &p->info) || !p->info.tgid)
			continue;
		p->slot = s;
		r->nprocs++;
	}
	err = read_counters(t, r);
	if (!err)
		err = read_io(t, r);
	if (!err)
		err = percpu_hash_foreach(t, bpf_map__fd(t->skel->maps.sysnr), sizeof(__u64),
					  add_sysnr, r);
	if (!err)
		err = read_files(t, r);
	return err;
}

void trace_result_free(struct trace_result *r)
{
	free(r->procs);
	free(r->files);
	r->procs = NULL;
	r->files = NULL;
	r->nprocs = r->nfiles = 0;
}
