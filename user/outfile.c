// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "outfile.h"
#include "safefs.h"
#include "textsafe.h"

static int refuse(struct outfile *o, const char *who, const char *why)
{
	text_error(who, "cannot write %s: %s", o->path, why);
	if (o->dirfd >= 0)
		close(o->dirfd);
	o->dirfd = -1;
	o->f = NULL;
	return -1;
}

/* Split o->path into its directory (into @dir) and o->name. */
static int split(struct outfile *o, char *dir, size_t len)
{
	const char *slash = strrchr(o->path, '/');
	const char *name = slash ? slash + 1 : o->path;

	if (!*name || !strcmp(name, ".") || !strcmp(name, "..") || strlen(name) >= sizeof(o->name))
		return -1;
	snprintf(o->name, sizeof(o->name), "%s", name);
	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == o->path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - o->path), o->path);
	return 0;
}

/* A character device root made (/dev/null, /dev/full): written in place. */
static bool root_device(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_uid == 0;
}

/*
 * What is at the name now may be written: nothing, a regular file of a
 * trusted user (replaced), or a root_device().
 */
static const char *replaceable(struct outfile *o, struct stat *st, bool *exists)
{
	*exists = !fstatat(o->dirfd, o->name, st, AT_SYMLINK_NOFOLLOW);
	if (!*exists)
		return errno == ENOENT ? NULL : strerror(errno);
	if (S_ISLNK(st->st_mode))
		return "it is a symbolic link (ipctrace never writes through one)";
	if (root_device(st))
		return NULL;
	if (!S_ISREG(st->st_mode))
		return "it is neither a regular file nor a device of root's";
	if (!safefs_trusted(st->st_uid))
		return "the file belongs to another user";
	return NULL;
}

/* A name for the new file beside the old one, into o->tmp. */
static void tmp_name(struct outfile *o)
{
	char r[13];

	safefs_random_name(r, 12);
	snprintf(o->tmp, sizeof(o->tmp), ".%.200s.%s", o->name, r);
}

/*
 * The new file, with the old one's mode and owner: unnamed (O_TMPFILE)
 * where the file system can, so a SIGKILL before the commit leaves nothing;
 * else under a random name (o->named).
 */
static int create_tmp(struct outfile *o, const struct stat *old, bool exists)
{
	int fd = openat(o->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);

	for (int i = 0; i < 16 && fd < 0; i++) {
		tmp_name(o);
		fd = openat(o->dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0666);
		o->named = fd >= 0;
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd >= 0 && exists &&
	    (fchmod(fd, old->st_mode & 0777) || (old->st_uid != geteuid() &&
						 fchown(fd, old->st_uid, old->st_gid)))) {
		int e = errno;

		close(fd);
		if (o->named)
			unlinkat(o->dirfd, o->tmp, 0);
		errno = e;
		return -1;
	}
	return fd;
}

/* Give the unnamed new file a name in its directory (then renamed over the old). */
static int link_tmp(struct outfile *o)
{
	char proc[64];
	int err = EEXIST;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fileno(o->f));
	for (int i = 0; i < 16 && err == EEXIST; i++) {
		tmp_name(o);
		err = linkat(AT_FDCWD, proc, o->dirfd, o->tmp, AT_SYMLINK_FOLLOW) ? errno : 0;
	}
	o->named = !err;
	return err;
}

/* The device itself, checked to be the one looked at (no name swapped in between). */
static int open_device(struct outfile *o, const struct stat *st)
{
	int fd = openat(o->dirfd, o->name, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	struct stat now;

	if (fd >= 0 && (fstat(fd, &now) || now.st_rdev != st->st_rdev || !root_device(&now))) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int outfile_open(struct outfile *o, const char *path, const char *who)
{
	char dir[PATH_MAX], why[PATH_MAX + 128];
	const char *bad;
	struct stat st, dst;
	bool exists;
	int fd;

	*o = (struct outfile){ .path = path, .dirfd = -1 };
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	if (split(o, dir, sizeof(dir)))
		return refuse(o, who, "it names a directory, not a file");
	o->dirfd = safefs_open_dir(dir, true, why, sizeof(why));
	if (o->dirfd < 0)
		return refuse(o, who, why);
	if ((bad = replaceable(o, &st, &exists)))
		return refuse(o, who, bad);
	o->device = exists && root_device(&st);
	fd = o->device ? open_device(o, &st) : create_tmp(o, &st, exists);
	if (fd < 0)
		return refuse(o, who, strerror(errno));
	if (!fstat(o->dirfd, &dst)) {
		o->dev = dst.st_dev;
		o->ino = dst.st_ino;
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		unlinkat(o->dirfd, o->tmp, 0);
		return refuse(o, who, strerror(ENOMEM));
	}
	return 0;
}

int outfile_distinct(const struct outfile *a, const struct outfile *b, const char *who)
{
	bool same = a->f && b->f &&
		    (a->f == stdout ? b->f == stdout
				    : b->dirfd >= 0 && a->dev == b->dev && a->ino == b->ino &&
					      !strcmp(a->name, b->name));

	if (same)
		text_error(who, "%s and %s name the same file; give each output its own", a->path,
			   b->path);
	return same ? -1 : 0;
}

static void drop(struct outfile *o)
{
	if (o->dirfd >= 0) {
		if (o->named)
			unlinkat(o->dirfd, o->tmp, 0);
		close(o->dirfd);
	}
	o->dirfd = -1;
	o->f = NULL;
}

int outfile_commit(struct outfile *o, const char *who)
{
	bool replace = !o->device; /* a new file, not a device written in place */
	int err = 0;

	if (!o->f || o->dirfd < 0)
		return 0; /* not a file of ours: stdout is checked at exit (outfile_close_stdout) */
	if (fflush(o->f) || ferror(o->f))
		err = errno ? errno : EIO;
	if (!err && replace && !o->named)
		err = link_tmp(o);
	if (fclose(o->f) && !err)
		err = errno;
	o->f = NULL;
	if (!err && replace && renameat(o->dirfd, o->tmp, o->dirfd, o->name))
		err = errno;
	if (err) {
		text_error(who, "writing %s: %s; nothing was written there", o->path, strerror(err));
		drop(o);
		return -1;
	}
	close(o->dirfd);
	o->dirfd = -1;
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->f && o->dirfd >= 0)
		fclose(o->f);
	drop(o);
}

int outfile_close_stdout(const char *who)
{
	int err = 0;

	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		err = errno ? errno : EIO;
	if (fclose(stdout) && !err && errno != EBADF)
		err = errno;
	if (!err)
		return 0;
	fprintf(stderr, "%s: writing to standard output: %s\n", who, strerror(err));
	return -1;
}

void outfile_guard_stdio(void)
{
	/*
	 * A descriptor of 0, 1 or 2 closed by the caller would go to the next
	 * file ipctrace opens, and the report into it. Hold each such number
	 * with /dev/null opened read-only: writes to it fail (EBADF), as they
	 * would on the closed descriptor, and outfile_close_stdout() says so.
	 */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			open("/dev/null", O_RDONLY); /* the lowest free number: @fd */
}
