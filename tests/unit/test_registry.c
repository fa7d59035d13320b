// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The registries against the BPF object and against themselves: every
 * tp_btf and fexit program has an attach.def row and every row a program
 * (a program without a row would not be loaded), and figures.def rows are
 * shaped as report.c and docs/figures.md read them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include "compiler.h"
#include "ipctrace.skel.h"
#include "probe.h"
#include "registry.h"

static struct ipctrace_bpf *skel;

static int setup(void **state UNUSED)
{
	skel = ipctrace_bpf__open(); /* open only: no kernel, no privilege */
	return skel ? 0 : -1;
}

static int teardown(void **state UNUSED)
{
	ipctrace_bpf__destroy(skel);
	return 0;
}

/* The row a program attaches through: its tp_btf section's, or its name's (fexit). */
static int row_of(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);

	if (!strncmp(sec, "tp_btf/", 7))
		return attach_find(sec + 7, AK_TP_BTF);
	for (int i = 0; i < NR_ATTACH_POINTS; i++)
		if (attach_defs[i].prog && !strcmp(attach_defs[i].prog, bpf_program__name(prog)))
			return i;
	return -1;
}

static void test_every_program_has_a_row(void **state UNUSED)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, skel->obj) {
		const char *sec = bpf_program__section_name(prog);
		int row = row_of(prog);

		/* an iterator user space runs (bpf/gate.bpf.h), attached to no event */
		if (!strcmp(sec, "iter/task") && !strcmp(bpf_program__name(prog), "gate_threads"))
			continue;

		if (row < 0)
			print_error("program %s (%s) has no row in user/attach.def\n",
				    bpf_program__name(prog), sec);
		assert_true(row >= 0);
		assert_int_equal(attach_defs[row].kind, strcmp(sec, "fexit") ? AK_TP_BTF : AK_FENTRY);
		n++;
	}
	assert_true(n > 0);
}

static void test_every_row_has_a_program(void **state UNUSED)
{
	for (int i = 0; i < NR_ATTACH_POINTS; i++) {
		const struct attach_def *d = &attach_defs[i];
		struct bpf_program *prog;
		bool found = false;

		bpf_object__for_each_program(prog, skel->obj)
			found |= row_of(prog) == i;
		if (!found)
			print_error("attach.def row %s: no program uses it\n", d->id);
		assert_true(found);
		/* fexit rows name their program, tp_btf rows are found by section */
		assert_true(d->kind == AK_FENTRY ? d->prog != NULL : !d->prog);
	}
}

/* The probe table is attach.def, row for row. */
static void test_probe_table_is_attach_def(void **state UNUSED)
{
	struct probe_table t;

	probe_kernel(&t, false, false);
	assert_int_equal(t.n, NR_ATTACH_POINTS);
	for (int i = 0; i < t.n; i++) {
		assert_string_equal(t.points[i].target, attach_defs[i].target);
		assert_int_equal(t.points[i].group, attach_defs[i].group);
	}
	for (int s = 0; s < NR_OBS_SITES; s++)
		assert_int_equal(attach_defs[obs_sites[s].point].kind,
				 s < NR_OBS_FEXIT ? AK_FENTRY : AK_TP_BTF);
}

static void test_figure_rows(void **state UNUSED)
{
	char group[64], prev[64] = "", seen[NR_FIGURES][64];
	int nseen = 0;

	for (int i = 0; i < NR_FIGURES; i++) {
		const struct figure_def *d = &figure_defs[i];
		unsigned g = figure_groups_of(d);

		/* one dot at most, and the rows of a group together (figures_json) */
		assert_null(strchr(figure_key(d), '.'));
		figure_group_name(d, group, sizeof(group));
		if (*group && strcmp(group, prev)) {
			for (int j = 0; j < nseen; j++)
				assert_string_not_equal(seen[j], group);
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", group);
			snprintf(prev, sizeof(prev), "%s", group);
		}
		/* an "of which" row follows its own, in the same section */
		if (d->parent >= 0) {
			assert_true(d->parent < i);
			assert_int_equal(figure_defs[d->parent].section, d->section);
			assert_true(figure_defs[d->parent].parent < 0);
		}
		/* a text row is a number or a ledger cell */
		if (d->section != SEC_NONE)
			assert_true(d->shape == FS_COUNT || d->shape == FS_CELL || d->shape == FS_NIC);
		assert_true(d->npoints > 0 && d->npoints <= MAX_FIGURE_POINTS);
		/* at most one --figures group leaves a figure out */
		assert_true((g & (g - 1)) == 0);
		for (int j = i + 1; j < NR_FIGURES; j++)
			assert_string_not_equal(d->path, figure_defs[j].path);
	}
}

/* figure_value() computes what the row says */
static void test_figure_value(void **state UNUSED)
{
	struct figures f;

	memset(&f, 0, sizeof(f));
	f.k.ra_sync = 2;
	f.k.ra_async = 3;
	f.k.faults_user_write = 1;
	f.k.faults_kernel_write = 4;
	f.col[COL_PAGEREF].bytes = 4096;
	assert_int_equal(figure_value(FIG_PC_READAHEAD, &f), 5);
	assert_int_equal(figure_value(FIG_FAULTS_WRITE, &f), 5);
	assert_int_equal(figure_value(FIG_PAGE_REFS, &f), 4096);
	assert_string_equal(figure_defs[FIG_PC_READAHEAD].expr, "k->ra_sync + k->ra_async");
	assert_int_equal(figure_groups_of(&figure_defs[FIG_MODE_SWITCHES]), FG_FAULTS);
	assert_int_equal(figure_groups_of(&figure_defs[FIG_SYSCALLS]), FG_CORE);
	assert_int_equal(attach_find("pipe_write", AK_FENTRY), AP_PIPE_WRITE);
	assert_int_equal(attach_find("anon_pipe_write", AK_FENTRY), AP_PIPE_WRITE);
	assert_int_equal(attach_find("pipe", AK_FENTRY), -1);
	assert_int_equal(attach_find("filemap_read", AK_TP_BTF), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_program_has_a_row),
		cmocka_unit_test(test_every_row_has_a_program),
		cmocka_unit_test(test_probe_table_is_attach_def),
		cmocka_unit_test(test_figure_rows),
		cmocka_unit_test(test_figure_value),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
