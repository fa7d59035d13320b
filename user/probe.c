// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include <linux/types.h>
#include "bpflog.h"
#include "compiler.h"
#include "corebtf.h"
#include "kbtf.h"
#include "loadsplit.h"
#include "probe.h"
#include "textfmt.h"
#include "testpoint.h"
#include "textsafe.h"
#include "ipctrace.h"

/*
 * Every attach point ipctrace knows (attach.def), with what the probe finds.
 * Decided from BTF and a test load, never from the kernel version.
 */
static struct attach_point points[NR_ATTACH_POINTS] = {
#define POINT(ID, KIND, TARGET, PROG, REQUIRED, GROUP, FEEDS, WHAT) \
	[AP_##ID] = { .feeds = FEEDS, .kind = KIND, .target = TARGET, .what = WHAT, \
		      .required = REQUIRED, .group = GROUP },
#include "attach.def"
};

/* A trivial tracing program: "r0 = 0; exit". */
static int fentry_test(int btf_id, char *reason, size_t len)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = btf_id);
	int fd, link;

	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "ipct_probe", "GPL", insns, 2, &opts);
	if (fd < 0) {
		snprintf(reason, len, "fentry load: %s", strerror(errno));
		return -1;
	}
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link < 0)
		snprintf(reason, len, "fentry attach: %s", strerror(errno));
	else
		close(link);
	close(fd);
	return link < 0 ? -1 : 0;
}

/*
 * Test-only: IPCTRACE_TEST_HIDE=NAME[,NAME...] makes ipctrace take these
 * attach points for missing, as on a kernel without them, with a reason
 * that says so (tests/integration/test_env.c); "bpf_iter_task" hides the
 * task iterator's target (test_trace.c: test_attach_without_iterator).
 */
static bool hidden_for_test(const char *target)
{
	const char *list = test_hook(TEST_HIDE);
	size_t n = strlen(target);

	for (const char *s = list; s && *s; s += strcspn(s, ","), s += *s == ',')
		if (!strncmp(s, target, n) && (s[n] == ',' || !s[n]))
			return true;
	return false;
}

/* The BTF name of one alternative @s (@n bytes) of an attach point. */
static void btf_name(char *buf, size_t len, enum attach_kind kind, const char *s, size_t n)
{
	snprintf(buf, len, "%s%.*s", kind == AK_TP_BTF ? "btf_trace_" : "", (int)n, s);
}

static int btf_kind_of(enum attach_kind kind)
{
	return kind == AK_TP_BTF ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC;
}

/*
 * Every name the table asks about, found in one pass over the kernel's
 * types: btf__find_by_name_kind() walks all of them (126,000 on 6.18) for
 * each call, which made the probe a third of ipctrace's start-up.
 */
struct btf_want {
	char name[80];
	int kind, id;
};

static int want_cmp(const void *a, const void *b)
{
	return strcmp(((const struct btf_want *)a)->name, ((const struct btf_want *)b)->name);
}

static int want_key_cmp(const void *key, const void *w)
{
	return strcmp(key, ((const struct btf_want *)w)->name);
}

/* What the probe's one walk of the kernel's BTF looks for. */
struct walk_ctx {
	struct btf_want *w; /* sorted by name */
	int n;
	struct prefix_set prefixes; /* of the names in w */
	struct corebtf *core; /* or NULL */
	__u32 kiocb;          /* struct kiocb's id */
	__u32 task;           /* struct task_struct's */
	__u32 rdonly_cast;    /* the kfunc bpf_rdonly_cast's id (6.2) */
	__u32 iter_task;      /* bpf_iter_task's, the task iterator's target */
};

/* kbtf_open()'s note: type @id is named @name, of @kind. */
static void note_type(const char *name, int kind, __u32 id, void *arg)
{
	struct walk_ctx *c = arg;
	struct btf_want *hit;

	/* bpf/fdclass.bpf.h: fd_file_cast(), task_plain() */
	if (name[0] == 'k' && kind == BTF_KIND_STRUCT && !strcmp(name, "kiocb"))
		c->kiocb = id;
	else if (name[0] == 't' && kind == BTF_KIND_STRUCT && !strcmp(name, "task_struct"))
		c->task = id;
	else if (name[0] == 'b' && kind == BTF_KIND_FUNC && !strcmp(name, "bpf_rdonly_cast"))
		c->rdonly_cast = id;
	else if (name[0] == 'b' && kind == BTF_KIND_FUNC && !strcmp(name, "bpf_iter_task"))
		c->iter_task = id;
	if (kind != BTF_KIND_TYPEDEF && kind != BTF_KIND_FUNC) {
		if (c->core)
			corebtf_note(c->core, name, kind, id);
		return;
	}
	if (!prefix_may_be(&c->prefixes, name))
		return;
	hit = bsearch(name, c->w, c->n, sizeof(*c->w), want_key_cmp);
	if (hit && hit->kind == kind && !hit->id)
		hit->id = id;
}

