// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assemble.h"
#include "mounts.h"
#include "textsafe.h"
#include "report.h"

static const char *const phase_names[] = { "setup", "transfer", "teardown" };

/* Time each phase lasted in a process, by the kernel's clock at its marks. */
static struct json_object *phase_seconds(const struct ipct_proc_info *info)
{
	struct json_object *o = json_object_new_object();

	for (int ph = 0; ph < NR_PHASES; ph++)
		json_object_object_add(o, phase_names[ph], json_object_new_double(info->phase_ns[ph] / 1e9));
	return o;
}

static struct json_object *process_json(const struct report_info *ri, const struct tracer *t,
					const struct trace_result *r, int i)
{
	const struct traced_proc *p = &r->procs[i];
	struct json_object *po = json_object_new_object(), *pp = json_object_new_object();
	const char *role = ri->role ? ri->role(ri->role_ctx, p->info.tgid) : NULL;
	char buf[64];

	if (!role) {
		snprintf(buf, sizeof(buf), "%s.%u", p->info.comm, p->info.tgid);
		role = buf;
	}
	json_object_object_add(po, "pid", json_object_new_int(p->info.tgid));
	json_object_object_add(po, "role", json_object_new_string(role));
	json_object_object_add(po, "comm", json_text(p->info.comm));
	for (int j = 0; j < r->nprocs; j++)
		if (r->procs[j].slot == p->info.parent_slot)
			json_object_object_add(po, "parent_pid", json_object_new_int(r->procs[j].info.tgid));
	json_object_object_add(po, "exited", json_object_new_boolean(p->info.exited));
	if (p->info.exited && (p->info.exit_code & 0x7f))
		json_object_object_add(po, "killed_by_signal", json_object_new_int(p->info.exit_code & 0x7f));
	else if (p->info.exited)
		json_object_object_add(po, "exit_status", json_object_new_int((p->info.exit_code >> 8) & 0xff));
	json_object_object_add(po, "phase_seconds", phase_seconds(&p->info));
	json_object_object_add(po, "figures",
			       figures_json(&p->phase[PHASE_TRANSFER], &t->probes, 0, ri->nic_reason));
	for (int ph = 0; ph < NR_PHASES; ph++)
		json_object_object_add(pp, phase_names[ph],
				       figures_json(&p->phase[ph], &t->probes, 0, ri->nic_reason));
	json_object_object_add(po, "phases", pp);
	return po;
}

/* A file's name from the last components the kernel kept, leaf first. */
static void file_name(const struct ipct_file_stats *st, const struct ipct_file_key *k, char *buf,
		      size_t len)
{
	int n = 0, o = 0;

	while (n < IPCT_NAME_PARTS && st->parts[n][0])
		n++;
	if (!n) {
		snprintf(buf, len, "%u:%u:%llu", k->dev >> 20, k->dev & 0xfffff,
			 (unsigned long long)k->ino);
		return;
	}
	if (!st->complete)
		o += snprintf(buf + o, len - o, "...");
	for (int i = n - 1; i >= 0 && o < (int)len; i--) {
		if (!strcmp(st->parts[i], "/"))
			continue;
		o += snprintf(buf + o, len - o, "/%.*s%s", IPCT_NAME_LEN, st->parts[i],
			      st->cut >> i & 1 ? "..." : "");
	}
	if (!o)
		snprintf(buf, len, "/");
}

static int by_activity(const void *a, const void *b)
{
	const struct file_row *x = a, *y = b;
	__u64 ax = x->st.pc_misses * 4096 + x->st.read_bytes + x->st.write_bytes + x->st.faults * 4096;
	__u64 ay = y->st.pc_misses * 4096 + y->st.read_bytes + y->st.write_bytes + y->st.faults * 4096;

	return ax < ay ? 1 : ax > ay ? -1 : 0;
}

#define TOP_FILES 20

/* The files with the most page-cache misses, bytes moved and faults. */
static struct json_object *files_json(const struct trace_result *r, const struct probe_table *probes)
{
	/* before mm_filemap_get_pages (6.1) nothing counts lookups: null, not 0 */
	bool lookups = probe_available(probes, "mm_filemap_get_pages");
	struct json_object *arr = json_object_new_array();
	struct file_row *rows = malloc((r->nfiles ? r->nfiles : 1) * sizeof(*rows));
	struct mount_table mounts;

