// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * run_args_from_spec(): "SCENARIO [OPTIONS]", the run specs of claims files,
 * parsed with `ipctrace run`'s own argp options (without exiting or printing).
 */
#include "fuzz.h"
#include "runargs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	struct run_args a;
	char buf[1024];

	memset(&a, 0, sizeof(a));
	if (run_args_from_spec(s, &a, buf, sizeof(buf)) == 0)
		FUZZ_ASSERT(a.sc != NULL);
	else
		FUZZ_ASSERT(a.err[0] != 0);
	free(s);
	return 0;
}
