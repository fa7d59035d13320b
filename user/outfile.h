/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Files the user names for output (-o, --svg, --html). ipctrace runs as
 * root where other users may plant links and files, so an output is:
 *  - looked up through safefs (its directory belongs to root or the caller,
 *    links on the way are trusted ones);
 *  - refused when the name is a symbolic link, a file another user owns, or
 *    neither a regular file nor a character device of root's (a FIFO, a
 *    socket); a device (/dev/null, /dev/full) is written in place;
 *  - written to a new file beside it and renamed into place only when the
 *    output is complete and every write succeeded: a command that fails
 *    leaves an existing file as it was and no partial file behind.
 * "-" is standard output.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct outfile {
	const char *path; /* as the user gave it; NULL: not asked for */
	FILE *f;          /* where to write; stdout for "-" */
	int dirfd;        /* the directory the file goes to (-1 for "-") */
	char name[256];   /* its name there */
	char tmp[256];    /* the new file's name until commit */
	bool named;       /* it has that name (else O_TMPFILE, or a device in place) */
	bool device;      /* a device written in place: nothing to rename */
	dev_t dev;        /* the directory, to tell two outputs apart */
	ino_t ino;
};

/* Open @o for @path; -1 with a message on stderr (prefixed with @who). */
int outfile_open(struct outfile *o, const char *path, const char *who);
/* Refuse (message, -1) when @a and @b name the same file. */
int outfile_distinct(const struct outfile *a, const struct outfile *b, const char *who);
/*
 * The output is complete: flush, check every write, rename into place.
 * -1 with a message when any write failed (nothing is left behind then).
 */
int outfile_commit(struct outfile *o, const char *who);
/* Nothing (or not all) was written: drop the new file, leave the old one. */
void outfile_abort(struct outfile *o);

/* At start: descriptors 0-2 that are closed are held, so no file takes them. */
void outfile_guard_stdio(void);
/* Standard output at exit: -1 with a message when a write to it failed. */
int outfile_close_stdout(const char *who);

#endif /* OUTFILE_H */
