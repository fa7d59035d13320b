// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include "parse.h"
#include "safefs.h"

#define MAX_LINKS 40 /* as the kernel's path walk allows */
#define MAX_DEPTH 16 /* directories inside a run's directory: ipctrace makes none */

bool safefs_trusted(uid_t uid)
{
	const char *sudo = getenv("SUDO_UID");
	uint64_t v;

	if (uid == 0 || uid == getuid())
		return true;
	return sudo && !parse_id(sudo, &v) && v == uid;
}

static int fail(char *why, size_t len, const char *fmt, const char *path, const char *detail)
{
	snprintf(why, len, fmt, path, detail);
	return -1;
}

/* A directory only trusted users can change the entries of. */
static int dir_ok(int fd, const char *path, char *why, size_t len)
{
	struct stat st;
	char uid[24];

	if (fstat(fd, &st))
		return fail(why, len, "%s: %s", path, strerror(errno));
	snprintf(uid, sizeof(uid), "%u", (unsigned)st.st_uid);
	if (!safefs_trusted(st.st_uid))
		return fail(why, len, "%s: the directory belongs to uid %s, not to root or you", path,
			    uid);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		return fail(why, len, "%s: %s", path,
			    "other users can write to the directory and it has no sticky bit");
	return 0;
}

/* The link @name in @dirfd may be followed: a trusted user owns it and its directory. */
static int link_ok(int dirfd, const struct stat *st, const char *path, char *why, size_t len)
{
	char uid[24];

	snprintf(uid, sizeof(uid), "%u", (unsigned)st->st_uid);
	if (!safefs_trusted(st->st_uid))
		return fail(why, len, "%s: a symbolic link on the way belongs to uid %s", path, uid);
	return dir_ok(dirfd, path, why, len);
}

/* Replace @rest (pointing into @buf at @p) by the target of link @name + what follows. */
static int splice_link(int dirfd, const char *name, char *buf, size_t size, const char *p)
{
	char target[PATH_MAX], tail[PATH_MAX];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

	if (n < 0)
		return -1;
	target[n] = 0;
	if (snprintf(tail, sizeof(tail), "%s", p) >= (int)sizeof(tail) ||
	    snprintf(buf, size, "%s/%s", target, tail) >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* The next component of *@p into @comp (NAME_MAX + 1 bytes); false at the end. */
static bool next_component(const char **p, char *comp)
{
	size_t n;

	*p += strspn(*p, "/");
	n = strcspn(*p, "/");
	if (!n)
		return false;
	if (n > NAME_MAX) {
		errno = ENAMETOOLONG;
		comp[0] = 0;
		return true;
	}
	memcpy(comp, *p, n);
	comp[n] = 0;
	*p += n;
	return true;
}

static int reopen(int fd, const char *where)
{
	int nfd = open(where, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return nfd;
}

int safefs_open_dir(const char *path, bool final_link, char *why, size_t len)
{
	char rest[2 * PATH_MAX + 2], comp[NAME_MAX + 1];
	const char *p = rest;
	int cur, links = 0, err = 0;
	struct stat st;

	if (!path || !*path || strlen(path) >= PATH_MAX)
		return fail(why, len, "'%s': %s", path ? path : "", "no such directory");
	snprintf(rest, sizeof(rest), "%s", path);
	cur = reopen(-1, path[0] == '/' ? "/" : ".");
	while (cur >= 0 && next_component(&p, comp)) {
		bool last = !p[strspn(p, "/")];

		if (!comp[0] || fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW)) {
			err = errno;
			break;
		}
		if (!S_ISLNK(st.st_mode)) {
			int next = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			close(cur);
			cur = next;
			continue;
		}
		if (last && !final_link)
			return close(cur), fail(why, len, "%s: %s", path, "is a symbolic link");
		if (++links > MAX_LINKS) {
			err = ELOOP;
			break;
		}
		if (link_ok(cur, &st, path, why, len))
			return close(cur), -1;
		if (splice_link(cur, comp, rest, sizeof(rest), p)) {
			err = errno;
			break;
		}
		p = rest;
		if (rest[0] == '/')
			cur = reopen(cur, "/");
	}
	if (cur < 0 || err) { /* a lookup failed */
		err = err ? err : errno;
		if (cur >= 0)
			close(cur);
		return fail(why, len, "%s: %s", path, strerror(err));
	}
	if (dir_ok(cur, path, why, len))
		return close(cur), -1;
	return cur;
}

static int empty_at(int dirfd, int depth)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), err = 0;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		int sub;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !unlinkat(dirfd, e->d_name, 0))
			continue;
		if (errno != EISDIR || depth >= MAX_DEPTH) {
			err = -1;
			continue;
		}
		sub = openat(dirfd, e->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0) {
			err |= empty_at(sub, depth + 1);
			close(sub);
		}
		if (unlinkat(dirfd, e->d_name, AT_REMOVEDIR))
			err = -1;
	}
	closedir(d);
	return err;
}

int safefs_empty_dir(int dirfd)
{
	return empty_at(dirfd, 0);
}

void safefs_random_name(char *buf, size_t len)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[64];

	if (len > sizeof(r))
		len = sizeof(r);
	if (getrandom(r, len, 0) != (ssize_t)len)
		for (size_t i = 0; i < len; i++) /* no entropy yet: unique, not secret */
			r[i] = (unsigned char)(getpid() * 31 + i * 7 + rand());
	for (size_t i = 0; i < len; i++)
		buf[i] = abc[r[i] % (sizeof(abc) - 1)];
	buf[len] = 0;
}
