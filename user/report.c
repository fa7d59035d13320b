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
 * @value, or null when tracepoint @tp is missing, with the reason under
 * "unavailable" keyed by the figure's path ("page_cache.hits").
 */
static void add_if(struct json_object *o, const char *key, __u64 value, __u64 units,
		   const struct probe_table *probes, const char *tp, struct json_object *why)
{
	const struct attach_point *p = probe_find(probes, tp);
	const char *group = json_object_get_userdata(o);
	char reason[160], path[96];

	if (p && p->available) {
		add(o, key, json_num(value, units));
		return;
	}
	add(o, key, NULL);
	snprintf(reason, sizeof(reason), "%s %s: %s", p && p->kind == AK_FENTRY ? "fexit" : "tracepoint",
		 tp, p ? p->reason : "not probed by this version");
	snprintf(path, sizeof(path), "%s%s%s", group ? group : "", group ? "." : "", key);
	add(why, path, json_object_new_string(reason));
}

/* A group of figures; add_if() names its missing figures "name.key". */
static struct json_object *group(const char *name)
{
	struct json_object *g = json_object_new_object();

	json_object_set_userdata(g, (void *)name, NULL);
	return g;
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

static struct json_object *syscalls_by_name(const struct figures *f, __u64 units)
{
	struct json_object *o = json_object_new_object();

	for (int n = 0; n < MAX_SYSNR; n++) {
		char name[32];

		if (!f->sys_by_nr[n])
			continue;
		if (syscall_name(n))
			snprintf(name, sizeof(name), "%s", syscall_name(n));
		else
			snprintf(name, sizeof(name), "syscall_%d", n);
		add(o, name, json_num(f->sys_by_nr[n], units));
	}
	if (f->sys_other)
		add(o, "other", json_num(f->sys_other, units));
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
		const struct attach_point *p = probe_find(probes, site->point);
		bool fexit = s < NR_OBS_FEXIT;
		struct json_object *g = group(site->key);
		char method[96];

		snprintf(method, sizeof(method), "%s %s", fexit ? "fexit on" : "tracepoint",
			 p && p->found ? p->found : site->point);
		add(g, "method", json_object_new_string(p && p->available ? method : "unavailable"));
		/* the receive tracepoint cannot tell user from kernel iov_iters */
		for (int c = 0; c < (fexit ? NR_ITER_CLASSES : 1); c++)
			add_if(g, keys[c], fexit ? f->k.obs_bytes[s][c] : f->k.skb_copy_bytes, units,
			       probes, site->point, why);
		add(g, "derived_user_bytes", json_num(f->site_derived[s][IC_USER], units));
		if (fexit)
			add(g, "derived_kernel_bytes", json_num(f->site_derived[s][IC_KERNEL], units));
		add(o, site->key, g);
	}
	return o;
}

