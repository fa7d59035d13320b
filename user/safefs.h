/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Paths from the user or the environment, opened as root on a machine other
 * users share (TMPDIR, -o, --svg, --html). Every lookup walks the path one
 * component at a time from a directory fd, so no name can be swapped between
 * a check and its use:
 *  - a symbolic link on the way is followed only when a trusted user owns it
 *    and the directory that holds it (fs.protected_symlinks' rule, stricter);
 *  - the directory finally reached must belong to a trusted user and be
 *    writable by nobody else, or carry the sticky bit (as /tmp does).
 * Trusted users: root, the real uid, and the user sudo names in SUDO_UID.
 */
#ifndef SAFEFS_H
#define SAFEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

bool safefs_trusted(uid_t uid);

/*
 * @path as a directory fd (O_PATH, O_CLOEXEC) under the rules above, or -1
 * with the reason in @why. @final_link: the last component may itself be a
 * (trusted) symbolic link; TMPDIR may not.
 */
int safefs_open_dir(const char *path, bool final_link, char *why, size_t len);

/* Remove everything in directory @dirfd, never following a symlink; depth bounded. */
int safefs_empty_dir(int dirfd);

/* @len random bytes as letters and digits, NUL-terminated (@len + 1 bytes). */
void safefs_random_name(char *buf, size_t len);

#endif /* SAFEFS_H */
