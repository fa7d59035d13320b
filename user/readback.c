// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading the maps back at the end of a run (tracer_collect(), tracer.h):
 * processes by slot, their counters per phase, the data syscalls' rows
 * through the copy ledger, syscalls by number, files.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ipctrace.skel.h"
#include "ledger.h"
#include "tracer.h"
#include "u64sum.h"

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
	for (int cpu = 0; cpu < ncpus; cpu++)
		u64_add_all(dst, (const char *)vals + (size_t)cpu * size, size);
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

static void for_each_phase(struct trace_result *r, void (*fn)(struct figures *f))
{
	for (int i = 0; i < r->nprocs; i++)
		for (int ph = 0; ph < NR_PHASES; ph++)
			fn(&r->procs[i].phase[ph]);
}

static int read_io(struct tracer *t, struct trace_result *r)
{
	int err;

	skb_observed = probe_available(&t->probes, "skb_copy_datagram_iovec");
	err = percpu_hash_foreach(t, bpf_map__fd(t->skel->maps.io), sizeof(struct ipct_io_val),
				  add_io_row, r);
	if (!err && skb_observed)
		for_each_phase(r, ledger_add_observed_socket_rx);
	if (!err)
		for_each_phase(r, ledger_zerocopy_copied);
	return err;
}

/*
 * Ops still recorded at the end in @map (whose values begin with their
 * struct ipct_io_key), each one not accounted in the counter at @off of
 * its process's counters.
 */
static void count_left(struct trace_result *r, const struct bpf_map *map, size_t off)
{
	size_t ksize = bpf_map__key_size(map), vsize = bpf_map__value_size(map);
	int fd = bpf_map__fd(map);
	unsigned char key[32], next[32], val[256];
	struct ipct_io_key k;
	struct traced_proc *p;
	bool first = true;

	if (ksize > sizeof(key) || vsize > sizeof(val) || vsize < sizeof(k))
		return;
	while (bpf_map_get_next_key(fd, first ? NULL : key, next) == 0) {
		memcpy(key, next, ksize);
		first = false;
		if (bpf_map_lookup_elem(fd, key, val))
			continue;
		memcpy(&k, val, sizeof(k));
		p = proc_by_slot(r, k.slot);
		if (p && k.phase < NR_PHASES)
			(*(__u64 *)((char *)&p->phase[k.phase].k + off))++;
	}
}

/*
 * Linux AIO ops still recorded at the end (bpf/aio.bpf.h): no io_getevents
 * reaped them (in flight, or reaped from the ring in user space); io_uring
 * ops likewise (bpf/uring.bpf.h: in flight, or freed with no CQE the
 * ledger saw). Not accounted, the submitter's, with those the kernel side
 * counted.
 */
static int read_left(struct tracer *t, struct trace_result *r)
{
	count_left(r, t->skel->maps.aio_reqs, offsetof(struct ipct_counters, aio_unaccounted));
	count_left(r, t->skel->maps.uring_reqs, offsetof(struct ipct_counters, uring_unaccounted));
	for_each_phase(r, ledger_add_ops_unaccounted);
	return 0;
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
		err = read_left(t, r);
	if (!err)
		err = percpu_hash_foreach(t, bpf_map__fd(t->skel->maps.sysnr), sizeof(__u64),
					  add_sysnr, r);
	if (!err)
		err = read_files(t, r);
	return err;
}

int tracer_live(struct tracer *t)
{
	int fd = bpf_map__fd(t->skel->maps.procinfo), n = 0;
	__u32 nslots = t->skel->bss->next_slot;
	struct ipct_proc_info info;

	if (nslots > IPCT_MAX_SLOTS)
		nslots = IPCT_MAX_SLOTS;
	for (__u32 s = 0; s < nslots; s++)
		if (!bpf_map_lookup_elem(fd, &s, &info) && info.tgid && !info.exited)
			n++;
	return n;
}

void trace_result_free(struct trace_result *r)
{
	free(r->procs);
	free(r->files);
	r->procs = NULL;
	r->files = NULL;
	r->nprocs = r->nfiles = 0;
}
