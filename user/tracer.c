// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ipctrace.skel.h"
#include "ledger.h"
#include "tracer.h"

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && getenv("IPCTRACE_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	return level == LIBBPF_DEBUG || !getenv("IPCTRACE_DEBUG") ? 0 : vfprintf(stderr, fmt, ap);
}

/* Turn a load/attach failure into a sentence about what is missing. */
static void explain(const char *step, int err)
{
	fprintf(stderr, "ipctrace: %s failed: %s\n", step, strerror(-err));
	if (err == -EPERM || err == -EACCES)
		fprintf(stderr, "ipctrace: loading BPF programs needs root, or CAP_BPF and "
				"CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8); "
				"check also kernel.unprivileged_bpf_disabled and lockdown\n");
	else if (err == -ENOSYS)
		fprintf(stderr, "ipctrace: this kernel has no bpf() syscall (CONFIG_BPF_SYSCALL)\n");
}

int tracer_start(struct tracer *t, pid_t launcher)
{
	int err;

	memset(t, 0, sizeof(*t));
	libbpf_set_print(libbpf_quiet);
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus <= 0)
		return t->ncpus ? t->ncpus : -EINVAL;
	probe_kernel(&t->probes, false);
	if (!t->probes.btf_ok) {
		fprintf(stderr, "ipctrace: %s; tp_btf programs need it (CONFIG_DEBUG_INFO_BTF)\n",
			t->probes.btf_error);
		return -ENOENT;
	}
	t->skel = ipctrace_bpf__open();
	if (!t->skel) {
		err = -errno;
		explain("opening the BPF object", err);
		return err;
	}
	t->skel->rodata->targ_launcher = launcher;
	err = probe_apply(&t->probes, t->skel->obj, stderr);
	if (err)
		goto fail;
	err = ipctrace_bpf__load(t->skel);
	if (err) {
		explain("loading the BPF programs", err);
		goto fail;
	}
	err = ipctrace_bpf__attach(t->skel);
	if (err) {
		explain("attaching the BPF programs", err);
		goto fail;
	}
	return 0;
fail:
	ipctrace_bpf__destroy(t->skel);
	t->skel = NULL;
	return err;
}

void tracer_stop(struct tracer *t)
{
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
	struct ipct_counters *vals = calloc(t->ncpus, sizeof(*vals));

	if (!vals)
		return -ENOMEM;
	for (int i = 0; i < r->nprocs; i++) {
		for (int ph = 0; ph < NR_PHASES; ph++) {
			__u32 key = r->procs[i].slot * NR_PHASES + ph;

			if (bpf_map_lookup_elem(fd, &key, vals))
				continue;
			sum_percpu(&r->procs[i].phase[ph].k, vals, sizeof(*vals), t->ncpus);
		}
	}
	free(vals);
	return 0;
}

static int read_io(struct tracer *t, struct trace_result *r)
{
	int fd = bpf_map__fd(t->skel->maps.io);
	struct ipct_io_val *vals = calloc(t->ncpus, sizeof(*vals));
	struct ipct_io_key key, next, *prev = NULL;
	bool skb_observed = probe_available(&t->probes, "skb_copy_datagram_iovec");

	if (!vals)
		return -ENOMEM;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct ipct_io_val sum = {};
		struct traced_proc *p;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		sum_percpu(&sum, vals, sizeof(sum), t->ncpus);
		p = proc_by_slot(r, key.slot);
		if (p && key.phase < NR_PHASES)
			ledger_add_row(&p->phase[key.phase], &key, &sum, skb_observed);
	}
	if (skb_observed)
		for (int i = 0; i < r->nprocs; i++)
			for (int ph = 0; ph < NR_PHASES; ph++)
				ledger_add_observed_socket_rx(&r->procs[i].phase[ph]);
	free(vals);
	return 0;
}

static int read_sysnr(struct tracer *t, struct trace_result *r)
{
	int fd = bpf_map__fd(t->skel->maps.sysnr);
	__u64 *vals = calloc(t->ncpus, sizeof(*vals));
	struct ipct_sys_key key, next, *prev = NULL;

	if (!vals)
		return -ENOMEM;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		__u64 sum = 0;
		struct traced_proc *p;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		sum_percpu(&sum, vals, sizeof(sum), t->ncpus);
		p = proc_by_slot(r, key.slot);
		if (!p || key.phase >= NR_PHASES)
			continue;
		if (key.nr < MAX_SYSNR)
			p->phase[key.phase].sys_by_nr[key.nr] += sum;
		else
			p->phase[key.phase].sys_other += sum;
	}
	free(vals);
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
		err = read_sysnr(t, r);
	return err;
}

void trace_result_free(struct trace_result *r)
{
	free(r->procs);
	r->procs = NULL;
	r->nprocs = 0;
}
