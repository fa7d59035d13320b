/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Compiler attributes for the whole project (user/, scenarios/, tests/, tools/). */
#ifndef COMPILER_H
#define COMPILER_H

/*
 * A parameter a function must take and does not use: a callback's (a signal
 * handler's, a cmocka test's void **state, a worker's arg).
 */
#define UNUSED __attribute__((unused))

#endif /* COMPILER_H */
