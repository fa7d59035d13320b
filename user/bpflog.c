// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* libbpf's log behind -v: see bpflog.h. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "bpflog.h"
#include "cli.h"
#include "compiler.h"
#include "textfmt.h"

static bool verbose; /* IPCTRACE_DEBUG */

static int print(enum libbpf_print_level level UNUSED, const char *fmt, va_list ap)
{
	return verbose || text_verbosity() >= 2 ? vfprintf(stderr, fmt, ap) : 0;
}

void bpflog_install(void)
{
	if (getenv("IPCTRACE_DEBUG"))
		verbose = true;
	libbpf_set_print(print);
}

static error_t parse(int key, char *arg UNUSED, struct argp_state *state UNUSED)
{
	if (key != 'v')
		return ARGP_ERR_UNKNOWN;
	text_set_verbosity(text_verbosity() + 1);
	return 0;
}

static const struct argp_option options[] = {
	{ "verbose", 'v', NULL, 0, "every row, zero or not, and every probe's reason; -vv: libbpf's log on stderr too (as IPCTRACE_DEBUG=1)", 0 },
	{ 0 },
};

/* with cli.h's children (-h): a command takes this in their place */
static const struct argp bpflog_argp = { options, parse, NULL, NULL, cli_children, NULL, NULL };

const struct argp_child bpflog_argp_children[] = {
	{ &bpflog_argp, 0, NULL, 0 },
	{ 0 },
};
