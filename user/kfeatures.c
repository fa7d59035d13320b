// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * BPF features older kernels lack, each tested once per process with a
 * load of a few instructions or read in the kernel's BTF (never from the
 * kernel version), and what stands in for each (bpf/compat.bpf.h cites
 * the commits):
 *
 * - no task storage (5.10): `threads` becomes a hash by thread id;
 * - no fetching atomics (5.10, 5.11): slots are claimed in a hash
 *   (fork_btf_v510: the kernel refuses the instruction even in dead code);
 * - no pointer arguments to global functions (5.10, 5.11): those functions
 *   are made static in the object's BTF, as libbpf itself does on kernels
 *   without global functions (its BTF sanitizing, before 5.6), so the
 *   verifier checks them at each call instead of once;
 * - no bpf_loop, no bpf_find_vma (before 5.17): the _v510 programs, with
 *   a bounded loop and a walk of the mappings' rbtree;
 * - no prev_state argument to sched_switch (before 5.18): the _v510
 *   program reads prev->state;
 * - block_bio_queue(q, bio) (5.10): the _v510 program takes the bio second;
 * - io_uring_complete with the CQE's fields (before 6.12), not the CQE:
 *   targ_uring_cqe false (bpf/compat.bpf.h: uring_complete_has_cqe());
 * - no bpf_rdonly_cast kfunc (before 6.2, found in the kernel's BTF by
 *   user/probe.c): sys_exit_btf_v61, whose fd reads are helper calls.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include "kfeatures.h"
#include "ipctrace.skel.h"
#include "testpoint.h"

#define INSN(CODE, DST, SRC, OFF, IMM) \
	{ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), .off = (OFF), .imm = (IMM) }
#define MOV0 INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0)
#define EXIT INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static bool loads(enum bpf_prog_type type, const struct bpf_insn *insns, size_t n,
		  struct bpf_prog_load_opts *opts)
{
	int fd = bpf_prog_load(type, "ipct_feature", "GPL", insns, n, opts);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* r1 = 1; r1 = atomic_fetch_add(*(u64 *)(r10 - 8), r1) */
static bool probe_fetch_atomics(void)
{
	const struct bpf_insn insns[] = {
		INSN(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -8, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1),
		INSN(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_10, BPF_REG_1, -8, BPF_ADD | BPF_FETCH),
		MOV0,
		EXIT,
	};

	return loads(BPF_PROG_TYPE_SOCKET_FILTER, insns, sizeof(insns) / sizeof(insns[0]), NULL);
}

/* A BTF of "int main(void)" and "int sub(int *)", both global; -1 on error. */
static int global_ptr_btf(struct btf **out, int *main_id, int *sub_id)
{
	struct btf *btf = btf__new_empty();
	int i32, ptr, proto0, proto1;

	if (!btf)
		return -1;
	i32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	ptr = btf__add_ptr(btf, i32);
	proto0 = btf__add_func_proto(btf, i32);
	proto1 = btf__add_func_proto(btf, i32);
	if (i32 < 0 || ptr < 0 || proto0 < 0 || proto1 < 0 ||
	    btf__add_func_param(btf, "p", ptr) < 0 ||
	    (*main_id = btf__add_func(btf, "ipct_main", BTF_FUNC_GLOBAL, proto0)) < 0 ||
	    (*sub_id = btf__add_func(btf, "ipct_sub", BTF_FUNC_GLOBAL, proto1)) < 0 ||
	    btf__load_into_kernel(btf)) {
		btf__free(btf);
		return -1;
	}
	*out = btf;
	return 0;
}

/* main passes a pointer to its stack to a global sub (5.12 verifies that) */
static bool probe_global_ptr_args(void)
{
	const struct bpf_insn insns[] = {
		INSN(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -8, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, -8),
		INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 1),
		EXIT,
		MOV0, /* sub */
		EXIT,
	};
	struct bpf_func_info fi[2] = { { .insn_off = 0 }, { .insn_off = 5 } };
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .func_info = fi, .func_info_cnt = 2,
		    .func_info_rec_size = sizeof(fi[0]));
	struct btf *btf;
	int main_id, sub_id;
	bool ok;

	if (global_ptr_btf(&btf, &main_id, &sub_id))
		return false;
	fi[0].type_id = main_id;
	fi[1].type_id = sub_id;
	opts.prog_btf_fd = btf__fd(btf);
	ok = loads(BPF_PROG_TYPE_SOCKET_FILTER, insns, sizeof(insns) / sizeof(insns[0]), &opts);
	btf__free(btf);
	return ok;
}

