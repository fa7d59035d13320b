/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Files the user names for output (-o, --svg). One that did not exist is
 * created, and removed again when the run ends with nothing to put in it;
 * one that existed is written over and never removed: -o /dev/null run as
 * root and interrupted must not delete the device node.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/* @path for writing, or NULL with errno; *@created: ipctrace made it. */
FILE *outfile_open(const char *path, bool *created);
/* Nothing was written to @path: remove it if ipctrace made it. */
void outfile_discard(const char *path, bool created);

#endif /* OUTFILE_H */
