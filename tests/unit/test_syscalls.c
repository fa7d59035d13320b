// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Nothing unseen, by construction: every syscall of the generated x86_64
 * table (<asm/unistd_64.h>) has exactly one row in bpf/syscalls.def, which
 * says whether the ledger counts it, counts its calls as not accounted, or
 * why it moves no data. A syscall added to the headers fails here until it
 * is classified.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "compiler.h"
#include "ledger.h"
#include "syscall_table.h"

static void test_every_syscall_has_a_row(void **state UNUSED)
{
	int missing = 0;

	for (long nr = 0; nr < syscall_name_count(); nr++) {
		const char *name = syscall_name(nr);

		if (name && !syscall_row(name)) {
			fprintf(stderr, "syscall %ld %s has no row in bpf/syscalls.def\n", nr, name);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}

static void test_rows_name_syscalls_once(void **state UNUSED)
{
	int bad = 0;

	for (int i = 0; i < nr_syscall_rows; i++) {
		const char *name = syscall_rows[i].name;
		long nr;

		for (nr = 0; nr < syscall_name_count(); nr++)
			if (syscall_name(nr) && !strcmp(syscall_name(nr), name))
				break;
		if (nr == syscall_name_count()) {
			fprintf(stderr, "bpf/syscalls.def: %s is no syscall of this table\n", name);
			bad++;
		}
		if (syscall_row(name) != &syscall_rows[i]) {
			fprintf(stderr, "bpf/syscalls.def: %s has two rows\n", name);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* A counted row names a real op, in a column of the ledger, and fd arguments that exist. */
static void test_data_rows_are_accounted(void **state UNUSED)
{
	int data = 0, unacc = 0;

	for (int i = 0; i < nr_syscall_rows; i++) {
		const struct syscall_row *r = &syscall_rows[i];

		assert_non_null(r->rule);
		if (r->how == SA_UNACCOUNTED) {
			assert_true(*r->rule); /* says what it moves */
			unacc++;
			continue;
		}
		if (r->how != SA_DATA)
			continue;
		data++;
		assert_true(r->op > IO_NONE && r->op < IO_UNACCOUNTED);
		assert_string_not_equal(io_op_name(r->op), "?");
		assert_true(ledger_column(r->op, FD_REG, FD_REG, 0) < NR_COLUMNS);
		assert_true(r->in_arg >= -1 && r->in_arg <= 3 && r->out_arg >= -1 && r->out_arg <= 3);
		assert_true(*r->rule);
	}
	assert_true(data >= 20);
	assert_true(unacc >= 1);
}

/* The paths issue 17 names are in the table, each as it is handled today. */
static void test_known_paths(void **state UNUSED)
{
	static const char *const unaccounted[] = { "move_pages", "migrate_pages" };
	static const char *const data[] = { "process_vm_readv", "process_vm_writev", "msgsnd",
					    "msgrcv", "mq_timedsend", "mq_timedreceive",
					    "sendmmsg", "recvmmsg", "copy_file_range",
					    "getrandom", "read", "write", "splice" };

	for (size_t i = 0; i < sizeof(unaccounted) / sizeof(unaccounted[0]); i++)
		assert_int_equal(syscall_row(unaccounted[i])->how, SA_UNACCOUNTED);
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		assert_int_equal(syscall_row(data[i])->how, SA_DATA);
	/* its ops are counted from io_uring's tracepoints, not the syscall */
	assert_int_equal(syscall_row("io_uring_enter")->how, SA_NODATA);
	/* Linux AIO: the iocbs at io_submit, their results when reaped */
	assert_int_equal(syscall_row("io_submit")->op, IO_AIO_SUBMIT);
	assert_int_equal(syscall_row("io_getevents")->op, IO_AIO_REAP);
	assert_int_equal(syscall_row("io_pgetevents")->op, IO_AIO_REAP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_syscall_has_a_row),
		cmocka_unit_test(test_rows_name_syscalls_once),
		cmocka_unit_test(test_data_rows_are_accounted),
		cmocka_unit_test(test_known_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