static int wanted_id(const struct btf_want *w, int n, const char *name, int kind)
{
	const struct btf_want *hit = bsearch(name, w, n, sizeof(*w), want_key_cmp);

	return hit && hit->kind == kind ? hit->id : 0;
}

/* Calls @fn for each alternative of @p ("new|old") until it returns true. */
static void for_each_alt(struct attach_point *p, bool (*fn)(struct attach_point *, const char *,
							     size_t, void *), void *arg)
{
	for (const char *s = p->target; s && *s;) {
		const char *bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);

		if (fn(p, s, n, arg))
			return;
		s = bar ? bar + 1 : NULL;
	}
}

struct want_list {
	struct btf_want v[2 * sizeof(points) / sizeof(points[0])];
	int n;
};

static bool add_want(struct attach_point *p, const char *s, size_t n, void *arg)
{
	struct want_list *l = arg;

	if (l->n < (int)(sizeof(l->v) / sizeof(l->v[0]))) {
		btf_name(l->v[l->n].name, sizeof(l->v[0].name), p->kind, s, n);
		l->v[l->n].kind = btf_kind_of(p->kind);
		l->v[l->n++].id = 0;
	}
	return false;
}

struct probe_ctx {
	const struct want_list *wants;
	bool test_fentry;
};

static bool probe_alt(struct attach_point *p, const char *s, size_t n, void *arg)
{
	static char names[sizeof(points) / sizeof(points[0])][64];
	const struct probe_ctx *c = arg;
	char buf[128];
	int id;

	btf_name(buf, sizeof(buf), p->kind, s, n);
	id = wanted_id(c->wants->v, c->wants->n, buf, btf_kind_of(p->kind));
	if (id <= 0)
		return false;
	snprintf(names[p - points], sizeof(names[0]), "%.*s", (int)n, s);
	p->found = names[p - points];
	p->btf_id = id;
	if (p->kind == AK_TP_BTF)
		p->available = true;
	else if (!c->test_fentry)
		snprintf(p->reason, sizeof(p->reason), "not tested");
	else
		p->available = fentry_test(id, p->reason, sizeof(p->reason)) == 0;
	return true;
}

/*
 * A tracepoint's arguments, as its program sees them: btf_trace_<name> is
 * a pointer to "void (void *__data, args...)"; -1 where the types do not
 * read so.
 */
static int tp_nargs(const struct kbtf *k, int typedef_id)
{
	const struct btf_type *t = kbtf_type(k, (__u32)typedef_id);
	const struct btf_type *ptr = t && btf_is_typedef(t) ? kbtf_type(k, t->type) : NULL;
	const struct btf_type *proto = ptr && btf_is_ptr(ptr) ? kbtf_type(k, ptr->type) : NULL;

	return proto && btf_is_func_proto(proto) && btf_vlen(proto) > 0 ? btf_vlen(proto) - 1 : -1;
}

static void probe_point(struct attach_point *p, const struct probe_ctx *c)
{
	p->available = false;
	p->found = NULL;
	p->btf_id = 0;
	p->nargs = -1;
	snprintf(p->reason, sizeof(p->reason), "not in this kernel's BTF");
	if (hidden_for_test(p->target)) {
		snprintf(p->reason, sizeof(p->reason), "hidden by IPCTRACE_TEST_HIDE (test-only)");
		return;
	}
	for_each_alt(p, probe_alt, (void *)c);
}

/*
 * The CO-RE BTF (corebtf.c) for libbpf, built on the probe's walk: once per
 * process, kept open as a memfd for every load that follows.
 */
