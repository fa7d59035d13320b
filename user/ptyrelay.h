/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A session of its own for a command run as another user and, when
 * ipctrace's stdin is a terminal, a pseudo-terminal of its own that
 * ipctrace relays to and from its terminal (as `su --pty` and sudo's
 * use_pty do): the command never holds the caller's terminal, so it
 * cannot push input into it (TIOCSTI) or take it over.
 */
#ifndef PTYRELAY_H
#define PTYRELAY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>
#include <sys/types.h>

struct ptyrelay {
	bool session;       /* the command gets a session of its own */
	int master, slave;  /* the pty; -1 when there is none */
	int out;            /* ipctrace's terminal for the command's output */
	int pidfd;          /* the command: readable once it has exited */
	bool in_open;       /* still reading ipctrace's stdin */
	bool out_open;      /* the pty still gives output */
	bool raw;           /* stdin's terminal is in raw mode (saved: its settings before) */
	struct termios saved;
	char buf[4096];     /* typed, not yet taken by the pty: buf[off..len) */
	size_t len, off;
	sigset_t mask;      /* the signal mask before (SIGWINCH is blocked outside ppoll) */
	sigset_t taken;     /* fatal signals whose handler puts the terminal back */
};

#define PTYRELAY_INIT { .master = -1, .slave = -1, .out = -1, .pidfd = -1 }

/* Before fork: a session for the command if @session, and a pty if stdin is a terminal. 0 or -errno. */
int ptyrelay_open(struct ptyrelay *r, bool session, uid_t owner);

/* In the child: a new session; with a pty, it as controlling terminal and the stdio that was a terminal. */
int ptyrelay_child(const struct ptyrelay *r);

/* In ipctrace after fork: raw mode on its terminal, window size changes passed on. 0 or -errno. */
int ptyrelay_start(struct ptyrelay *r, pid_t child);

static inline bool ptyrelay_active(const struct ptyrelay *r)
{
	return r->pidfd >= 0;
}

/* Move what is ready, waiting up to @timeout_ms (-1: until there is something); true once the command has exited. */
bool ptyrelay_pump(struct ptyrelay *r, int timeout_ms);

/* The end of a line on ipctrace's terminal while it relays (raw mode has no output processing). */
const char *ptyrelay_eol(const struct ptyrelay *r);

/* After the command: the rest of its output, ipctrace's terminal as it was, the pty closed. */
void ptyrelay_finish(struct ptyrelay *r);

#endif
