// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The workload kit: the tools scenarios use (scenario.h): workers in one
 * process group per run, roles and facts in shared memory, the run's
 * private temporary directory, and the test data pattern; and ipctrace's
 * side of the same (runner.h): signals, killing the group, roles by pid.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "runner.h"
#include "scenario.h"
#include "stopsig.h"
#include "testpoint.h"

static pid_t run_pgid;           /* process group of the current run's workers */
static pid_t launcher_pid;       /* ipctrace's own process */
static volatile sig_atomic_t stop_signal;

pid_t workload_pgid(void)
{
	return run_pgid;
}

int workload_stop_signal(void)
{
	return stop_signal;
}

static void on_stop(int sig)
{
	stop_signal = sig;
}

void workload_install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	launcher_pid = getpid();
	/*
	 * Orphaned workers (a grandchild whose parent died) come back to us,
	 * so workload_kill_all() reaps every one before ipctrace exits.
	 */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocking waitpid() must return EINTR */
	stop_signals_action(&sa);
}

void workload_kill_all(void)
{
	/*
	 * Every worker, and every orphan of one that came back to us, is in
	 * the run's process group; ipctrace's other child, the guard of the
	 * run's directory (rundir.h), is not, and lives on until the cleanup.
	 */
	if (run_pgid > 0) {
		kill(-run_pgid, SIGKILL);
		while (waitpid(-run_pgid, NULL, 0) > 0 || errno == EINTR)
			;
	}
	run_pgid = 0;
}

int ctx_error(struct run_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->error[0]) /* keep the first error: it is the cause */
		return -1;
	va_start(ap, fmt);
	vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
	va_end(ap);
	/* a worker's memory dies with it: tell ipctrace through shared memory */
	if (ctx->sh && !ctx->sh->error[0])
		memcpy(ctx->sh->error, ctx->error, sizeof(ctx->sh->error));
	return -1;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

/*
 * Fault in, now, in setup, every page the worker may touch: code and data
 * of ipctrace and its libraries, heap and stack. A forked process otherwise
 * faults the first time it runs a page of code (fork copies no page tables
 * of file mappings) and copies on its first write to each private page it
 * shares with its parent; an exec'd one starts with nothing mapped. Those
 * faults would land in the transfer phase, where they have nothing to do
 * with the transfer. Shared mappings (rw-s) are left alone. Needs Linux
 * 5.14 (MADV_POPULATE_*); on older kernels the faults stay where they fall.
 * Mappings over PREFAULT_MAX are reservations, not working memory (the
 * shadow of AddressSanitizer is terabytes of MAP_NORESERVE): populating one
 * would bring the OOM killer, so they are left alone too.
 */
#define PREFAULT_MAX (256UL << 20)
void prefault_code(void)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	unsigned long lo, hi;
	char perms[8];

	if (!maps)
		return;
	while (fscanf(maps, "%lx-%lx %7s %*[^\n]", &lo, &hi, perms) == 3) {
		if (perms[0] != 'r' || perms[3] == 's' || hi - lo > PREFAULT_MAX)
			continue;
		madvise((void *)lo, hi - lo,
			perms[1] == 'w' ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
	}
	fclose(maps);
}

/*
 * In a new worker: default signals, die with its parent (@parent: its pid,
 * taken before the fork, since a parent that died first has already made
 * getppid() the reaper's), join the run's group.
 */
static void worker_init(pid_t parent)
{
	stop_signals_set(SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* parent died before prctl */
		_exit(127);
	prefault_code();
}

static pid_t fork_worker(void)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		worker_init(parent);
		return 0;
	}
	if (pid > 0 && getpid() == launcher_pid) {
		/* both sides set the group, so neither can run before it is set */
		if (!run_pgid)
			run_pgid = pid;
		setpgid(pid, run_pgid);
	} else if (pid > 0) {
		/* fork made this worker's private pages copy-on-write again */
		prefault_code();
	}
	return pid;
}