static void build_core_btf(const struct kbtf *k, struct corebtf *core, char *path, size_t len)
{
	static int fd = -1;

	if (fd < 0)
		fd = corebtf_build(k, core);
	if (fd >= 0)
		snprintf(path, len, "/proc/self/fd/%d", fd);
	/* without /proc, libbpf could not open it: the whole BTF then */
	if (fd >= 0 && access(path, R_OK))
		*path = 0;
}

/*
 * A completion alone counts nothing: without io_uring_submit_req (5.10),
 * io_uring_complete and io_uring_cqe_overflow are not used either (5.10's
 * io_uring_complete has other arguments too).
 */
static void pair_uring(void)
{
	static const int after[] = { AP_URING_COMPLETE, AP_URING_CQE_OVERFLOW };

	if (points[AP_URING_SUBMIT_REQ].available)
		return;
	for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		struct attach_point *c = &points[after[i]];

		if (!c->available)
			continue;
		c->available = false;
		snprintf(c->reason, sizeof(c->reason),
			 "io_uring_submit_req is missing: nothing to complete");
	}
}

void probe_kernel(struct probe_table *t, bool test_fentry, bool core_btf)
{
	static struct want_list wants;
	static char core_path[32];
	/* the kernel does not change under us */
	static bool probed, probed_fentry, probed_core;
	static __u32 kiocb_btf_id, task_btf_id, rdonly_cast_btf_id, iter_task_btf_id;
	struct probe_ctx c = { &wants, test_fentry };
	struct corebtf core = { 0 };
	static struct walk_ctx walk; /* 8 KB of prefixes */
	struct kbtf k;

	_Static_assert(sizeof(points) / sizeof(points[0]) <= PROBE_MAX_POINTS, "PROBE_MAX_POINTS");
	bpflog_install();
	t->points = t->own; /* a table's own copy: probe_restrict() changes one run's */
	t->n = sizeof(points) / sizeof(points[0]);
	/* verify starts a tracer per run: probe once (each fentry test is a load) */
	if (probed && (probed_fentry || !test_fentry) && (probed_core || !core_btf)) {
		t->btf_ok = true;
		goto out;
	}
	wants.n = 0;
	for (int i = 0; i < t->n; i++)
		for_each_alt(&points[i], add_want, &wants);
	qsort(wants.v, wants.n, sizeof(wants.v[0]), want_cmp);
	memset(&walk, 0, sizeof(walk));
	walk.w = wants.v;
	walk.n = wants.n;
	walk.core = core_btf ? &core : NULL;
	for (int i = 0; i < wants.n; i++)
		prefix_add(&walk.prefixes, wants.v[i].name);
	/* mapped, or else libbpf reads it (sysfs, or a vmlinux image on disk) */
	t->btf_ok = kbtf_open(&k, true, note_type, &walk);
	rdonly_cast_btf_id = walk.kiocb && walk.task ? walk.rdonly_cast : 0;
	kiocb_btf_id = rdonly_cast_btf_id ? walk.kiocb : 0;
	task_btf_id = rdonly_cast_btf_id ? walk.task : 0;
	iter_task_btf_id = hidden_for_test("bpf_iter_task") ? 0 : walk.iter_task;
	if (t->btf_ok && core_btf && !test_hook(TEST_NO_CORE_BTF))
		build_core_btf(&k, &core, core_path, sizeof(core_path));
	free(core.ids);
	probed_core |= core_btf;
	if (!t->btf_ok && access("/sys/kernel/btf/vmlinux", F_OK))
		snprintf(t->btf_error, sizeof(t->btf_error),
			 "no kernel BTF: /sys/kernel/btf/vmlinux is missing, and no vmlinux "
			 "image with BTF in /boot or /usr/lib/debug");
	else if (!t->btf_ok)
		snprintf(t->btf_error, sizeof(t->btf_error),
			 "no kernel BTF: /sys/kernel/btf/vmlinux cannot be read: %s", strerror(errno));
	if (!t->btf_ok) {
		kbtf_close(&k);
		for (int i = 0; i < t->n; i++) {
			points[i].available = false;
			snprintf(points[i].reason, sizeof(points[i].reason), "no kernel BTF");
		}
		goto out;
	}
	for (int i = 0; i < t->n; i++) {
		probe_point(&points[i], &c);
		if (points[i].available && points[i].kind == AK_TP_BTF)
			points[i].nargs = tp_nargs(&k, points[i].btf_id);
	}
	kbtf_close(&k);
	pair_uring();
	probed = true;
	probed_fentry = test_fentry;
out:
	t->kiocb_btf_id = kiocb_btf_id;
	t->task_btf_id = task_btf_id;
	t->rdonly_cast_btf_id = rdonly_cast_btf_id;
	t->iter_task_btf_id = iter_task_btf_id;
	t->cast_kfunc_id = 0;
	memcpy(t->own, points, sizeof(points));
	snprintf(t->core_btf, sizeof(t->core_btf), "%s", core_btf ? core_path : "");
}

