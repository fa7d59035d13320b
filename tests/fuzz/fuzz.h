/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * libFuzzer harnesses: each fuzz_*.c defines LLVMFuzzerTestOneInput for one
 * parser of outside input. Built with clang -fsanitize=fuzzer (make fuzz,
 * tools/fuzz-run.sh) and, with replay.c, as a test of make test that feeds
 * it the seed corpus and the regression inputs in tests/fuzz/.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (parsers of text take C strings). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

/* A property the harness checks: a failed one is a crash, as libFuzzer wants. */
#define FUZZ_ASSERT(cond)                                                                   \
	do {                                                                               \
		if (!(cond))                                                               \
			__builtin_trap();                                                  \
	} while (0)

#endif
