// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include "rundir.h"
#include "safefs.h"
#include "stopsig.h"

int rundir_base(struct rundir *rd, char *why, size_t len)
{
	const char *base = getenv("TMPDIR");
	struct statvfs vfs;
	char err[PATH_MAX + 128];

	*rd = (struct rundir){ .base = -1, .fd = -1, .guard_fd = -1 };
	if (!base || !*base)
		base = "/tmp";
	rd->base = safefs_open_dir(base, false, err, sizeof(err));
	if (rd->base < 0) {
		snprintf(why, len, "temporary directory (TMPDIR) %s; point TMPDIR at a directory "
				   "of root's or yours", err);
		return -1;
	}
	snprintf(rd->path, sizeof(rd->path), "%s", base);
	if (!fstatvfs(rd->base, &vfs)) {
		rd->blocks = vfs.f_blocks;
		rd->free_bytes = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
	}
	return 0;
}

/* mkdtemp() relative to the base fd: a new 0700 directory of ours, opened. */
static int make_dir(struct rundir *rd)
{
	struct stat st;

	for (int i = 0; i < 64; i++) {
		char r[13];

		safefs_random_name(r, 12);
		snprintf(rd->name, sizeof(rd->name), "ipctrace.%s", r);
		if (!mkdirat(rd->base, rd->name, 0700))
			break;
		if (errno != EEXIST)
			return -1;
		rd->name[0] = 0;
	}
	if (!rd->name[0])
		return errno = EEXIST, -1;
	rd->fd = openat(rd->base, rd->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rd->fd < 0 || fstat(rd->fd, &st) || st.st_uid != geteuid() ||
	    (st.st_mode & 0777) != 0700) {
		unlinkat(rd->base, rd->name, AT_REMOVEDIR);
		return errno = errno ? errno : EPERM, -1;
	}
	return 0;
}

/* In the guard: stdio on /dev/null, every other descriptor closed but @keep's three. */
static void guard_fds(int keep[3])
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	unsigned lo = 3;

	for (int fd = 0; fd <= 2; fd++)
		dup2(null, fd);
	for (int i = 0; i < 2; i++) /* sort the three */
		for (int j = 0; j < 2 - i; j++)
			if (keep[j] > keep[j + 1]) {
				int t = keep[j];

				keep[j] = keep[j + 1];
				keep[j + 1] = t;
			}
	for (int i = 0; i < 3; i++) {
		if (keep[i] > (int)lo)
			close_range(lo, keep[i] - 1, 0);
		if (keep[i] >= (int)lo)
			lo = keep[i] + 1;
	}
	close_range(lo, ~0U, 0);
}

/* The guard: wait for ipctrace's end; clean up unless it said it did. */
static void guard(struct rundir *rd, int rfd, const char *shm_name)
{
	int keep[3] = { rd->base, rd->fd, rfd };
	char done;
	ssize_t n;

	setsid(); /* out of the terminal's process group: Ctrl-C is for ipctrace */
	stop_signals_set(SIG_IGN);
	prctl(PR_SET_NAME, "ipctrace-guard");
	guard_fds(keep);
	while ((n = read(rfd, &done, 1)) < 0 && errno == EINTR)
		;
	if (n == 1)
		_exit(0);
	/* workers still dying may hold a file open or make one: try for a second */
	for (int i = 0; i < 20; i++) {
		safefs_empty_dir(rd->fd);
		if (!unlinkat(rd->base, rd->name, AT_REMOVEDIR) || errno == ENOENT)
			break;
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	if (shm_name && shm_name[0])
		shm_unlink(shm_name);
	_exit(0);
}

int rundir_create(struct rundir *rd, const char *shm_name, char *why, size_t len)
{
	int p[2];

	if (make_dir(rd)) {
		snprintf(why, len, "cannot create a directory in %s: %s; point TMPDIR at a "
				   "writable directory", rd->path, strerror(errno));
		return -1;
	}
	snprintf(rd->path + strlen(rd->path), sizeof(rd->path) - strlen(rd->path), "/%s",
		 rd->name);
	/* a socket, not a pipe: telling a guard that died must not raise SIGPIPE */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) || (rd->guard = fork()) < 0) {
		snprintf(why, len, "cannot start the guard of %s: %s", rd->path, strerror(errno));
		rd->guard = 0;
		return -1;
	}
	if (rd->guard == 0) {
		close(p[1]);
		guard(rd, p[0], shm_name);
	}
	close(p[0]);
	rd->guard_fd = p[1];
	return 0;
}

void rundir_remove(struct rundir *rd)
{
	if (rd->fd >= 0) {
		safefs_empty_dir(rd->fd);
		unlinkat(rd->base, rd->name, AT_REMOVEDIR);
		close(rd->fd);
	}
	if (rd->guard > 0) {
		if (send(rd->guard_fd, "", 1, MSG_NOSIGNAL) != 1) /* done: nothing left for it */
			kill(rd->guard, SIGKILL);
		close(rd->guard_fd);
		while (waitpid(rd->guard, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (rd->base >= 0)
		close(rd->base);
	*rd = (struct rundir){ .base = -1, .fd = -1, .guard_fd = -1 };
}
