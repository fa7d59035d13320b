/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * libbpf's log: silent, since ipctrace explains failures itself, unless
 * asked for with -vv (or IPCTRACE_DEBUG=1 in the environment); one -v
 * shows every row of a text report (textfmt.h).
 */
#ifndef BPFLOG_H
#define BPFLOG_H

#include <argp.h>

/* -v, --verbose (counted), and cli.h's -h: the argp children of every command that loads BPF programs */
extern const struct argp_child bpflog_argp_children[];
/* libbpf's print function set to this module's (before libbpf's first call) */
void bpflog_install(void);

#endif /* BPFLOG_H */