struct json_object *figures_json(const struct figures *f, const struct probe_table *probes,
				 __u64 units, const char *nic_reason)
{
	struct json_object *o = json_object_new_object(), *g, *why = json_object_new_object();
	const struct ipct_counters *k = &f->k;

	add(o, "syscalls", json_num(k->syscalls, units));
	add(o, "syscalls_by_name", syscalls_by_name(f, units));
	/* a syscall and a user fault each enter the kernel once: no faults, no total */
	add_if(o, "mode_switches", figures_mode_switches(f), units, probes, "page_fault_user", why);

	g = group("context_switches");
	add_if(g, "voluntary", k->csw_voluntary, units, probes, "sched_switch", why);
	add_if(g, "involuntary", k->csw_involuntary, units, probes, "sched_switch", why);
	add_if(g, "voluntary_in_io", k->csw_in_syscall, units, probes, "sched_switch", why);
	add(o, "context_switches", g);

	g = group("page_faults");
	add_if(g, "user", k->faults_user, units, probes, "page_fault_user", why);
	add_if(g, "kernel", k->faults_kernel, units, probes, "page_fault_kernel", why);
	add_if(g, "write", k->faults_user_write + k->faults_kernel_write, units, probes,
	       "page_fault_user", why);
	add_if(g, "user_write", k->faults_user_write, units, probes, "page_fault_user", why);
	add_if(g, "user_protection", k->faults_user_prot, units, probes, "page_fault_user", why);
	add_if(g, "user_file_backed", k->faults_user_file, units, probes, "page_fault_user", why);
	add_if(g, "user_anonymous", k->faults_user_anon, units, probes, "page_fault_user", why);
	add(o, "page_faults", g);

	g = group("copies");
	for (int c = COL_U2K; c <= COL_K2K; c++)
		add(g, column_name(c), cell_json(&f->col[c], units));
	add(o, "copies", g);
	add(o, "page_refs", cell_json(&f->col[COL_PAGEREF], units));
	add(o, "direct_io", cell_json(&f->col[COL_DIRECT], units));

	g = group("page_cache");
	add_if(g, "lookups", k->pc_lookup_pages, units, probes, "mm_filemap_get_pages", why);
	add_if(g, "inserted", k->pc_inserted_pages, units, probes,
	       "mm_filemap_add_to_page_cache", why);
	add_if(g, "inserted_by_writes", k->pc_inserted_write_pages, units, probes,
	       "mm_filemap_add_to_page_cache", why);
	add_if(g, "evicted", k->pc_evicted_pages, units, probes,
	       "mm_filemap_delete_from_page_cache", why);
	add_if(g, "hits", figures_pc_hits(f), units, probes, "mm_filemap_get_pages", why);
	add_if(g, "readahead", k->ra_sync + k->ra_async, units, probes, "page_cache_sync_ra", why);
	add_if(g, "fault_pages", k->pc_fault_pages, units, probes, "mm_filemap_fault", why);
	add_if(g, "fault_around_pages", k->pc_faultaround_pages, units, probes,
	       "mm_filemap_map_pages", why);
	add(o, "page_cache", g);

	g = group("dma");
	add_if(g, "disk_read_bytes", k->disk_read_bytes, units, probes, "block_bio_queue", why);
	add_if(g, "disk_write_bytes", k->disk_write_bytes, units, probes, "block_bio_queue", why);
	add_if(g, "disk_readahead_bytes", k->disk_read_ra_bytes, units, probes, "block_bio_queue",
	       why);
	add(g, "nic_bytes", NULL);
	add(g, "nic_reason", json_object_new_string(nic_reason ? nic_reason : "not traced"));
	add(o, "dma", g);

	g = group("signals");
	add_if(g, "generated", k->sig_generated, units, probes, "signal_generate", why);
	add_if(g, "delivered", k->sig_delivered, units, probes, "signal_deliver", why);
	add(o, "signals", g);

	g = group("sockets");
	add_if(g, "send_bytes", k->sock_send_bytes, units, probes, "sock_send_length", why);
	add_if(g, "recv_bytes", k->sock_recv_bytes, units, probes, "sock_recv_length", why);
	add_if(g, "recv_copied_bytes", k->skb_copy_bytes, units, probes, "skb_copy_datagram_iovec",
	       why);
	add(o, "sockets", g);

	add(o, "by_fd_kind", by_kind_json(f, units));
	add(o, "observed_copies", observed_json(f, probes, units, why));
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

struct row {
	const char *label;
	const char *path;   /* inside a figures object */
	const char *method; /* path of the method of this row, or NULL */
};

struct section {
	const char *title;
	const struct row *rows;
};

static const struct row rows_switch[] = {
	{ "syscalls", "syscalls" },
	{ "mode switches (2 per syscall or fault)", "mode_switches" },
	{ "context switches, voluntary", "context_switches.voluntary" },
	{ "  of which in a data syscall", "context_switches.voluntary_in_io" },
	{ "context switches, involuntary", "context_switches.involuntary" },
	{ NULL },
};
static const struct row rows_faults[] = {
	{ "user", "page_faults.user" },
	{ "  write", "page_faults.user_write" },
	{ "  protection", "page_faults.user_protection" },
	{ "kernel (e.g. inside copy_to_user)", "page_faults.kernel" },
	{ NULL },
};
static const struct row rows_ledger[] = {
	{ "user -> kernel, bytes", "copies.user_to_kernel.bytes", "copies.user_to_kernel.method" },
	{ "user -> kernel, calls", "copies.user_to_kernel.ops" },
	{ "kernel -> user, bytes", "copies.kernel_to_user.bytes", "copies.kernel_to_user.method" },
	{ "kernel -> user, calls", "copies.kernel_to_user.ops" },
	{ "kernel -> kernel, bytes", "copies.kernel_to_kernel.bytes",
	  "copies.kernel_to_kernel.method" },
	{ "page references, bytes", "page_refs.bytes", "page_refs.method" },
	{ "O_DIRECT (device DMA), bytes", "direct_io.bytes", "direct_io.method" },
	{ NULL },
};
static const struct row rows_cache[] = {
	{ "pages looked up by reads", "page_cache.lookups" },
	{ "pages inserted", "page_cache.inserted" },
	{ "  of which by writes", "page_cache.inserted_by_writes" },
	{ "pages evicted", "page_cache.evicted" },
	{ "hits (looked up - read misses)", "page_cache.hits" },
	{ "readahead windows", "page_cache.readahead" },
	{ "file fault pages", "page_cache.fault_pages" },
	{ "fault-around pages", "page_cache.fault_around_pages" },
	{ NULL },
};
static const struct row rows_dma[] = {
	{ "disk read bytes", "dma.disk_read_bytes" },
	{ "  of which readahead", "dma.disk_readahead_bytes" },
	{ "disk write bytes", "dma.disk_write_bytes" },
	{ "NIC bytes", "dma.nic_bytes" },
	{ NULL },
};
static const struct row rows_signals[] = {
	{ "generated", "signals.generated" },
	{ "delivered", "signals.delivered" },
	{ NULL },
};

static const struct section sections[] = {
	{ "Syscalls and switches", rows_switch },
	{ "Page faults", rows_faults },
	{ "Copy ledger (CPU copies by direction; page references)", rows_ledger },
	{ "Page cache (pages)", rows_cache },
	{ "DMA", rows_dma },
	{ "Signals", rows_signals },
};

#define MAX_COLS 12
#define LABEL_W 40
#define COL_W 14

static void print_section(const struct section *s, struct json_object **cols,
			  const char **names, int ncols, struct json_object *totals, FILE *out)
{
	char v[48], label[96], name[TEXT_SAFE_LEN];

	fprintf(out, "\n%s\n%-*s", s->title, LABEL_W, "");
	for (int c = 0; c < ncols; c++)
		fprintf(out, " %*s", COL_W, text_safe(names[c], name, sizeof(name)));
	fputc('\n', out);
	for (const struct row *r = s->rows; r->label; r++) {
		struct json_object *m = r->method ? at(totals, r->method) : NULL;

		snprintf(label, sizeof(label), "%s%s%s%s", r->label, m ? " [" : "",
			 m ? json_object_get_string(m) : "", m ? "]" : "");
		fprintf(out, "%-*s", LABEL_W, label);
		for (int c = 0; c < ncols; c++) {
			format_value(at(cols[c], r->path), v, sizeof(v));
			fprintf(out, " %*s", COL_W, v);
		}
		fputc('\n', out);
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
	for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++)
		print_section(&sections[s], cols, names, ncols, totals, out);
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