/*
 * Whether tracepoint @tp has an argument @n (from 0): the verifier lets a
 * tp_btf program read the arguments its btf_trace_ type names, so the
 * probe's count of them answers; where the types did not read so, a
 * program that reads it loads. Where the tracepoint is missing, @missing.
 */
static bool tp_has_arg(const struct probe_table *t, const char *tp, int n, bool missing)
{
	const struct attach_point *p = probe_find(t, tp);
	const struct bpf_insn insns[] = {
		INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_0, BPF_REG_1, n * 8, 0),
		MOV0,
		EXIT,
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);

	if (!p || !p->available || p->btf_id <= 0)
		return missing; /* no program of the tracepoint loads at all */
	if (p->nargs >= 0 && !test_hook(TEST_TP_ARGS_LOAD))
		return n < p->nargs;
	opts.attach_btf_id = p->btf_id;
	return loads(BPF_PROG_TYPE_TRACING, insns, sizeof(insns) / sizeof(insns[0]), &opts);
}

/* Test-only: IPCTRACE_TEST_LACK names @name (testpoint.h). */
static bool lacks_for_test(const char *name)
{
	const char *l = test_hook(TEST_LACK);
	size_t n = strlen(name);

	for (; l && *l; l += strcspn(l, ","), l += *l == ',')
		if (!strncmp(l, name, n) && (l[n] == ',' || !l[n]))
			return true;
	return false;
}

const struct kfeatures *features_probe(const struct probe_table *t)
{
	static struct kfeatures f;
	static bool probed;

	if (probed)
		return &f;
	f.task_storage = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) > 0;
	f.fetch_atomics = probe_fetch_atomics();
	f.global_ptr_args = probe_global_ptr_args();
	f.bpf_loop = libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_loop, NULL) > 0;
	f.find_vma =
		libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_find_vma, NULL) > 0;
	f.switch_prev_state = tp_has_arg(t, "sched_switch", 3, true); /* its fourth */
	f.bio_queue_q = tp_has_arg(t, "block_bio_queue", 1, false);  /* (q, bio) */
	f.uring_cqe = !tp_has_arg(t, "io_uring_complete", 3, true); /* res, fourth before 6.12 */
	f.rdonly_cast = t->rdonly_cast_btf_id && !lacks_for_test("rdonly_cast");
	f.task_storage &= !lacks_for_test("task_storage");
	f.fetch_atomics &= !lacks_for_test("fetch_atomics");
	f.global_ptr_args &= !lacks_for_test("global_ptr_args");
	f.bpf_loop &= !lacks_for_test("bpf_loop");
	f.find_vma &= !lacks_for_test("find_vma");
	f.switch_prev_state &= !lacks_for_test("sched_switch_prev_state");
	probed = true;
	return &f;
}

/* Global functions with a pointer argument become static (see the top). */
static void make_ptr_globals_static(struct bpf_object *obj)
{
	struct btf *btf = bpf_object__btf(obj);
	__u32 n = btf ? btf__type_cnt(btf) : 0;

	for (__u32 id = 1; id < n; id++) {
		struct btf_type *t = (struct btf_type *)btf__type_by_id(btf, id);
		const struct btf_param *a;
		const struct btf_type *proto;

		if (!btf_is_func(t) || btf_vlen(t) != BTF_FUNC_GLOBAL)
			continue;
		proto = btf__type_by_id(btf, t->type);
		a = btf_params(proto);
		for (int i = 0; i < btf_vlen(proto); i++) {
			if (btf_is_ptr(btf__type_by_id(btf, btf__resolve_type(btf, a[i].type)))) {
				t->info = (BTF_KIND_FUNC << 24) | BTF_FUNC_STATIC; /* a FUNC's vlen is its linkage */
				break;
			}
		}
	}
}

