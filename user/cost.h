/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef COST_H
#define COST_H

#include <stdio.h>

/* ns per event of each program, untraced and traced (ipctrace probe --cost) */
int probe_cost(double seconds, FILE *out);

#endif