	if (!rows)
		return arr;
	memcpy(rows, r->files, r->nfiles * sizeof(*rows));
	qsort(rows, r->nfiles, sizeof(*rows), by_activity);
	mount_table_load(&mounts);
	for (int i = 0; i < r->nfiles && i < TOP_FILES; i++) {
		struct json_object *o = json_object_new_object();
		const struct ipct_file_stats *st = &rows[i].st;
		unsigned major = rows[i].key.dev >> 20, minor = rows[i].key.dev & 0xfffff;
		char name[IPCT_NAME_PARTS * (IPCT_NAME_LEN + 4) + 8], path[1024], dev[32];
		const char *point;

		file_name(st, &rows[i].key, name, sizeof(name));
		point = st->parts[0][0] ? mount_path(&mounts, major, minor, name, path, sizeof(path))
					: NULL;
		snprintf(dev, sizeof(dev), "%u:%u", major, minor);
		json_object_object_add(o, "name", json_text(point ? path : name));
		/* where its file system is mounted; null: nowhere now, and the name is from its root */
		json_object_object_add(o, "mount_point", point ? json_text(point) : NULL);
		json_object_object_add(o, "dev", json_object_new_string(dev));
		json_object_object_add(o, "ino", json_object_new_int64(rows[i].key.ino));
		json_object_object_add(o, "generation", json_object_new_int64(rows[i].key.gen));
		json_object_object_add(o, "read_bytes", json_object_new_int64(st->read_bytes));
		json_object_object_add(o, "write_bytes", json_object_new_int64(st->write_bytes));
		json_object_object_add(o, "faults", json_object_new_int64(st->faults));
		json_object_object_add(o, "page_cache_misses", json_object_new_int64(st->pc_misses));
		json_object_object_add(o, "page_cache_lookups",
				       lookups ? json_object_new_int64(st->pc_lookups) : NULL);
		json_object_object_add(o, "page_cache_hit_ratio",
				       st->pc_lookups ? json_object_new_double(
							       st->pc_lookups > st->pc_misses
								       ? 1.0 - (double)st->pc_misses / st->pc_lookups
								       : 0.0)
						      : NULL);
		json_object_array_add(arr, o);
	}
	free(rows);
	mount_table_free(&mounts);
	return arr;
}

struct json_object *report_assemble(const struct report_info *ri, const struct tracer *t,
				    const struct trace_result *r)
{
	struct json_object *rep = report_header(&t->probes), *o, *procs, *phases;
	struct figures sum[NR_PHASES] = {}, whole = {};
	__u64 transfer_ns = 0;

	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(ri->name));
	json_object_object_add(o, "params", ri->params ? ri->params : json_object_new_object());
	json_object_object_add(o, "unit", json_object_new_string(ri->unit));
	json_object_object_add(o, "units", json_object_new_int64(ri->units));
	json_object_object_add(rep, "scenario", o);
	json_object_object_add(rep, "facts", ri->facts ? ri->facts : json_object_new_object());

	procs = json_object_new_array();
	for (int i = 0; i < r->nprocs; i++) {
		const struct traced_proc *p = &r->procs[i];

		json_object_array_add(procs, process_json(ri, t, r, i));
		/* the transfer lasted as long as its longest process's transfer phase */
		if (p->info.phase_ns[PHASE_TRANSFER] > transfer_ns)
			transfer_ns = p->info.phase_ns[PHASE_TRANSFER];
		for (int ph = 0; ph < NR_PHASES; ph++) {
			figures_add(&sum[ph], &p->phase[ph]);
			figures_add(&whole, &p->phase[ph]);
		}
	}
	o = json_object_new_object();
	json_object_object_add(o, "complete", json_object_new_boolean(!ri->error));
	json_object_object_add(o, "error", json_text(ri->error));
	json_object_object_add(o, "duration_s", json_object_new_double(ri->secs));
	json_object_object_add(o, "transfer_seconds", json_object_new_double(transfer_ns / 1e9));
	json_object_object_add(o, "untraced_children", json_object_new_int64(r->slot_overflow));
	json_object_object_add(o, "rows_lost", json_object_new_int64(r->rows_lost));
	json_object_object_add(o, "syscall_gate", json_object_new_string(r->syscall_gate ?: "off"));
	json_object_object_add(rep, "run", o);
	json_object_object_add(rep, "processes", procs);
	json_object_object_add(rep, "totals",
			       figures_json(&sum[PHASE_TRANSFER], &t->probes, 0, ri->nic_reason));
	json_object_object_add(rep, "per_unit", figures_json(&sum[PHASE_TRANSFER], &t->probes,
							     ri->units, ri->nic_reason));
	phases = json_object_new_object();
	for (int ph = 0; ph < NR_PHASES; ph++)
		json_object_object_add(phases, phase_names[ph],
				       figures_json(&sum[ph], &t->probes, 0, ri->nic_reason));
	json_object_object_add(rep, "phases", phases);
	json_object_object_add(rep, "whole_run", figures_json(&whole, &t->probes, 0, ri->nic_reason));
	json_object_object_add(rep, "files", files_json(r, &t->probes));
	return rep;
}
