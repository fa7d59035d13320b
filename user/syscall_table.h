/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SYSCALL_TABLE_H
#define SYSCALL_TABLE_H

/* Name of x86_64 syscall @nr (from <asm/unistd_64.h> at build time), or NULL. */
const char *syscall_name(long nr);
/* One past the highest syscall number of that table. */
long syscall_name_count(void);

/* How the ledger accounts for a syscall: the rows of bpf/syscalls.def. */
enum syscall_accounting {
	SA_DATA,        /* counted in the ledger */
	SA_UNACCOUNTED, /* moves data the ledger cannot count yet: not_accounted */
	SA_NODATA,      /* moves no data (or is accounted by other figures) */
};

struct syscall_row {
	const char *name;
	enum syscall_accounting how;
	int op;           /* SA_DATA: enum ipct_io_op */
	int in_arg, out_arg;
	const char *rule; /* SA_DATA, SA_UNACCOUNTED: how; SA_NODATA: why, or "" */
};

extern const struct syscall_row syscall_rows[];
extern const int nr_syscall_rows;

/* The row of syscall @name, or NULL. */
const struct syscall_row *syscall_row(const char *name);

#endif
