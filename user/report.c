// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <string.h>
#include <sys/utsname.h>
#include "ledger.h"
#include "report.h"

#include "syscall_table.h"
#include "textsafe.h"

struct json_object *json_num(__u64 value, __u64 units)
{
	char s[48];
	double d;

	if (!units)
		return json_object_new_int64((int64_t)value);
	d = per_unit(value, units);
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

/*
 * observed_copies.<site>: what the copy caller moved, by what its iov_iter
 * pointed at, beside what the ledger says it moved (ledger_site()). Where
 * the kernel refuses the program the observed figures are null, with the
 * reason under "unavailable" (<site>.user_bytes ...).
 */
static struct json_object *observed_json(const struct figures *f, const struct probe_table *probes,
					 __u64 units, struct json_object *why)
{
	static const char *const keys[NR_ITER_CLASSES] = {
		[IC_USER] = "user_bytes", [IC_KERNEL] = "kernel_bytes", [IC_PAGEREF] = "page_ref_bytes",
	};
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
		add(o, key, cell_json(&f->col[d->column], units));
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

/* ---- text ---------------------------------------------------------------- */

static struct json_object *at(struct json_object *o, const char *path)
{
	char key[64];

	while (o && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (dot ? 1 : 0);
	}
	return o;
}

/*
 * The string at @path of @o, escaped for a terminal into @buf: comm, roles
 * made of it, file names and errors can hold any byte (textsafe.h).
 */
static const char *safe_at(struct json_object *o, const char *path, char *buf, size_t len)
{
	return text_safe(json_object_get_string(at(o, path)), buf, len);
}

void format_value(struct json_object *v, char *buf, size_t len)
{
	char digits[32];
	int n, j = 0;

	if (!v) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (json_object_is_type(v, json_type_double)) {
		snprintf(buf, len, "%s", json_object_to_json_string(v));
		return;
	}
	if (!json_object_is_type(v, json_type_int)) {
		snprintf(buf, len, "%s", json_object_get_string(v));
		return;
	}
	n = snprintf(digits, sizeof(digits), "%lld", (long long)json_object_get_int64(v));
	for (int i = 0; i < n && j + 2 < (int)len; i++) {
		if (i && (n - i) % 3 == 0 && digits[0] != '-')
			buf[j++] = ',';
		buf[j++] = digits[i];
	}
	buf[j] = 0;
}

#define MAX_COLS 12
#define LABEL_W 40
#define COL_W 14

/* One text row: @path of each column, its method in [] when @method is given. */
static void print_row(const char *label, const char *path, const char *method,
		      struct json_object **cols, int ncols, struct json_object *totals, FILE *out)
{
	struct json_object *m = method ? at(totals, method) : NULL;
	char v[48], text[96];

	snprintf(text, sizeof(text), "%s%s%s%s", label, m ? " [" : "", m ? json_object_get_string(m) : "",
		 m ? "]" : "");
	fprintf(out, "%-*s", LABEL_W, text);
	for (int c = 0; c < ncols; c++) {
		format_value(at(cols[c], path), v, sizeof(v));
		fprintf(out, " %*s", COL_W, v);
	}
	fputc('\n', out);
}

/* A figure's rows: a count is one, a ledger cell its bytes (with the method) and calls. */
static void print_figure(const struct figure_def *d, struct json_object **cols, int ncols,
			 struct json_object *totals, FILE *out)
{
	char label[96], path[96], method[96];

	if (d->shape != FS_CELL) {
		print_row(d->label, d->path, NULL, cols, ncols, totals, out);
		return;
	}
	snprintf(label, sizeof(label), "%s, bytes", d->label);
	snprintf(path, sizeof(path), "%s.bytes", d->path);
	snprintf(method, sizeof(method), "%s.method", d->path);
	print_row(label, path, method, cols, ncols, totals, out);
	snprintf(label, sizeof(label), "%s, calls", d->label);
	snprintf(path, sizeof(path), "%s.ops", d->path);
	print_row(label, path, NULL, cols, ncols, totals, out);
}

/* Section @s: each of its figures, followed by the "of which" rows under it. */
static void print_section(enum fig_section s, struct json_object **cols, const char **names,
			  int ncols, struct json_object *totals, FILE *out)
{
	char name[TEXT_SAFE_LEN];

	fprintf(out, "\n%s\n%-*s", section_titles[s], LABEL_W, "");
	for (int c = 0; c < ncols; c++)
		fprintf(out, " %*s", COL_W, text_safe(names[c], name, sizeof(name)));
	fputc('\n', out);
	for (int i = 0; i < NR_FIGURES; i++) {
		if (figure_defs[i].section != s || figure_defs[i].parent >= 0)
			continue;
		print_figure(&figure_defs[i], cols, ncols, totals, out);
		for (int j = i + 1; j < NR_FIGURES; j++)
			if (figure_defs[j].parent == i)
				print_figure(&figure_defs[j], cols, ncols, totals, out);
	}
}

static void print_syscall_names(struct json_object *f, const char *who, FILE *out)
{
	struct json_object *by = at(f, "syscalls_by_name");
	char v[48], safe[TEXT_SAFE_LEN];
	int first = 1;

	if (!by || !json_object_object_length(by))
		return;
	fprintf(out, "  %-12s", text_safe(who, safe, sizeof(safe)));
	json_object_object_foreach(by, name, val) {
		format_value(val, v, sizeof(v));
		fprintf(out, "%s%s %s", first ? "" : ", ", name, v);
		first = 0;
	}
	fputc('\n', out);
}

static void print_notes(struct json_object *report, FILE *out)
{
	struct json_object *why = at(report, "totals.unavailable"), *facts = at(report, "facts");
	char v[48];

	if (facts && json_object_object_length(facts)) {
		fprintf(out, "\nObserved in user space by the workload\n");
		json_object_object_foreach(facts, role, kv) {
			json_object_object_foreach(kv, key, val) {
				format_value(val, v, sizeof(v));
				fprintf(out, "  %-10s %-30s %s\n", role, key, v);
			}
		}
	}
	fprintf(out, "\nNotes\n");
	fprintf(out, "  NIC DMA: %s\n", json_object_get_string(at(report, "totals.dma.nic_reason")));
	if (why) {
		json_object_object_foreach(why, key, reason) {
			char site[64];

			/* observed copies have their reason in their own table */
			snprintf(site, sizeof(site), "observed_copies.%.*s", (int)strcspn(key, "."), key);
			if (!at(at(report, "totals"), site))
				fprintf(out, "  %s: n/a, %s\n", key, json_object_get_string(reason));
		}
	}
	fprintf(out, "  methods: observed = counted on the operation by a tracepoint; "
		     "derived = from syscall return values and fd kinds\n");
}

/* Data calls whose bytes are in no figure: a line, only when there are any. */
static void print_not_accounted(struct json_object *totals, FILE *out)
{
	struct json_object *calls = at(totals, "not_accounted.calls");
	char v[48];
	int first = 1;

	if (!calls || !json_object_get_int64(calls))
		return;
	format_value(calls, v, sizeof(v));
	fprintf(out, "\nNOT ACCOUNTED: %s data calls whose bytes are in no figure above (", v);
	json_object_object_foreach(at(totals, "not_accounted.by_syscall"), name, n) {
		format_value(n, v, sizeof(v));
		fprintf(out, "%s%s %s", first ? "" : ", ", name, v);
		first = 0;
	}
	fprintf(out, ")\n");
}

void report_print_observed(struct json_object *totals, FILE *out)
{
	struct json_object *obs = at(totals, "observed_copies");
	char a[32], b[32], c[32], d[32], e[32];

	if (!obs)
		return;
	fprintf(out, "\nCopies observed on their callers, beside the ledger's derivation (bytes)\n");
	fprintf(out, "  %-15s %-36s %13s %13s %13s %13s %13s\n", "", "method", "user", "derived",
		"in kernel", "derived", "page refs");
	for (int s = 0; s < NR_OBS_SITES; s++) {
		const struct obs_site *site = &obs_sites[s];
		struct json_object *g = at(obs, site->key), *why;
		char path[96];

		format_value(at(g, "user_bytes"), a, sizeof(a));
		format_value(at(g, "derived_user_bytes"), b, sizeof(b));
		format_value(at(g, "kernel_bytes"), c, sizeof(c));
		format_value(at(g, "derived_kernel_bytes"), d, sizeof(d));
		format_value(at(g, "page_ref_bytes"), e, sizeof(e));
		if (!at(g, "user_bytes")) {
			snprintf(path, sizeof(path), "%s.user_bytes", site->key);
			if (!json_object_object_get_ex(at(totals, "unavailable"), path, &why))
				why = NULL;
			fprintf(out, "  %-15s n/a: %s (derived: user %s, in kernel %s)\n", site->label,
				why ? json_object_get_string(why) : "not observed", b, d);
			continue;
		}
		fprintf(out, "  %-15s %-36s %13s %13s %13s %13s %13s\n", site->label,
			json_object_get_string(at(g, "method")), a, b, at(g, "kernel_bytes") ? c : "-",
			at(g, "derived_kernel_bytes") ? d : "-", at(g, "page_ref_bytes") ? e : "-");
	}
}

/* One row per process: for traces of many processes. */
static void print_process_rows(struct json_object *procs, FILE *out)
{
	static const struct { const char *head, *path; } cols[] = {
		{ "syscalls", "syscalls" },
		{ "faults", "page_faults.user" },
		{ "vol.csw", "context_switches.voluntary" },
		{ "invol.csw", "context_switches.involuntary" },
		{ "u->k bytes", "copies.user_to_kernel.bytes" },
		{ "k->u bytes", "copies.kernel_to_user.bytes" },
		{ "refs bytes", "page_refs.bytes" },
		{ "disk read", "dma.disk_read_bytes" },
	};
	char v[48], comm[TEXT_SAFE_LEN];

	fprintf(out, "\n%7s %7s %-16s", "pid", "parent", "comm");
	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		fprintf(out, " %13s", cols[c].head);
	fputc('\n', out);
	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i), *f = at(p, "figures");
		struct json_object *ks = at(p, "killed_by_signal");

		fprintf(out, "%7s %7s %-16s", json_object_get_string(at(p, "pid")),
			at(p, "parent_pid") ? json_object_get_string(at(p, "parent_pid")) : "-",
			safe_at(p, "comm", comm, sizeof(comm)));
		for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			format_value(at(f, cols[c].path), v, sizeof(v));
			fprintf(out, " %13s", v);
		}
		if (ks)
			fprintf(out, "  killed by signal %s", json_object_get_string(ks));
		fputc('\n', out);
	}
}