#define GROUP(ID, NAME, WHAT) ", " NAME
/* "faults, switches, ...": the list without its first ", " */
const char *const figure_groups_help = &(
#include "figures.def"
	"; all; none (syscalls, the copy ledger and the process tree are always on)")[2];

/* A group's name, or "all" or "none", as a mask; false: no such name. */
static bool group_mask(const char *s, size_t n, unsigned *mask)
{
	for (int i = 0; i < NR_FIGURE_GROUPS; i++)
		if (strlen(figure_group_defs[i].name) == n && !strncmp(s, figure_group_defs[i].name, n))
			return *mask = 1u << i, true;
	if (n == 3 && !strncmp(s, "all", n))
		return *mask = FG_ALL, true;
	if (n == 4 && !strncmp(s, "none", n))
		return *mask = 0, true;
	return false;
}

int figure_groups_parse(const char *list, unsigned *mask, char *bad, size_t len)
{
	*mask = 0;
	if (!*list) {
		snprintf(bad, len, "%s", "");
		return -1;
	}
	for (const char *s = list; *s;) {
		size_t n = strcspn(s, ",");
		unsigned m;

		if (!group_mask(s, n, &m)) {
			snprintf(bad, len, "%.*s", (int)n, s);
			return -1;
		}
		*mask |= m;
		s += n + (s[n] == ',');
	}
	return 0;
}

void figure_groups_name(unsigned mask, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = 0;
	if ((mask & FG_ALL) == FG_ALL || !mask) {
		snprintf(buf, len, "%s", mask ? "all" : "none");
		return;
	}
	for (int i = 0; i < NR_FIGURE_GROUPS; i++)
		if ((mask & (1u << i)) && at < len)
			at += snprintf(buf + at, len - at, "%s%s", at ? "," : "", figure_group_defs[i].name);
}

void probe_restrict(struct probe_table *t, unsigned groups)
{
	char names[96];

	figure_groups_name(groups, names, sizeof(names));
	for (int i = 0; i < t->n; i++) {
		struct attach_point *p = &t->points[i];

		if (p->group == FG_CORE || (p->group & groups))
			continue;
		p->available = false;
		text_fmt(p->reason, sizeof(p->reason), "not asked for (--figures %s)", names);
	}
}

const struct attach_point *probe_find(const struct probe_table *t, const char *target)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->points[i].target, target) ||
		    (t->points[i].found && !strcmp(t->points[i].found, target)))
			return &t->points[i];
	return NULL;
}

bool probe_available(const struct probe_table *t, const char *target)
{
	const struct attach_point *p = probe_find(t, target);

	return p && p->available;
}

int probe_first_missing(const struct probe_table *t, const enum attach_id *ids, int n)
{
	for (int i = 0; i < n; i++)
		if (!probe_available(t, attach_defs[ids[i]].target))
			return i;
	return -1;
}

bool probe_figure_available(const struct probe_table *t, enum fig_id id)
{
	return probe_first_missing(t, figure_defs[id].points, figure_defs[id].npoints) < 0;
}

const struct obs_site obs_sites[NR_OBS_SITES] = {
	[OBS_PIPE_WRITE] = { "pipe_write", "into pipes", AP_PIPE_WRITE },
	[OBS_PIPE_READ] = { "pipe_read", "out of pipes", AP_PIPE_READ },
	[OBS_FILE_READ] = { "file_read", "file reads", AP_FILEMAP_READ },
	[OBS_FILE_WRITE] = { "file_write", "file writes", AP_GENERIC_PERFORM_WRITE },
	[OBS_SOCK_SEND] = { "socket_send", "socket sends", AP_SKB_COPY_FROM_ITER },
	[OBS_SOCK_RECV] = { "socket_recv", "socket receives", AP_SKB_COPY_DATAGRAM_IOVEC },
};

