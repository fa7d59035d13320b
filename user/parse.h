/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Parsing of command-line values. */
#ifndef PARSE_H
#define PARSE_H

#include <stdint.h>

/*
 * A size: decimal digits and an optional binary suffix K, M, G or T (also
 * KiB, k...; KB, MB... are refused as ambiguous). Zero, negative numbers, junk and values past 2^63 are
 * refused with -1 and a reason in @why.
 */
int parse_size(const char *s, uint64_t *out, const char **why);

/*
 * A user or group id as the environment gives it (SUDO_UID, SUDO_GID):
 * decimal digits only, below 4294967295 ((uid_t)-1 means "none"). Empty
 * strings, signs, spaces, junk and overflow are refused with -1.
 */
int parse_id(const char *s, uint64_t *out);

#endif
