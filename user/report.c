// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The report's JSON: figures by the registry's rows, the header (report.h). */
#include <math.h>
#include <string.h>
#include <sys/utsname.h>
#include "ledger.h"
#include "report.h"
#include "syscall_table.h"

struct json_object *json_round3(double d)
{
	char s[48];

	snprintf(s, sizeof(s), "%.3f", d);
	/* trim trailing zeros so 16.000 prints as 16 */
	for (char *e = s + strlen(s) - 1; e > s && (*e == '0' || *e == '.'); e--) {
		char c = *e;

		*e = 0;
		if (c == '.')
			break;
	}
	return json_object_new_double_s(round(d * 1000) / 1000, s);
}

struct json_object *json_num(__u64 value, __u64 units)
{
	if (!units)
		return json_object_new_int64((int64_t)value);
	return json_round3(per_unit(value, units));
}

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

/*
 * Whether the attach points @ids[0..n) are all there; if not, the reason,
 * from the first missing one, goes under "unavailable" as @path.
 */
static bool points_there(const struct probe_table *probes, const enum attach_id *ids, int n,
			 const char *path, struct json_object *why)
{
	int i = probe_first_missing(probes, ids, n);
	const char *tp = i < 0 ? NULL : attach_defs[ids[i]].target;
	const struct attach_point *p = tp ? probe_find(probes, tp) : NULL;
	char reason[160];

	if (i < 0)
		return true;
	snprintf(reason, sizeof(reason), "%s %s: %s",
		 attach_defs[ids[i]].kind == AK_FENTRY ? "fexit" : "tracepoint", tp,
		 p ? p->reason : "not probed by this version");
	json_object_object_add(why, path, json_object_new_string(reason));
	return false;
}

static struct json_object *cell_json(const struct cell *c, __u64 units)
{
	struct json_object *o = json_object_new_object();

	add(o, "bytes", json_num(c->bytes, units));
	add(o, "ops", json_num(c->ops, units));
	add(o, "method", json_object_new_string(method_name(cell_method(c))));
	if (c->derived_bytes != c->bytes)
		add(o, "derived_bytes", json_num(c->derived_bytes, units));
	return o;
}

/* Calls by syscall name, for the numbers with any: syscalls_by_name, not_accounted. */
static struct json_object *by_nr_json(const __u64 *by_nr, __u64 other, __u64 units)
{
	struct json_object *o = json_object_new_object();

	for (int n = 0; n < MAX_SYSNR; n++) {
		char name[32];

		if (!by_nr[n])
			continue;
		if (syscall_name(n))
			snprintf(name, sizeof(name), "%s", syscall_name(n));
		else
			snprintf(name, sizeof(name), "syscall_%d", n);
		add(o, name, json_num(by_nr[n], units));
	}
	if (other)
		add(o, "other", json_num(other, units));
	return o;
}

/* process_vm_* bytes by peer pid, for the peers there were. */
static struct json_object *vm_peers_json(const struct figures *f, __u64 units)
{
	struct json_object *o = json_object_new_object(), *p;
	char pid[16];

	for (int i = 0; i < MAX_VM_PEERS && f->vm_peers[i].pid; i++) {
		const struct vm_peer *v = &f->vm_peers[i];

		if (v->pid == VM_PEER_OTHERS)
			snprintf(pid, sizeof(pid), "others");
		else
			snprintf(pid, sizeof(pid), "%u", v->pid);
		p = json_object_new_object();
		add(p, "read_bytes", json_num(v->read_bytes, units));
		add(p, "write_bytes", json_num(v->write_bytes, units));
		add(o, pid, p);
	}
	return o;
}

/* Bytes and calls by kind of fd, for the kinds that moved anything. */
static struct json_object *by_kind_json(const struct figures *f, __u64 units)
{
	struct json_object *o = json_object_new_object();

	for (int k = FD_REG; k < NR_FD_KINDS; k++) {
		const struct kind_io *io = &f->by_kind[k];
		struct json_object *e;

		if (!io->reads && !io->writes)
			continue;
		e = json_object_new_object();
		add(e, "read_bytes", json_num(io->read_bytes, units));
		add(e, "reads", json_num(io->reads, units));
		add(e, "write_bytes", json_num(io->write_bytes, units));
		add(e, "writes", json_num(io->writes, units));
		add(o, fd_kind_name(k), e);
	}
	return o;
}

const char *const iter_class_keys[NR_ITER_CLASSES] = {
	[IC_USER] = "user_bytes", [IC_KERNEL] = "kernel_bytes", [IC_PAGEREF] = "page_ref_bytes",
};

/*
 * observed_copies.<site>: what the copy caller moved, by what its iov_iter
 * pointed at, beside what the ledger says it moved (ledger_site()). Where
 * the kernel refuses the program the observed figures are null, with the
 * reason under "unavailable" (<site>.user_bytes ...).
 */