/* Attach an fexit program where the probe found its target, else switch it off. */
static void apply_fexit(const struct probe_table *t, struct bpf_program *prog)
{
	for (int i = 0; i < NR_ATTACH_POINTS; i++) {
		const struct attach_point *p;

		if (!attach_defs[i].prog || strcmp(bpf_program__name(prog), attach_defs[i].prog))
			continue;
		p = probe_find(t, attach_defs[i].target);
		if (p && p->available && !bpf_program__set_attach_target(prog, 0, p->found))
			return;
	}
	bpf_program__set_autoload(prog, false);
}

/*
 * tp_btf programs load with the probe's type ids. libbpf 1.1 reads and
 * parses the kernel's whole BTF (5.5 MB on 6.18, 10 to 13 ms here) for any
 * load with a tracing program, to find each tracepoint's btf_trace_<name>
 * type, which the probe's walk has found already; with the CO-RE BTF
 * (corebtf.c) for relocations, nothing else in the load needs it. So
 * ipctrace handles "tp_btf/" sections itself (libbpf_register_prog_handler(),
 * whose handlers come before libbpf's own): the load gets the probe's id,
 * attach is libbpf's bpf_program__attach_trace(). libbpf reads the BTF for
 * any tracing program that does not attach to another BPF program, one
 * with no attach_prog_fd, so probe_apply() gives each a placeholder, which
 * the handler clears before the load reaches the kernel. fexit programs
 * stay libbpf's: their targets are set by name (apply_fexit()), and where
 * one loads, libbpf reads the BTF. The task iterator ("iter/task", -p's
 * gate_threads) is handled the same way: its target, bpf_iter_task, is in
 * the probe's walk too (4 ms of start-up with -p, docs/performance.md).
 */
#define ATTACH_PROG_PLACEHOLDER 1

static const struct probe_table *applied; /* probe_apply()'s table, for the handler */

static bool is_cast_call(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_KFUNC_CALL &&
	       (__u32)in->imm == IPCT_KFUNC_MARK;
}

/*
 * The casts bpf/fdclass.bpf.h writes as encoded kfunc calls with a marker
 * for an id (rdonly_cast()): the id of bpf_rdonly_cast where the kernel has
 * it (6.2), else "r0 = r1", the pointer as it was (those kernels' verifier
 * does not search the BTF on a typed load). Here, in the load hook, the
 * program's instructions are whole: libbpf has appended its global
 * functions' by now (classify_fd() casts too).
 */
static int patch_casts(struct bpf_program *prog, __u32 kfunc_id)
{
	const struct bpf_insn *in = bpf_program__insns(prog);
	size_t n = bpf_program__insn_cnt(prog), i;
	const struct bpf_insn move = {
		.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_1,
	};
	struct bpf_insn *insns;
	int err;

	for (i = 0; i < n && !is_cast_call(&in[i]); i++)
		;
	if (i == n)
		return 0;
	if (!(insns = malloc(n * sizeof(*insns))))
		return -ENOMEM;
	memcpy(insns, in, n * sizeof(*insns));
	for (; i < n; i++) {
		if (!is_cast_call(&insns[i]))
			continue;
		if (kfunc_id)
			insns[i].imm = kfunc_id;
		else
			insns[i] = move;
	}
	err = bpf_program__set_insns(prog, insns, n);
	free(insns);
	return err;
}

static int tp_btf_prepare(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie UNUSED)
{
	const char *tp = strchr(bpf_program__section_name(prog), '/') + 1;
	const struct attach_point *p = applied ? probe_find(applied, tp) : NULL;
	int err;

	if (!p || !p->available || p->btf_id <= 0)
		return -ESRCH;
	if ((err = patch_casts(prog, applied->cast_kfunc_id)))
		return err;
	opts->attach_prog_fd = 0;
	opts->attach_btf_obj_fd = 0;
	opts->attach_btf_id = p->btf_id;
	return split_take(prog, opts); /* verified here, or by the copy beside it */
}

static int iter_task_prepare(struct bpf_program *prog UNUSED, struct bpf_prog_load_opts *opts,
			     long cookie UNUSED)
{
	if (!applied || !applied->iter_task_btf_id)
		return -ESRCH;
	opts->attach_prog_fd = 0;
	opts->attach_btf_obj_fd = 0;
	opts->attach_btf_id = applied->iter_task_btf_id;
	return 0;
}

