// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "readfile.h"
#include "textsafe.h"

/* Room for more of the file in *@buf: doubled, up to @max + 1 bytes and a NUL. */
static int grow(char **buf, size_t *cap, size_t max)
{
	size_t want = *cap ? 2 * *cap : 65536;
	char *b;

	if (want > max + 2)
		want = max + 2;
	b = realloc(*buf, want);
	if (!b)
		return ENOMEM;
	*buf = b;
	*cap = want;
	return 0;
}

/* Read @fd to its end into *@buf; 0, EFBIG past @max bytes, or an errno. */
static int read_all(int fd, size_t max, char **buf, size_t *n)
{
	size_t cap = 0;
	int err;

	for (;;) {
		ssize_t r;

		if ((*n + 1 >= cap) && (err = grow(buf, &cap, max)))
			return err;
		r = read(fd, *buf + *n, cap - 1 - *n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? errno : 0;
		*n += r;
		if (*n > max)
			return EFBIG;
	}
}

static void say(int err, const char *path, size_t max, const char *what, char *msg,
		size_t len)
{
	char safe[TEXT_SAFE_LEN];

	text_safe(path, safe, sizeof(safe));
	if (err != EFBIG)
		snprintf(msg, len, "cannot read %s: %s", safe, strerror(err));
	else if (max % MIB == 0)
		snprintf(msg, len, "%s is larger than %zu MiB, the limit for a %s", safe, max / MIB,
			 what);
	else
		snprintf(msg, len, "%s is larger than %zu bytes, the limit for a %s", safe, max, what);
}

char *read_bounded(const char *path, size_t max, const char *what, size_t *len, char *msg,
		   size_t msglen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	char *buf = NULL;
	struct stat st;
	size_t n = 0;

	if (fd < 0) {
		say(errno, path, max, what, msg, msglen);
		return NULL;
	}
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max)
		err = EFBIG; /* refused unread */
	else
		err = read_all(fd, max, &buf, &n);
	close(fd);
	if (err) {
		free(buf);
		say(err, path, max, what, msg, msglen);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}
