/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `ipctrace trace`: the report of `ipctrace run`, for any program. */
#ifndef TRACE_H
#define TRACE_H

int trace_main(int argc, char **argv);

#endif
