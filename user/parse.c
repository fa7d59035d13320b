// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <string.h>
#include "parse.h"

/*
 * K, M, G, T (and KiB, MiB...) are powers of 1024, as perf and dd read K
 * and M. "KB", "MB"... are refused (-2): dd reads MB as 1000*1000, perf
 * does not take it; a 16MB that means 16 MiB here and 16,000,000 there
 * would make figures per unit of work silently differ.
 */
static int suffix_shift(const char *s, unsigned *shift)
{
	static const char units[] = "KMGT";
	const char *u;

	if (!*s) {
		*shift = 0;
		return 0;
	}
	u = strchr(units, toupper((unsigned char)*s));
	if (!u)
		return -1;
	*shift = 10 * (unsigned)(u - units + 1);
	s++;
	if (!strcmp(s, "") || !strcmp(s, "iB"))
		return 0;
	return strcmp(s, "B") && strcmp(s, "b") ? -1 : -2;
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
	switch (suffix_shift(p, &shift)) {
	case 0:
		break;
	case -2:
		return *why = "KB, MB, GB, TB are ambiguous (dd reads MB as 1000*1000): "
			      "write K, M, G, T or KiB, MiB... for powers of 1024, "
			      "or the bytes in digits", -1;
	default:
		return *why = "unknown size suffix (use K, M, G or T)", -1;
	}
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
