// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * loadgen: the loads `make bench` measures, traced and untraced.
 *
 *   loadgen KIND SIZE COUNT    KIND: pipe, unix, tcp, file
 *
 * pipe/unix/tcp: COUNT messages of SIZE bytes from a parent to a forked
 * child (TCP over loopback); file: COUNT reads of SIZE bytes, rewinding, of
 * a cached file. Prints "ns N" (wall time of the transfer) and
 * "msgs_per_s R".
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "timing.h"

static char buf[1 << 20];


static void xfer(int fd, long size, long count, int out)
{
	for (long i = 0; i < count; i++) {
		long done = 0;

		while (done < size) {
			ssize_t n = out ? write(fd, buf + done, size - done) : read(fd, buf + done, size - done);

			if (n <= 0)
				exit(3);
			done += n;
		}
	}
}

/* A connected pair of fds of @kind: [0] for the child to read, [1] to write. */
static int pair(const char *kind, int fds[2])
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int l, one = 1;

	if (!strcmp(kind, "pipe"))
		return pipe(fds);
	if (!strcmp(kind, "unix"))
		return socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &len))
		return -1;
	fds[1] = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(fds[1], (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	fds[0] = accept(l, NULL, NULL);
	close(l);
	setsockopt(fds[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fds[0] < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	long size = argc == 4 ? atol(argv[2]) : 0, count = argc == 4 ? atol(argv[3]) : 0;
	long long t0, t1;
	int fds[2];

	if (size <= 0 || size > (long)sizeof(buf) || count <= 0) {
		fprintf(stderr, "usage: loadgen pipe|unix|tcp|file SIZE COUNT\n");
		return 2;
	}
	if (!strcmp(argv[1], "file")) {
		char path[] = "/tmp/loadgen.XXXXXX";
		int fd = mkstemp(path);

		unlink(path);
		if (fd < 0 || write(fd, buf, size) != size)
			return 1;
		t0 = (long long)clock_ns();
		for (long i = 0; i < count; i++)
			if (pread(fd, buf, size, 0) != size)
				return 3;
		t1 = (long long)clock_ns();
	} else {
		pid_t pid;

		if (pair(argv[1], fds))
			return 1;
		pid = fork();
		if (pid == 0) {
			close(fds[1]);
			xfer(fds[0], size, count, 0);
			_exit(0);
		}
		close(fds[0]);
		t0 = (long long)clock_ns();
		xfer(fds[1], size, count, 1);
		close(fds[1]);
		waitpid(pid, NULL, 0);
		t1 = (long long)clock_ns();
	}
	printf("ns %lld\nmsgs_per_s %.0f\n", t1 - t0, count * 1e9 / (t1 - t0));
	return 0;
}
