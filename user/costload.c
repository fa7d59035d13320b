// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The load of ipctrace probe --cost (costload.h): a writer sends 64-byte
 * messages through a pipe to its reader child and, every ROUND_EVERY
 * messages, makes one round of the other events: a signal to itself, a
 * 64-byte unix-socket message received into a fresh page (a kernel fault)
 * and a fresh anonymous page touched (a user fault), a page written into
 * its scratch file, read back and touched through a mapping; every
 * COLD_EVERY rounds the cold file's page dropped and read again from the
 * disk (readahead, a block read), every FORK_EVERY rounds a child that
 * execs /bin/true. The events ipctrace's counters do not count one by one
 * (pages, bytes, execs) it counts itself, in memory its parent reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "costload.h"

#define ROUND_EVERY 256
#define FILE_PAGES 64 /* the scratch file is truncated when it has these */
#define COLD_EVERY 16
#define FORK_EVERY 64
#define PAGE 4096
#define MSG 64

struct round {
	struct load_counts *n;
	int sock[2], file, cold;
	unsigned long nr;
};

static char page[PAGE];

static void on_usr1(int sig)
{
	(void)sig;
}

/* A message through a unix socket pair, received into a fresh page; the next page touched. */
static void round_socket(struct round *r)
{
	char *fresh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (fresh == MAP_FAILED)
		return;
	if (send(r->sock[0], page, MSG, 0) == MSG)
		r->n->sends++;
	if (recv(r->sock[1], fresh, MSG, 0) == MSG)
		r->n->recvs++;
	fresh[PAGE] = 1;
	munmap(fresh, 2 * PAGE);
}

/* A new page of the scratch file written, read back, and read through a mapping. */
static void round_file(struct round *r)
{
	off_t off = (off_t)(r->nr % FILE_PAGES) * PAGE;
	char *map;

	if (r->file < 0)
		return;
	if (!off && r->nr && !ftruncate(r->file, 0))
		r->n->pc_deletes += FILE_PAGES;
	if (pwrite(r->file, page, PAGE, off) == PAGE)
		r->n->pc_adds++;
	if (pread(r->file, page, PAGE, off) != PAGE)
		return;
	map = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, r->file, off);
	if (map == MAP_FAILED)
		return;
	page[0] = *(volatile char *)map;
	munmap(map, PAGE);
}

/* The cold file's page dropped from the page cache and read again from the disk. */
static void round_cold(struct round *r)
{
	if (r->cold < 0 || posix_fadvise(r->cold, 0, PAGE, POSIX_FADV_DONTNEED))
		return;
	r->n->pc_deletes++;
	if (pread(r->cold, page, PAGE, 0) == PAGE)
		r->n->pc_adds++;
}

static void round_fork(struct round *r)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		r->n->execs++;
}

static void one_round(struct round *r)
{
	kill(getpid(), SIGUSR1);
	round_socket(r);
	round_file(r);
	if (r->nr % COLD_EVERY == 0)
		round_cold(r);
	if (r->nr % FORK_EVERY == 0)
		round_fork(r);
	r->nr++;
}

/* The writer: messages to its reader child, a round every ROUND_EVERY of them. */
static void __attribute__((noreturn)) run_load(struct round *r)
{
	static char msg[MSG];
	int fds[2];

	signal(SIGUSR1, on_usr1);
	if (pipe(fds) || socketpair(AF_UNIX, SOCK_STREAM, 0, r->sock))
		_exit(1);
	if (fork() == 0) {
		close(fds[1]);
		while (read(fds[0], msg, sizeof(msg)) > 0)
			;
		_exit(0);
	}
	close(fds[0]);
	for (unsigned long i = 1; !r->n->stop; i++) {
		if (write(fds[1], msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
		if (i % ROUND_EVERY == 0)
			one_round(r);
	}
	close(fds[1]); /* the reader sees the end, and exits */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

int cost_load_cold_file(void)
{
	int fd = open("/var/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0 && (pwrite(fd, page, PAGE, 0) != PAGE || fdatasync(fd))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int cost_load_start(struct cost_load *l, int cold, const int *gate)
{
	struct round r = { .cold = cold };

	l->pid = 0;
	l->file = -1;
	l->counts = mmap(NULL, sizeof(*l->counts), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (l->counts == MAP_FAILED) {
		l->counts = NULL;
		return -1;
	}
	l->file = open("/var/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	/* the cold page starts in the cache: its first drop is one */
	if (cold >= 0 && pread(cold, page, PAGE, 0) != PAGE)
		r.cold = -1;
	r.n = l->counts;
	r.file = l->file;
	l->pid = fork();
	if (l->pid == 0) {
		setpgid(0, 0);
		if (gate) {
			close(gate[1]);
			while (read(gate[0], page, 1) < 0 && errno == EINTR)
				;
			close(gate[0]);
		}
		run_load(&r);
	}
	if (l->pid > 0)
		setpgid(l->pid, l->pid);
	return l->pid > 0 ? 0 : -1;
}

/* Wait up to 2 s for the writer to leave by itself. */
static void await_writer(pid_t pid)
{
	for (int i = 0; i < 2000; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		usleep(1000);
	}
}

void cost_load_stop(struct cost_load *l)
{
	if (l->pid <= 0)
		return;
	if (l->counts) {
		l->counts->stop = 1;
		await_writer(l->pid);
	}
	kill(-l->pid, SIGKILL);
	kill(l->pid, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	l->pid = 0;
}

void cost_load_free(struct cost_load *l)
{
	if (l->counts)
		munmap(l->counts, sizeof(*l->counts));
	if (l->file >= 0)
		close(l->file);
	l->counts = NULL;
	l->file = -1;
}