static void print_by_kind(struct json_object *totals, FILE *out)
{
	struct json_object *kinds = at(totals, "by_fd_kind");
	char a[48], b[48], c[48], d[48];

	if (!kinds || !json_object_object_length(kinds))
		return;
	fprintf(out, "\nBy kind of fd\n  %-10s %16s %10s %16s %10s\n", "kind", "bytes read", "reads",
		"bytes written", "writes");
	json_object_object_foreach(kinds, kind, v) {
		format_value(at(v, "read_bytes"), a, sizeof(a));
		format_value(at(v, "reads"), b, sizeof(b));
		format_value(at(v, "write_bytes"), c, sizeof(c));
		format_value(at(v, "writes"), d, sizeof(d));
		fprintf(out, "  %-10s %16s %10s %16s %10s\n", kind, a, b, c, d);
	}
	format_value(at(totals, "page_faults.user_file_backed"), a, sizeof(a));
	format_value(at(totals, "page_faults.user_anonymous"), b, sizeof(b));
	fprintf(out, "  page faults on file mappings %s, on anonymous memory %s\n", a, b);
}

static void print_files(struct json_object *files, FILE *out)
{
	size_t n = files ? json_object_array_length(files) : 0;
	char a[48], b[48], c[48], d[48], e[48], name[TEXT_SAFE_LEN];

	if (!n)
		return;
	fprintf(out, "\nFiles (most page-cache misses, bytes and faults first)\n");
	fprintf(out, "  %14s %14s %8s %9s %9s  %s\n", "bytes read", "bytes written", "faults",
		"pc misses", "hit ratio", "file");
	for (size_t i = 0; i < n && i < 10; i++) {
		struct json_object *f = json_object_array_get_idx(files, i);

		format_value(at(f, "read_bytes"), a, sizeof(a));
		format_value(at(f, "write_bytes"), b, sizeof(b));
		format_value(at(f, "faults"), c, sizeof(c));
		format_value(at(f, "page_cache_misses"), d, sizeof(d));
		if (at(f, "page_cache_hit_ratio"))
			snprintf(e, sizeof(e), "%.0f%%",
				 100 * json_object_get_double(at(f, "page_cache_hit_ratio")));
		else
			snprintf(e, sizeof(e), "-");
		fprintf(out, "  %14s %14s %8s %9s %9s  %s\n", a, b, c, d, e,
			safe_at(f, "name", name, sizeof(name)));
	}
}