/* Of two programs for the same tracepoint, @use_first says which one loads. */
static void choose(struct bpf_program *first, struct bpf_program *second, bool use_first)
{
	bpf_program__set_autoload(use_first ? second : first, false);
}

int features_apply(const struct kfeatures *f, struct ipctrace_bpf *skel)
{
	int err;

	skel->rodata->targ_threads_by_tid = !f->task_storage;
	skel->rodata->targ_uring_cqe = f->uring_cqe;
	if (!f->task_storage &&
	    ((err = bpf_map__set_type(skel->maps.threads, BPF_MAP_TYPE_HASH)) ||
	     (err = bpf_map__set_max_entries(skel->maps.threads, 16384))))
		return err;
	if (!f->global_ptr_args)
		make_ptr_globals_static(skel->obj);
	choose(skel->progs.fork_btf, skel->progs.fork_btf_v510, f->fetch_atomics);
	choose(skel->progs.exit_btf, skel->progs.exit_btf_v510, f->fetch_atomics);
	choose(skel->progs.sys_enter_btf, skel->progs.sys_enter_btf_v510, f->bpf_loop);
	/* sys_exit: _v510 before 5.17, _v61 to 6.1 (bpf/fdclass.bpf.h: no bpf_rdonly_cast) */
	if (!f->bpf_loop || !f->rdonly_cast)
		bpf_program__set_autoload(skel->progs.sys_exit_btf, false);
	if (!f->bpf_loop || f->rdonly_cast)
		bpf_program__set_autoload(skel->progs.sys_exit_btf_v61, false);
	if (f->bpf_loop)
		bpf_program__set_autoload(skel->progs.sys_exit_btf_v510, false);
	choose(skel->progs.pc_add_btf, skel->progs.pc_add_btf_v510, f->bpf_loop);
	choose(skel->progs.fault_user_btf, skel->progs.fault_user_btf_v510, f->find_vma);
	choose(skel->progs.bio_queue_btf_v510, skel->progs.bio_queue_btf, f->bio_queue_q);
	choose(skel->progs.sched_switch_btf, skel->progs.sched_switch_btf_v510,
	       f->switch_prev_state);
	return 0;
}

void features_describe(const struct kfeatures *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s%s%s", f->task_storage ? "" : " no task storage;",
		 f->fetch_atomics ? "" : " no fetching atomics;",
		 f->global_ptr_args ? "" : " no pointer arguments to global functions;",
		 f->bpf_loop ? "" : " no bpf_loop;", f->find_vma ? "" : " no bpf_find_vma;",
		 f->switch_prev_state ? "" : " no sched_switch prev_state;",
		 f->bio_queue_q ? " block_bio_queue(q, bio);" : "",
		 f->rdonly_cast ? "" : " no bpf_rdonly_cast;");
}

struct json_object *features_json(const struct kfeatures *f)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "task_storage", json_object_new_boolean(f->task_storage));
	json_object_object_add(o, "fetch_atomics", json_object_new_boolean(f->fetch_atomics));
	json_object_object_add(o, "global_ptr_args", json_object_new_boolean(f->global_ptr_args));
	json_object_object_add(o, "bpf_loop", json_object_new_boolean(f->bpf_loop));
	json_object_object_add(o, "find_vma", json_object_new_boolean(f->find_vma));
	json_object_object_add(o, "sched_switch_prev_state",
			       json_object_new_boolean(f->switch_prev_state));
	json_object_object_add(o, "block_bio_queue_q", json_object_new_boolean(f->bio_queue_q));
	json_object_object_add(o, "rdonly_cast", json_object_new_boolean(f->rdonly_cast));
	return o;
}