pid_t spawn(struct run_ctx *ctx, const char *role, int (*fn)(struct run_ctx *, void *), void *arg)
{
	pid_t pid = fork_worker();

	if (pid < 0) {
		ctx_error(ctx, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (getppid() == launcher_pid)
			setpgid(0, run_pgid ? run_pgid : 0);
		role_set(ctx, role);
		test_point(TP_SETUP);
		_exit(fn(ctx, arg) ? 1 : 0);
	}
	return pid;
}

pid_t spawn_exec(struct run_ctx *ctx, const char *role, char *const args[])
{
	char *argv[16] = { "ipctrace", "__worker", (char *)ctx->sc->name, NULL };
	char shfd[16];
	int n = 3;
	pid_t pid;

	snprintf(shfd, sizeof(shfd), "%d", ctx->shfd);
	argv[n++] = shfd;
	argv[n++] = (char *)role;
	for (int i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork_worker();
	if (pid < 0) {
		ctx_error(ctx, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		char exe[4096];
		ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (getppid() == launcher_pid)
			setpgid(0, run_pgid ? run_pgid : 0);
		fcntl(ctx->shfd, F_SETFD, 0); /* the worker maps it again */
		fcntl(ctx->dirfd, F_SETFD, 0);
		/* by its real path, so the worker's comm is "ipctrace", not "exe" */
		exe[len > 0 ? len : 0] = 0;
		execv(len > 0 ? exe : "/proc/self/exe", argv);
		_exit(127);
	}
	return pid;
}

void role_set(struct run_ctx *ctx, const char *role)
{
	int i = __atomic_fetch_add(&ctx->sh->nroles, 1, __ATOMIC_SEQ_CST);

	/* the worker's comm is its role, as ps and the report show it */
	prctl(PR_SET_NAME, role);
	if (i >= MAX_ROLES)
		return;
	ctx->sh->roles[i].pid = getpid();
	snprintf(ctx->sh->roles[i].role, sizeof(ctx->sh->roles[i].role), "%s", role);
}

const char *role_of(const struct run_ctx *ctx, pid_t pid)
{
	int n = ctx->sh->nroles < MAX_ROLES ? ctx->sh->nroles : MAX_ROLES;

	for (int i = 0; i < n; i++)
		if (ctx->sh->roles[i].pid == pid)
			return ctx->sh->roles[i].role;
	return NULL;
}

static int status_error(struct run_ctx *ctx, pid_t pid, const char *role, int status)
{
	if (WIFSIGNALED(status))
		return ctx_error(ctx, "%s (pid %d) was killed by signal %d (%s)", role, pid,
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
	/* what the worker said went wrong (the first error of the run) is the cause */
	if (WEXITSTATUS(status))
		return ctx_error(ctx, "%s (pid %d) failed (exit %d)%s%s", role, pid,
				 WEXITSTATUS(status), ctx->sh->error[0] ? ": " : "", ctx->sh->error);
	return 0;
}

int wait_workers(struct run_ctx *ctx, int n, const pid_t *pids, const char *const *roles)
{
	int left = n, status;

	while (left > 0) {
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0 && errno == EINTR && !stop_signal)
			continue;
		if (pid < 0 && stop_signal)
			return ctx_error(ctx, "interrupted by signal %d (%s)", stop_signal,
					 strsignal(stop_signal));
		if (pid < 0)
			return ctx_error(ctx, "waitpid: %s", strerror(errno));
		for (int i = 0; i < n; i++) {
			if (pids[i] != pid)
				continue;
			/* the first failure ends the wait: its peers may wait for it forever */
			if (status_error(ctx, pid, roles[i], status))
				return -1;
			left--;
		}
	}
	return 0;
}

int wait_worker(struct run_ctx *ctx, pid_t pid, const char *role)
{
	return wait_workers(ctx, 1, &pid, &role);
}

int run_one(struct run_ctx *ctx, const char *role, int (*fn)(struct run_ctx *, void *), void *arg)
{
	pid_t pid = spawn(ctx, role, fn, arg);

	return pid < 0 ? -1 : wait_worker(ctx, pid, role);
}

int prepare_blocks(struct run_ctx *ctx, const char *unit, const char *nic_reason)
{
	if (ctx->opts.block > ctx->opts.size)
		return ctx_error(ctx, "--block (%llu) is larger than --size (%llu)",
				 (unsigned long long)ctx->opts.block,
				 (unsigned long long)ctx->opts.size);
	ctx->unit = unit;
	ctx->units = (ctx->opts.size + ctx->opts.block - 1) / ctx->opts.block;
	ctx->nic_reason = nic_reason;
	return 0;
}

void fact_set(struct run_ctx *ctx, const char *role, const char *key, int64_t value)
{
	int i = __atomic_fetch_add(&ctx->sh->nfacts, 1, __ATOMIC_SEQ_CST);
	struct fact *f;

	if (i >= MAX_FACTS)
		return;
	f = &ctx->sh->facts[i];
	snprintf(f->role, sizeof(f->role), "%s", role);
	snprintf(f->key, sizeof(f->key), "%s", key);
	f->value = value;
}

int64_t fact_get(const struct run_ctx *ctx, const char *role, const char *key, int64_t dflt)
{
	int n = ctx->sh->nfacts < MAX_FACTS ? ctx->sh->nfacts : MAX_FACTS;

	for (int i = n - 1; i >= 0; i--)
		if (!strcmp(ctx->sh->facts[i].role, role) && !strcmp(ctx->sh->facts[i].key, key))
			return ctx->sh->facts[i].value;
	return dflt;
}

int run_open(const struct run_ctx *ctx, const char *name, int flags, mode_t mode)
{
	return openat(ctx->dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
}

void run_shm_guard(struct run_ctx *ctx, const char *name)
{
	snprintf(ctx->sh->shm_name, sizeof(ctx->sh->shm_name), "%s", name);
}

int run_mkfifo(struct run_ctx *ctx, const char *name)
{
	if (mkfifoat(ctx->dirfd, name, 0600))
		return ctx_error(ctx, "mkfifo %s/%s: %s", ctx->tmpdir, name, strerror(errno));
	return 0;
}

void pattern_fill(void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;

	for (size_t i = 0; i < len;) {
		uint64_t o = off + i, w = pattern_word(o & ~7ull);

		if (!(o & 7) && len - i >= 8) {
			memcpy(p + i, &w, 8);
			i += 8;
		} else {
			p[i] = ((unsigned char *)&w)[o & 7];
			i++;
		}
	}
}

uint64_t pattern_check(const void *buf, size_t len, uint64_t off)
{
	const unsigned char *p = buf;
	uint64_t bad = 0;

	for (size_t i = 0; i < len;) {
		uint64_t o = off + i, w = pattern_word(o & ~7ull);

		if (!(o & 7) && len - i >= 8) {
			bad += memcmp(p + i, &w, 8) != 0;
			i += 8;
		} else {
			bad += p[i] != ((unsigned char *)&w)[o & 7];
			i++;
		}
	}
	return bad;
}

uint64_t read_checked(int fd, void *buf, size_t block, uint64_t size, uint64_t *bad)
{
	uint64_t got = 0;
	ssize_t n;

	while (got < size) {
		n = read(fd, buf, block);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*bad += pattern_check(buf, n, got);
		got += n;
	}
	return got;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

int pattern_file(const struct run_ctx *ctx, const char *name, uint64_t size)
{
	static char buf[1 << 16];
	int fd = run_open(ctx, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
	int err = 0;

	if (fd < 0)
		return -1;
	for (uint64_t off = 0; off < size && !err; off += sizeof(buf)) {
		size_t n = size - off < sizeof(buf) ? size - off : sizeof(buf);

		pattern_fill(buf, n, off);
		err = write_all(fd, buf, n);
	}
	if (!err)
		err = fsync(fd);
	close(fd);
	return err;
}