void report_print_text(struct json_object *report, FILE *out)
{
	struct json_object *procs = at(report, "processes"), *cols[MAX_COLS];
	struct json_object *totals = at(report, "totals"), *err = at(report, "run.error");
	const char *names[MAX_COLS];
	int n = procs ? (int)json_object_array_length(procs) : 0, ncols = 0;
	bool trace = !strcmp(json_object_get_string(at(report, "scenario.name")), "trace");
	bool wide = !trace && n <= MAX_COLS - 2; /* a column per process */
	char head[128], safe[TEXT_SAFE_LEN], comm[TEXT_SAFE_LEN];

	fprintf(out, "ipctrace %s: %s on Linux %s\n",
		json_object_get_string(at(report, "tool.version")),
		json_object_get_string(at(report, "scenario.name")),
		json_object_get_string(at(report, "kernel.release")));
	/* a traced command's arguments: json-c escapes C0 controls, not DEL or C1 */
	fputs("params: ", out);
	text_put(out, json_object_to_json_string_ext(at(report, "scenario.params"),
						     JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
	fputc('\n', out);
	if (!trace) {
		format_value(at(report, "scenario.units"), head, sizeof(head));
		fprintf(out, "transfer phase: %s units of work (unit: %s)\n", head,
			json_object_get_string(at(report, "scenario.unit")));
	}
	if (!json_object_get_boolean(at(report, "run.complete")))
		fprintf(out, "RUN CUT SHORT: %s; figures below are what was counted until then\n",
			err ? text_safe(json_object_get_string(err), safe, sizeof(safe)) : "unknown reason");
	if (at(report, "run.untraced_children") &&
	    json_object_get_int64(at(report, "run.untraced_children")) > 0)
		fprintf(out, "NOT ALL TRACED: %lld processes started after the first %d were not "
			     "traced (the process table was full); their figures are missing\n",
			(long long)json_object_get_int64(at(report, "run.untraced_children")),
			IPCT_MAX_SLOTS);
	if (at(report, "run.rows_lost") && json_object_get_int64(at(report, "run.rows_lost")) > 0)
		fprintf(out, "COUNTS LOST: %lld events found a BPF table full; the figures below miss "
			     "them\n", (long long)json_object_get_int64(at(report, "run.rows_lost")));
	fprintf(out, "\nProcesses");
	if (wide) {
		fputc('\n', out);
		for (int i = 0; i < n; i++) {
			struct json_object *p = json_object_array_get_idx(procs, i);

			fprintf(out, "  %-10s pid %-8s comm %s\n", safe_at(p, "role", safe, sizeof(safe)),
				json_object_get_string(at(p, "pid")), safe_at(p, "comm", comm, sizeof(comm)));
			cols[ncols] = at(p, "figures");
			names[ncols++] = json_object_get_string(at(p, "role"));
		}
	} else {
		print_process_rows(procs, out);
	}
	cols[ncols] = totals;
	names[ncols++] = "total";
	if (!trace) {
		cols[ncols] = at(report, "per_unit");
		names[ncols++] = "per unit";
	}
	fprintf(out, trace ? "\nAll processes\n" : "\nTransfer phase\n");
	for (int s = SEC_NONE + 1; s < NR_SECTIONS; s++)
		print_section(s, cols, names, ncols, totals, out);
	print_not_accounted(totals, out);
	report_print_observed(totals, out);
	if (trace) {
		print_by_kind(totals, out);
		print_files(at(report, "files"), out);
	}
	fprintf(out, "\nSyscalls by name%s\n", trace ? "" : " (transfer phase)");
	for (int i = 0; i < n && (wide || i < 20); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);

		print_syscall_names(at(p, "figures"), json_object_get_string(at(p, "role")), out);
	}
	if (!trace) {
		fprintf(out, "\nOther phases (all processes)\n");
		for (int ph = 0; ph < 3; ph++) {
			static const char *const pn[] = { "setup", "transfer", "teardown" };
			char path[64], a[32], b[32], c[32];

			snprintf(path, sizeof(path), "phases.%s", pn[ph]);
			format_value(at(at(report, path), "syscalls"), a, sizeof(a));
			format_value(at(at(report, path), "page_faults.user"), b, sizeof(b));
			format_value(at(at(report, path), "context_switches.voluntary"), c, sizeof(c));
			fprintf(out, "  %-9s syscalls %-10s user faults %-10s voluntary switches %s\n",
				pn[ph], a, b, c);
		}
	}
	print_notes(report, out);
}