static int tp_btf_attach(const struct bpf_program *prog, long cookie UNUSED, struct bpf_link **link)
{
	*link = bpf_program__attach_trace(prog);
	return *link ? 0 : -errno;
}

int probe_handle_sections(void)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, o, .prog_prepare_load_fn = tp_btf_prepare,
		    .prog_attach_fn = tp_btf_attach);
	LIBBPF_OPTS(libbpf_prog_handler_opts, it, .prog_prepare_load_fn = iter_task_prepare);
	static int handler, iter;

	if (!handler)
		handler = libbpf_register_prog_handler("tp_btf/", BPF_PROG_TYPE_TRACING,
						       BPF_TRACE_RAW_TP, &o);
	if (!iter)
		iter = libbpf_register_prog_handler("iter/task", BPF_PROG_TYPE_TRACING,
						    BPF_TRACE_ITER, &it);
	return handler < 0 ? handler : iter < 0 ? iter : 0;
}

int probe_apply(const struct probe_table *t, struct bpf_object *obj, bool whole_btf, FILE *warn)
{
	struct bpf_program *prog;

	applied = t;
	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);
		const struct attach_point *p;

		if (!strcmp(sec, "fexit")) {
			apply_fexit(t, prog);
			continue;
		}
		if (!strcmp(sec, "iter/task")) {
			if (t->iter_task_btf_id && !whole_btf)
				bpf_program__set_attach_target(prog, ATTACH_PROG_PLACEHOLDER, NULL);
			continue;
		}
		if (strncmp(sec, "tp_btf/", 7))
			continue;
		p = probe_find(t, sec + 7);
		if (!p) { /* tests/unit/test_registry.c sees it first */
			fprintf(warn, "ipctrace: BPF program %s: tracepoint %s has no row in "
				      "user/attach.def\n", bpf_program__name(prog), sec + 7);
			return -ENOENT;
		}
		if (p->available) {
			if (!whole_btf)
				bpf_program__set_attach_target(prog, ATTACH_PROG_PLACEHOLDER, NULL);
			continue;
		}
		if (p->required) {
			fprintf(warn, "ipctrace: required tracepoint %s is missing: %s\n",
				sec + 7, p->reason);
			return -ENOENT;
		}
		bpf_program__set_autoload(prog, false);
	}
	return 0;
}

static const char *kind_name(enum attach_kind k)
{
	return k == AK_TP_BTF ? "tp_btf" : "fentry";
}

/* One attach point: its columns, what it feeds wrapped under them; -v: how, and why it is missing. */
static void print_point(const struct attach_point *p, bool verbose, int width, FILE *out)
{
	char cols[128], why[TEXT_SAFE_LEN];

	snprintf(cols, sizeof(cols), "%-33s %-6s %-9s ", p->found ? p->found : p->target, kind_name(p->kind),
		 p->available ? "available" : "missing");
	text_wrap_words(out, cols, p->feeds, width);
	if (!verbose)
		return;
	text_wrap_words(out, "    how: ", p->what, width);
	if (!p->available)
		text_wrap_words(out, "    why missing: ", text_safe(p->reason, why, sizeof(why)), width);
}

void probe_print(const struct probe_table *t, FILE *out)
{
	bool verbose = text_verbosity() > 0;
	int width = text_width(out), missing = 0;

	if (!t->btf_ok)
		fprintf(out, "BTF: %s\n", t->btf_error);
	fprintf(out, "%-33s %-6s %-9s %s\n", "attach point", "method", "status", "feeds");
	for (int i = 0; i < t->n; i++) {
		print_point(&t->points[i], verbose, width, out);
		missing += !t->points[i].available;
	}
	if (!verbose)
		fprintf(out, "\n%d of %d attach points missing; -v shows why, and how each one counts\n",
			missing, t->n);
}

struct json_object *probe_json(const struct probe_table *t)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < t->n; i++) {
		const struct attach_point *p = &t->points[i];
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "method", json_object_new_string(kind_name(p->kind)));
		json_object_object_add(e, "available", json_object_new_boolean(p->available));
		json_object_object_add(e, "feeds", json_object_new_string(p->feeds));
		if (!p->available)
			json_object_object_add(e, "reason", json_object_new_string(p->reason));
		json_object_object_add(o, p->found ? p->found : p->target, e);
	}
	return o;
}
