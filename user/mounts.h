/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The mount table (/proc/self/mountinfo), to turn a path the kernel gave
 * relative to its file system's root (the per-file table walks dentries up
 * to the super block's root: /dev/shm/x reads "/x") into the path from "/".
 */
#ifndef MOUNTS_H
#define MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

struct mount_entry {
	unsigned major, minor; /* the file system's device (st_dev) */
	char *root;            /* the directory of that file system mounted here */
	char *point;           /* where: the mount point */
};

struct mount_table {
	struct mount_entry *e;
	int n;
};

/* Parse mountinfo @text (escapes like \040 decoded); 0, or -ENOMEM. Lines that do not parse are skipped. */
int mount_table_parse(struct mount_table *t, const char *text);
/* /proc/self/mountinfo; an empty table when it cannot be read. */
void mount_table_load(struct mount_table *t);
void mount_table_free(struct mount_table *t);

/*
 * The path of @name (relative to the root of the file system of device
 * @major:@minor, "/x"; ".../a/b" when its first components are unknown)
 * from "/", in @buf: the first mount of that device whose root holds it
 * (the root "/" for a name whose head is unknown: "/dev/shm/.../a/b").
 * Returns the mount point, or NULL (@buf gets @name) when no mount of that
 * device shows it.
 */
const char *mount_path(const struct mount_table *t, unsigned major, unsigned minor,
		       const char *name, char *buf, size_t len);

#endif /* MOUNTS_H */
