// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* parse_size(): every --size and --block value of the command line and of run specs. */
#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	const char *why = NULL;
	uint64_t v = 0;

	if (parse_size(s, &v, &why) == 0)
		FUZZ_ASSERT(v > 0 && v <= (UINT64_C(1) << 63));
	else
		FUZZ_ASSERT(why && *why);
	free(s);
	return 0;
}