static struct json_object *observed_json(const struct figures *f, const struct probe_table *probes,
					 __u64 units, struct json_object *why)
{
	const char *const *keys = iter_class_keys;
	struct json_object *o = json_object_new_object();

	for (int s = 0; s < NR_OBS_SITES; s++) {
		const struct obs_site *site = &obs_sites[s];
		const char *tp = attach_defs[site->point].target;
		const struct attach_point *p = probe_find(probes, tp);
		bool fexit = s < NR_OBS_FEXIT;
		struct json_object *g = json_object_new_object();
		char method[96], path[96];

		snprintf(method, sizeof(method), "%s %s", fexit ? "fexit on" : "tracepoint",
			 p && p->found ? p->found : tp);
		add(g, "method", json_object_new_string(p && p->available ? method : "unavailable"));
		/* the receive tracepoint cannot tell user from kernel iov_iters */
		for (int c = 0; c < (fexit ? NR_ITER_CLASSES : 1); c++) {
			snprintf(path, sizeof(path), "%s.%s", site->key, keys[c]);
			add(g, keys[c], points_there(probes, &site->point, 1, path, why)
						? json_num(fexit ? f->k.obs_bytes[s][c] : f->k.skb_copy_bytes,
							   units)
						: NULL);
		}
		add(g, "derived_user_bytes", json_num(f->site_derived[s][IC_USER], units));
		if (fexit)
			add(g, "derived_kernel_bytes", json_num(f->site_derived[s][IC_KERNEL], units));
		add(o, site->key, g);
	}
	return o;
}

/* One figure of the registry into @o, its group or the figures object. */
static void figure_json(const struct figure_def *d, struct json_object *o, const struct figures *f,
			const struct probe_table *probes, __u64 units, const char *nic_reason,
			struct json_object *why)
{
	const char *key = figure_key(d);

	switch (d->shape) {
	case FS_COUNT:
		add(o, key, points_there(probes, d->points, d->npoints, d->path, why)
				    ? json_num(figure_value(d - figure_defs, f), units)
				    : NULL);
		break;
	case FS_CELL:
		add(o, key, points_there(probes, d->points, d->npoints, d->path, why)
				    ? cell_json(&f->col[d->column], units)
				    : NULL);
		break;
	case FS_BY_NAME:
		add(o, key, by_nr_json(f->sys_by_nr, f->sys_other, units));
		break;
	case FS_UNACCOUNTED:
		add(o, key, by_nr_json(f->unacc_by_nr, 0, units));
		break;
	case FS_VM_PEERS:
		add(o, key, vm_peers_json(f, units));
		break;
	case FS_NIC:
		add(o, key, NULL);
		add(o, "nic_reason", json_object_new_string(nic_reason ? nic_reason : "not traced"));
		break;
	case FS_BY_KIND:
		add(o, key, by_kind_json(f, units));
		break;
	case FS_OBSERVED:
		add(o, key, observed_json(f, probes, units, why));
		break;
	}
}

/* Every figure of figures.def, in its order; "unavailable" last. */
struct json_object *figures_json(const struct figures *f, const struct probe_table *probes,
				 __u64 units, const char *nic_reason)
{
	struct json_object *o = json_object_new_object(), *g = o, *why = json_object_new_object();
	char name[64], open[64] = "";

	for (int i = 0; i < NR_FIGURES; i++) {
		const struct figure_def *d = &figure_defs[i];

		figure_group_name(d, name, sizeof(name));
		if (strcmp(name, open)) { /* the rows of a group are together */
			g = *name ? json_object_new_object() : o;
			if (*name)
				add(o, name, g);
			snprintf(open, sizeof(open), "%s", name);
		}
		figure_json(d, g, f, probes, units, nic_reason, why);
	}
	add(o, "unavailable", why);
	return o;
}

struct json_object *report_header(const struct probe_table *probes)
{
	struct json_object *r = json_object_new_object(), *o, *why;
	struct utsname u;

	add(r, "schema", json_object_new_int(REPORT_SCHEMA));
	o = json_object_new_object();
	add(o, "name", json_object_new_string("ipctrace"));
	add(o, "version", json_object_new_string(IPCTRACE_VERSION));
	add(r, "tool", o);
	o = json_object_new_object();
	if (!uname(&u)) {
		add(o, "release", json_object_new_string(u.release));
		add(o, "machine", json_object_new_string(u.machine));
	}
	add(r, "kernel", o);
	o = json_object_new_object();
	why = json_object_new_object();
	for (int i = 0; i < probes->n; i++) {
		const struct attach_point *p = &probes->points[i];
		const char *name = p->found ? p->found : p->target;

		add(o, name, json_object_new_string(p->available ? (p->kind == AK_TP_BTF ? "tp_btf"
										      : "fentry")
								 : "unavailable"));
		if (!p->available)
			add(why, name, json_object_new_string(p->reason));
	}
	add(r, "probes", o);
	add(r, "probe_reasons", why);
	return r;
}

void report_print_json(struct json_object *report, FILE *out)
{
	fprintf(out, "%s\n",
		json_object_to_json_string_ext(report, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_SPACED |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
}
