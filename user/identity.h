/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Who `trace -- CMD` runs the command as, and who `trace -p` may watch:
 * the decisions a root tool on a shared machine must get right.
 */
#ifndef IDENTITY_H
#define IDENTITY_H

#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct identity {
	bool switch_user;  /* the command runs as pw, not as ipctrace's own user */
	bool other_user;   /* ... and pw is not ipctrace's user: isolate it (session, env) */
	bool root_note;    /* it runs as root without -u: say so */
	struct passwd pw;  /* the target user, from the user database */
	char pwbuf[4096];  /* pw's strings */
	gid_t *groups;     /* pw's group list (getgrouplist), for setgroups in the child */
	int ngroups;
	char **env;        /* the command's environment when other_user, else NULL */
	char *own_env[4];  /* HOME=, USER=, LOGNAME=, SHELL= of pw (in env) */
};

/*
 * Resolve -u @user, or sudo's SUDO_UID/SUDO_GID/SUDO_USER when ipctrace
 * runs as root. 0, or -1 with the reason in @err: anything inconsistent
 * is refused, never taken as "root".
 */
int identity_resolve(struct identity *id, const char *user, char *err, size_t len);

/* In the child, before exec: groups, gid, uid; no capabilities unless it stays root. 0 or -errno. */
int identity_become(const struct identity *id);

void identity_free(struct identity *id);

/*
 * For trace -p: may the caller watch process @pid? The kernel's ptrace
 * access rule (PTRACE_MODE_READ); 0, or -1 with the reason in @err.
 */
int identity_may_watch(pid_t pid, char *err, size_t len);

#endif
