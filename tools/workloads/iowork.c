// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * iowork: workloads of known shape for testing `ipctrace trace` against
 * independent witnesses. Each mode prints what it did, as counted by
 * itself, on stdout: "key value" lines.
 *
 *   iowork pipe N BS     fork a reader; write N blocks of BS bytes into a pipe (and time it)
 *   iowork file PATH N BS write N blocks to PATH, fsync, read them back
 *   iowork touch MB      touch MB MiB of fresh anonymous memory, one byte a page
 *   iowork remap PATH N  write a byte a page to N pages of a private mapping of PATH
 *                        (made N pages long), then unmap it, map anonymous memory at
 *                        the same address and do the same: N file-backed write
 *                        faults, then N anonymous ones at the same addresses
 *   iowork spin          write 64 bytes to /dev/null forever
 *   iowork threads T N   start T threads; each, and then the main thread, reads one byte
 *                        from stdin, then writes N blocks of 64 bytes to /dev/null
 *                        (threads that exist before a tracer attaches with -p)
 *   iowork crash         a few writes, then SIGSEGV
 *   iowork sigmerge N    block SIGUSR1, send it to itself N times, then take it: one
 *                        delivery, N - 1 sends merged into the pending one
 * Every mode ends with its own getrusage(RUSAGE_SELF): minflt, majflt, nvcsw, nivcsw.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include "timing.h"

static void full_write(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			exit(3);
		buf += n;
		len -= n;
	}
}

static long long full_read(int fd, char *buf, size_t bs)
{
	long long got = 0;
	ssize_t n;

	while ((n = read(fd, buf, bs)) > 0)
		got += n;
	return got;
}

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

/* Send SIGUSR1 to itself @n times while it is blocked, then unblock it: how often the handler ran. */
static int sigmerge(int n)
{
	sigset_t usr1;

	signal(SIGUSR1, on_usr1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	for (int i = 0; i < n; i++)
		kill(getpid(), SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	return handled;
}

static void usage_line(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("minflt %ld\nmajflt %ld\nnvcsw %ld\nnivcsw %ld\n", ru.ru_minflt, ru.ru_majflt,
	       ru.ru_nvcsw, ru.ru_nivcsw);
}

struct writer {
	pthread_t id;
	int fd;
	long n;
};

/* iowork threads: wait for the go byte on stdin, then write n blocks of 64 bytes to fd. */
static void *writer_main(void *arg)
{
	struct writer *w = arg;
	static const char block[64];
	char go;

	if (read(STDIN_FILENO, &go, 1) != 1)
		return NULL;
	for (long i = 0; i < w->n; i++)
		full_write(w->fd, block, sizeof(block));
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	static char buf[1 << 20];

	if (!strcmp(mode, "pipe") && argc == 4) {
		long n = atol(argv[2]), bs = atol(argv[3]);
		unsigned long long t0;
		int fds[2];
		pid_t pid;

		if (bs <= 0 || bs > (long)sizeof(buf) || pipe(fds))
			return 2;
		pid = fork();
		if (pid == 0) {
			close(fds[1]);
			printf("child_read %lld\n", full_read(fds[0], buf, bs));
			return 0;
		}
		close(fds[0]);
		t0 = clock_ns();
		for (long i = 0; i < n; i++)
			full_write(fds[1], buf, bs);
		close(fds[1]);
		waitpid(pid, NULL, 0);
		printf("written %ld\nns %llu\n", n * bs, (unsigned long long)clock_ns() - t0);
	} else if (!strcmp(mode, "file") && argc == 5) {
		long n = atol(argv[3]), bs = atol(argv[4]);
		int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || bs <= 0 || bs > (long)sizeof(buf))
			return 2;
		for (long i = 0; i < n; i++)
			full_write(fd, buf, bs);
		fsync(fd);
		lseek(fd, 0, SEEK_SET);
		printf("written %ld\nread %lld\n", n * bs, full_read(fd, buf, bs));
		close(fd);
	} else if (!strcmp(mode, "remap") && argc == 4) {
		long n = atol(argv[3]);
		size_t len = (size_t)n * 4096;
		int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0600);
		char *p, *q;

		if (fd < 0 || n <= 0 || ftruncate(fd, len))
			return 2;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			return 2;
		for (size_t off = 0; off < len; off += 4096)
			p[off] = 1;
		munmap(p, len);
		q = mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (q != p)
			return 2;
		for (size_t off = 0; off < len; off += 4096)
			q[off] = 1;
		close(fd);
		printf("file_pages %ld\nanon_pages %ld\n", n, n);
	} else if (!strcmp(mode, "touch") && argc == 3) {
		size_t len = (size_t)atol(argv[2]) << 20;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 2;
		for (size_t off = 0; off < len; off += 4096)
			p[off] = 1;
		printf("pages %zu\n", len / 4096);
	} else if (!strcmp(mode, "spin")) {
		int fd = open("/dev/null", O_WRONLY);

		for (;;)
			full_write(fd, buf, 64);
	} else if (!strcmp(mode, "threads") && argc == 4) {
		int t = atoi(argv[2]);
		struct writer w[17];

		if (t < 0 || t > 16)
			return 2;
		for (int i = 0; i <= t; i++) {
			w[i].fd = open("/dev/null", O_WRONLY);
			w[i].n = atol(argv[3]);
			if (w[i].fd < 0 || (i < t && pthread_create(&w[i].id, NULL, writer_main, &w[i])))
				return 2;
		}
		writer_main(&w[t]);
		for (int i = 0; i < t; i++)
			pthread_join(w[i].id, NULL);
		printf("written %ld\n", (t + 1) * w[t].n * 64);
	} else if (!strcmp(mode, "sigmerge") && argc == 3) {
		printf("sent %d\nhandled %d\n", atoi(argv[2]), sigmerge(atoi(argv[2])));
	} else if (!strcmp(mode, "crash")) {
		for (int i = 0; i < 10; i++)
			full_write(STDOUT_FILENO, "x", 1);
		raise(SIGSEGV);
	} else {
		fprintf(stderr, "usage: iowork pipe N BS | file PATH N BS | touch MB | remap PATH N | spin | threads T N | crash | sigmerge N\n");
		return 2;
	}
	usage_line();
	return 0;
}
