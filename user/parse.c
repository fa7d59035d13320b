// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <string.h>
#include "parse.h"

static int suffix_shift(const char *s, unsigned *shift)
{
	static const char units[] = "KMGT";
	const char *u;

	if (!*s) {
		*shift = 0;
		return 0;
	}
	u = strchr(units, toupper((unsigned char)*s));
	if (!u || !*s)
		return -1;
	*shift = 10 * (unsigned)(u - units + 1);
	s++;
	/* accept K, KB, KiB (all binary: sizes of buffers and files) */
	if (!strcmp(s, "") || !strcmp(s, "B") || !strcmp(s, "iB"))
		return 0;
	return -1;
}

int parse_size(const char *s, uint64_t *out, const char **why)
{
	uint64_t v = 0;
	unsigned shift;
	const char *p = s;

	if (!s || !*s)
		return *why = "empty size", -1;
	if (*p == '-')
		return *why = "a size cannot be negative", -1;
	if (!isdigit((unsigned char)*p))
		return *why = "a size starts with a digit", -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return *why = "size too large", -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (suffix_shift(p, &shift))
		return *why = "unknown size suffix (use K, M, G or T)", -1;
	if (v > (UINT64_MAX >> 1) >> shift)
		return *why = "size too large", -1;
	v <<= shift;
	if (!v)
		return *why = "a size must be greater than zero", -1;
	*out = v;
	return 0;
}

int parse_id(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s || strlen(s) > 10)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v >= 0xffffffffull)
		return -1;
	*out = v;
	return 0;
}
