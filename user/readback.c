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
#include "compiler.h"

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

/*
 * What sys_exit has added up and not yet written to the tables, per CPU
 * and process (bpf/io.bpf.h: struct ipct_acc): the rows of the slots
 * taken, every CPU's copy of each.
 */
struct acc_snap {
	struct ipct_acc *v; /* rows * ncpus */
	__u32 rows;
	int ncpus;
};

static int acc_read(struct tracer *t, struct acc_snap *a, __u32 nslots)
{
	int fd = bpf_map__fd(t->skel->maps.acc);
	__u32 max = bpf_map__max_entries(t->skel->maps.acc);

	a->ncpus = t->ncpus;
	a->rows = nslots < max ? nslots : max;
	a->v = calloc((size_t)(a->rows ? a->rows : 1) * a->ncpus, sizeof(*a->v));
	if (!a->v)
		return -ENOMEM;
	for (__u32 row = 0; row < a->rows; row++)
		if (bpf_map_lookup_elem(fd, &row, &a->v[(size_t)row * a->ncpus]))
			return -errno;
	return 0;
}

/* Whether no row of @a was written to the tables before @b was read (gen unchanged, even). */
static bool acc_same(const struct acc_snap *a, const struct acc_snap *b)
{
	for (size_t i = 0; i < (size_t)a->rows * a->ncpus; i++)
		if (a->v[i].gen != b->v[i].gen || (a->v[i].gen & 1))
			return false;
	return true;
}

/* Call @fn for each CPU's copy of each row that holds a process's counts. */
static void acc_each(const struct acc_snap *a, struct trace_result *r,
		     void (*fn)(struct trace_result *r, struct traced_proc *p, const struct ipct_acc *v))
{
	struct traced_proc *p;

	for (size_t i = 0; a->v && i < (size_t)a->rows * a->ncpus; i++)
		if (a->v[i].tag && (p = proc_by_slot(r, a->v[i].tag - 1)))
			fn(r, p, &a->v[i]);
}

static void acc_add_row(struct trace_result *r, struct traced_proc *p UNUSED,
			const struct ipct_acc *v)
{
	for (int i = 0; i < IPCT_ACC_ROWS; i++)
		if (v->row[i].key.op != IO_NONE && v->row[i].val.attempts)
			add_io_row(r, &v->row[i].key, &v->row[i].val);
}

static void acc_add_sys(struct trace_result *r UNUSED, struct traced_proc *p,
			const struct ipct_acc *v)
{
	if (v->lookup.calls && v->lookup.phase < NR_PHASES) {
		p->phase[v->lookup.phase].k.pc_lookup_pages += v->lookup.pages;
		p->phase[v->lookup.phase].k.pc_lookup_calls += v->lookup.calls;
	}
	for (int i = 0; i < IPCT_ACC_SYS; i++) {
		if (!v->sys[i].n || v->sys[i].phase >= NR_PHASES)
			continue;
		p->phase[v->sys[i].phase].k.syscalls += v->sys[i].n;
		count_nr(&p->phase[v->sys[i].phase], v->sys[i].nr, v->sys[i].n);
	}
}

static struct file_row *file_by_key(struct trace_result *r, const struct ipct_file_key *k)
{
	for (int i = 0; i < r->nfiles; i++)
		if (!memcmp(&r->files[i].key, k, sizeof(*k)))
			return &r->files[i];
	return NULL;
}

static void file_add(struct file_row *f, bool write, __u64 bytes, __u64 calls)
{
	if (!f)
		return;
	if (write) {
		f->st.write_bytes += bytes;
		f->st.writes += calls;
	} else {
		f->st.read_bytes += bytes;
		f->st.reads += calls;
	}
}

/* Pending rows' bytes and lookups into their files' rows (bpf/io.bpf.h made the rows). */
static void acc_add_files(struct trace_result *r, struct traced_proc *p UNUSED,
			  const struct ipct_acc *v)
{
	struct file_row *f;

	for (int i = 0; i < IPCT_ACC_ROWS; i++) {
		const struct ipct_acc_row *w = &v->row[i];

		if (w->key.op == IO_NONE || w->key.phase != PHASE_TRANSFER || !w->val.calls)
			continue;
		if (w->in_inode)
			file_add(file_by_key(r, &w->in_key), w->key.op == IO_WRITE, w->val.bytes,
				 w->val.calls);
		if (w->out_inode)
			file_add(file_by_key(r, &w->out_key), true, w->val.bytes, w->val.calls);
	}
	if (v->lookup.calls && v->lookup.inode && (f = file_by_key(r, &v->lookup.key)))
		f->st.pc_lookups += v->lookup.pages;
}

static int read_io(struct tracer *t, struct trace_result *r, const struct acc_snap *a)
{
	int err;

	skb_observed = probe_available(&t->probes, "skb_copy_datagram_iovec");
	err = percpu_hash_foreach(t, bpf_map__fd(t->skel->maps.io), sizeof(struct ipct_io_val),
				  add_io_row, r);
	if (!err)
		acc_each(a, r, acc_add_row);
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

/* The tables read once, with what @a holds pending added. */
static int collect_once(struct tracer *t, struct trace_result *r, const struct acc_snap *a,
			__u32 nslots)
{
	int info_fd = bpf_map__fd(t->skel->maps.procinfo);
	int err;

	memset(r, 0, sizeof(*r));
	r->slot_overflow = t->skel->bss->slot_overflow;
	r->rows_lost = t->skel->bss->rows_lost;
	r->syscall_gate = !t->skel->rodata->targ_gate ? "off"
			  : t->skel->bss->gate_hold & GATE_HOLD_BROKEN ? "broken"
			  : t->skel->bss->gate_hold ? "held" : "on";
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
		err = read_io(t, r, a);
	if (!err)
		err = read_left(t, r);
	if (!err)
		err = percpu_hash_foreach(t, bpf_map__fd(t->skel->maps.sysnr), sizeof(__u64),
					  add_sysnr, r);
	if (!err)
		acc_each(a, r, acc_add_sys);
	if (!err)
		err = read_files(t, r);
	if (!err)
		acc_each(a, r, acc_add_files);
	return err;
}

/*
 * The tables and what is pending per CPU (struct ipct_acc) are read
 * between two reads of the pending rows; when a row was written to the
 * tables in between (its gen moved), the counts it held could be in both
 * or in neither: all is read again (a traced process still running at the
 * end of `trace -p`; 8 tries, then the last reading is kept).
 */
int tracer_collect(struct tracer *t, struct trace_result *r)
{
	__u32 nslots = t->skel->bss->next_slot;
	struct acc_snap a = {}, b = {};
	int err = 0;

	if (nslots > IPCT_MAX_SLOTS)
		nslots = IPCT_MAX_SLOTS;
	for (int try = 0; try < 8; try++) {
		if (try)
			trace_result_free(r);
		free(a.v);
		free(b.v);
		a.v = b.v = NULL;
		err = acc_read(t, &a, nslots);
		if (!err)
			err = collect_once(t, r, &a, nslots);
		if (!err)
			err = acc_read(t, &b, nslots);
		if (err || acc_same(&a, &b))
			break;
	}
	free(a.v);
	free(b.v);
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
