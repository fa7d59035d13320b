/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Input files the user names (a claims file, `compare`'s JSON), read whole
 * but never past a limit: /dev/zero, a FIFO that never ends or a file of
 * gigabytes is refused instead of filling memory.
 */
#ifndef READFILE_H
#define READFILE_H

#include <stddef.h>

#define MIB ((size_t)1 << 20)

/*
 * The whole of @path, NUL-terminated, its length in *@len; @max bytes at
 * most. NULL when it cannot be read or is longer (a regular file by its
 * size, unread; anything else once @max + 1 bytes have come), with the
 * reason in @err, the path escaped for a terminal: "cannot read PATH: ..."
 * or "PATH is larger than 1 MiB, the limit for a @what".
 */
char *read_bounded(const char *path, size_t max, const char *what, size_t *len, char *err,
		   size_t errlen);

#endif /* READFILE_H */
