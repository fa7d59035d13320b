// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * loadgen: the loads `make bench` measures, traced and untraced.
 *
 *   loadgen KIND SIZE COUNT    KIND: pipe, unix, tcp, file, self, threads
 *
 * pipe/unix/tcp: COUNT messages of SIZE bytes from a parent to a forked
 * child (TCP over loopback); file: COUNT reads of SIZE bytes, rewinding, of
 * a cached file; self: COUNT messages of SIZE bytes through a pipe that one
 * thread writes and reads back; threads: the same work split over
 * NR_THREADS threads of one process, each with its own pipe (the
 * multi-threaded load: with fewer CPUs than threads, they run side by side
 * and take turns). Prints "ns N" (wall time of the transfer) and
 * "msgs_per_s R".
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "timing.h"

#define NR_THREADS 4

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

/* COUNT preads of SIZE bytes at offset 0 of a cached file: the time they took. */
static long long file_reads(long size, long count)
{
	char path[] = "/tmp/loadgen.XXXXXX";
	int fd = mkstemp(path);
	long long t0;

	unlink(path);
	if (fd < 0 || write(fd, buf, size) != size)
		exit(1);
	t0 = (long long)clock_ns();
	for (long i = 0; i < count; i++)
		if (pread(fd, buf, size, 0) != size)
			exit(3);
	return (long long)clock_ns() - t0;
}

/* COUNT messages from this process to a forked child through a pair of @kind. */
static long long to_child(const char *kind, long size, long count)
{
	long long t0;
	int fds[2];
	pid_t pid;

	if (pair(kind, fds))
		exit(1);
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
	return (long long)clock_ns() - t0;
}

struct echo {
	long size, count;
	pthread_t thread;
};

/* One thread's share: write @size bytes into its own pipe, read them back. */
static void *echo_run(void *arg)
{
	const struct echo *e = arg;
	char *b = malloc(e->size);
	int fds[2];

	if (!b || pipe(fds))
		exit(1);
	for (long i = 0; i < e->count; i++)
		if (write(fds[1], b, e->size) != e->size || read(fds[0], b, e->size) != e->size)
			exit(3);
	close(fds[0]);
	close(fds[1]);
	free(b);
	return NULL;
}

/* COUNT messages of SIZE bytes echoed through pipes by @threads threads (1: this one). */
static long long echoes(int threads, long size, long count)
{
	struct echo e[NR_THREADS];
	long long t0;

	t0 = (long long)clock_ns();
	for (int i = 0; i < threads; i++) {
		e[i] = (struct echo){ .size = size, .count = count / threads + (i < count % threads) };
		if (threads == 1)
			echo_run(&e[i]);
		else if (pthread_create(&e[i].thread, NULL, echo_run, &e[i]))
			exit(1);
	}
	for (int i = 0; threads > 1 && i < threads; i++)
		pthread_join(e[i].thread, NULL);
	return (long long)clock_ns() - t0;
}

int main(int argc, char **argv)
{
	long size = argc == 4 ? atol(argv[2]) : 0, count = argc == 4 ? atol(argv[3]) : 0;
	const char *kind = argc == 4 ? argv[1] : "";
	long long ns;

	if (size <= 0 || size > (long)sizeof(buf) || count <= 0 ||
	    (strcmp(kind, "pipe") && strcmp(kind, "unix") && strcmp(kind, "tcp") && strcmp(kind, "file") &&
	     strcmp(kind, "self") && strcmp(kind, "threads")) ||
	    (size > 65536 && (!strcmp(kind, "self") || !strcmp(kind, "threads")))) {
		/* self, threads: one write must fit the pipe, or the thread blocks on itself */
		fprintf(stderr, "usage: loadgen pipe|unix|tcp|file|self|threads SIZE COUNT"
				" (self, threads: SIZE at most 65536)\n");
		return 2;
	}
	if (!strcmp(kind, "file"))
		ns = file_reads(size, count);
	else if (!strcmp(kind, "self") || !strcmp(kind, "threads"))
		ns = echoes(!strcmp(kind, "self") ? 1 : NR_THREADS, size, count);
	else
		ns = to_child(kind, size, count);
	printf("ns %lld\nmsgs_per_s %.0f\n", ns, count * 1e9 / ns);
	return 0;
}
