// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The command's own session and terminal. A command that shares root's
 * terminal can type into root's shell after it ends (TIOCSTI, allowed
 * while dev.tty.legacy_tiocsti is 1, and always on 6.1) or keep reading
 * it; in a session of its own it has no controlling terminal but its
 * pty, whose master only ipctrace holds. ipctrace's terminal is in raw
 * mode while it relays (the pty's line discipline does the editing and
 * the signals), and is put back on every way out but SIGKILL.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include "compiler.h"
#include "ptyrelay.h"

/* The relay whose terminal the signal handlers put back (one per process). */
static struct ptyrelay *current;
static volatile sig_atomic_t winched;

static void on_winch(int sig UNUSED)
{
	winched = 1;
}

/* A signal that ends ipctrace: the terminal as it was, then the default action (SA_RESETHAND). */
static void on_fatal(int sig)
{
	if (current && current->raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &current->saved);
	raise(sig);
}

int ptyrelay_open(struct ptyrelay *r, bool session, uid_t owner)
{
	char name[64];
	struct winsize ws;
	int e;

	*r = (struct ptyrelay)PTYRELAY_INIT;
	r->session = session;
	if (!session || !isatty(STDIN_FILENO))
		return 0;
	r->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (r->master < 0)
		return -errno;
	if (grantpt(r->master) || unlockpt(r->master) || fcntl(r->master, F_SETFL, O_NONBLOCK))
		goto fail;
	if ((e = ptsname_r(r->master, name, sizeof(name)))) {
		errno = e;
		goto fail;
	}
	/* the slave stays open here until the child has it: no hang-up in between */
	r->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	/* the command's terminal is its own, as a login's is (grantpt gave it to root) */
	if (r->slave < 0 || fchown(r->slave, owner, -1))
		goto fail;
	if (!ioctl(STDIN_FILENO, TIOCGWINSZ, &ws))
		ioctl(r->master, TIOCSWINSZ, &ws);
	r->in_open = r->out_open = true;
	r->out = isatty(STDOUT_FILENO) ? STDOUT_FILENO : isatty(STDERR_FILENO) ? STDERR_FILENO
										 : STDIN_FILENO;
	return 0;
fail:
	e = -errno;
	ptyrelay_finish(r);
	return e;
}

int ptyrelay_child(const struct ptyrelay *r)
{
	if (!r->session)
		return 0;
	if (setsid() < 0)
		return -errno;
	if (r->slave < 0)
		return 0;
	if (ioctl(r->slave, TIOCSCTTY, 0))
		return -errno;
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
		if (isatty(fd) && dup2(r->slave, fd) < 0)
			return -errno;
	return 0; /* the master and the slave close at exec */
}

/* Every signal whose default ends the process, and that nothing handles yet. */
static void take_fatal_signals(struct ptyrelay *r)
{
	static const int not_fatal[] = { SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN,
					 SIGTTOU, SIGURG,  SIGWINCH, SIGKILL };
	struct sigaction sa = { .sa_handler = on_fatal, .sa_flags = SA_RESETHAND }, old;
	sigset_t skip;

	sigemptyset(&skip);
	for (size_t i = 0; i < sizeof(not_fatal) / sizeof(not_fatal[0]); i++)
		sigaddset(&skip, not_fatal[i]);
	sigemptyset(&sa.sa_mask);
	sigemptyset(&r->taken);
	for (int sig = 1; sig <= SIGRTMAX; sig++) {
		if (sigismember(&skip, sig) || sigaction(sig, NULL, &old) || old.sa_handler != SIG_DFL)
			continue;
		if (!sigaction(sig, &sa, NULL))
			sigaddset(&r->taken, sig);
	}
}

int ptyrelay_start(struct ptyrelay *r, pid_t child)
{
	struct sigaction sa = { .sa_handler = on_winch };
	struct termios raw;
	sigset_t winch;

	if (r->slave < 0)
		return 0; /* a session only: nothing to relay */
	close(r->slave);
	r->slave = -1;
	r->pidfd = pidfd_open(child, 0);
	if (r->pidfd < 0 || tcgetattr(STDIN_FILENO, &r->saved))
		return -errno;
	/* SIGWINCH only inside ppoll(), so that none is missed */
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, &r->mask);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	current = r;
	take_fatal_signals(r);
	raw = r->saved;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw))
		return -errno;
	r->raw = true;
	return 0;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the terminal is gone: drop it */
		p += w;
		n -= w;
	}
}

/* Bytes typed on ipctrace's terminal, to the command's. */
static void give_input(struct ptyrelay *r)
{
	ssize_t n = write(r->master, r->buf + r->off, r->len - r->off);

	if (n > 0)
		r->off += n;
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		r->off = r->len; /* nobody holds the pty any more */
}

static void take_input(struct ptyrelay *r)
{
	ssize_t n = read(STDIN_FILENO, r->buf, sizeof(r->buf));

	if (n > 0) {
		r->off = 0;
		r->len = n;
		give_input(r);
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		r->in_open = false; /* ipctrace's terminal hung up */
	}
}

/* What the command wrote to its terminal, to ipctrace's; false when there is none now. */
static bool copy_output(struct ptyrelay *r)
{
	char buf[4096];
	ssize_t n = read(r->master, buf, sizeof(buf));

	if (n > 0) {
		write_all(r->out, buf, n);
		return true;
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		r->out_open = false; /* EIO: the last holder of the pty closed it */
	return false;
}

bool ptyrelay_pump(struct ptyrelay *r, int timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	bool typed = r->off < r->len;
	struct pollfd p[3] = {
		{ .fd = r->in_open && !typed ? STDIN_FILENO : -1, .events = POLLIN },
		{ .fd = r->out_open || typed ? r->master : -1,
		  .events = (r->out_open ? POLLIN : 0) | (typed ? POLLOUT : 0) },
		{ .fd = r->pidfd, .events = POLLIN },
	};
	int n = ppoll(p, 3, timeout_ms < 0 ? NULL : &ts, &r->mask);
	struct winsize ws;

	if (winched) { /* the kernel signals the command's foreground group */
		winched = 0;
		if (!ioctl(STDIN_FILENO, TIOCGWINSZ, &ws))
			ioctl(r->master, TIOCSWINSZ, &ws);
	}
	if (n <= 0)
		return false;
	if (p[0].revents)
		take_input(r);
	if (p[1].revents & POLLOUT)
		give_input(r);
	if (p[1].revents & (POLLIN | POLLHUP | POLLERR) && r->out_open)
		copy_output(r);
	return p[2].revents & POLLIN;
}

const char *ptyrelay_eol(const struct ptyrelay *r)
{
	return r->raw ? "\r\n" : "\n";
}

void ptyrelay_finish(struct ptyrelay *r)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	/* up to 1 MiB more, in case another process still writes to the pty */
	for (int i = 0; i < 256 && r->master >= 0 && r->out_open && copy_output(r); i++)
		;
	if (r->raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &r->saved);
	r->raw = false;
	if (current == r) {
		for (int sig = 1; sig <= SIGRTMAX; sig++)
			if (sigismember(&r->taken, sig))
				sigaction(sig, &dfl, NULL);
		sigaction(SIGWINCH, &dfl, NULL);
		sigprocmask(SIG_SETMASK, &r->mask, NULL);
		current = NULL;
	}
	if (r->master >= 0)
		close(r->master);
	if (r->slave >= 0)
		close(r->slave);
	if (r->pidfd >= 0)
		close(r->pidfd);
	r->master = r->slave = r->pidfd = -1;
}
