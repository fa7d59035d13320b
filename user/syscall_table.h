/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SYSCALL_TABLE_H
#define SYSCALL_TABLE_H

/* Name of x86_64 syscall @nr (from <asm/unistd_64.h> at build time), or NULL. */
const char *syscall_name(long nr);

#endif
