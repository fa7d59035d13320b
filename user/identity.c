// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The command's user, and the rule for -p. ipctrace runs as root on
 * machines other users share: a SUDO_UID it cannot make sense of, a
 * SUDO_GID that is not the user's, are refused rather than read as 0
 * (root); the command gets the target user's group list from the user
 * database, no capabilities, and none of the loader variables that would
 * make it run code the caller chose. -p applies the kernel's ptrace rule,
 * which CAP_BPF and CAP_PERFMON alone would otherwise bypass.
 */
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "identity.h"
#include "parse.h"

extern char **environ;

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* A uid or gid as sudo writes it (parse_id(): digits only, below (uid_t)-1). */
static bool id_of(const char *s, unsigned *out)
{
	uint64_t v;

	if (parse_id(s, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

/* 0, -ENOENT (no such user) or the error of the user database. */
static int lookup(struct identity *id, const char *name, uid_t uid)
{
	struct passwd *res = NULL;
	int e = name ? getpwnam_r(name, &id->pw, id->pwbuf, sizeof(id->pwbuf), &res)
		     : getpwuid_r(uid, &id->pw, id->pwbuf, sizeof(id->pwbuf), &res);

	return res ? 0 : e ? -e : -ENOENT;
}

/* sudo's SUDO_UID, SUDO_GID and SUDO_USER, consistent with the user database, or a refusal. */
static int from_sudo(struct identity *id, char *err, size_t len)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID"), *name = getenv("SUDO_USER");
	unsigned uid, gid;

	if (!su || !sg)
		return fail(err, len, "%s is set but %s is not", su ? "SUDO_UID" : "SUDO_GID",
			    su ? "SUDO_GID" : "SUDO_UID");
	if (!id_of(su, &uid))
		return fail(err, len, "SUDO_UID '%s' is not a user id", su);
	if (!id_of(sg, &gid))
		return fail(err, len, "SUDO_GID '%s' is not a group id", sg);
	if (lookup(id, name, uid))
		return name ? fail(err, len, "SUDO_USER '%s' is not in the user database", name)
			    : fail(err, len, "SUDO_UID %u is not in the user database", uid);
	if (id->pw.pw_uid != uid)
		return fail(err, len, "SUDO_USER '%s' is uid %u, not SUDO_UID %u", name,
			    (unsigned)id->pw.pw_uid, uid);
	if (id->pw.pw_gid != gid)
		return fail(err, len, "SUDO_GID %u is not the group of %s (%u)", gid, id->pw.pw_name,
			    (unsigned)id->pw.pw_gid);
	return 0;
}

/* The target user's groups, as initgroups() would set them (read here: the child only calls setgroups). */
static int load_groups(struct identity *id, char *err, size_t len)
{
	for (int n = 16;;) {
		int want = n;
		gid_t *g = realloc(id->groups, n * sizeof(*g));

		if (!g)
			return fail(err, len, "%s", strerror(ENOMEM));
		id->groups = g;
		if (getgrouplist(id->pw.pw_name, id->pw.pw_gid, g, &n) >= 0) {
			id->ngroups = n;
			return 0;
		}
		if (n <= want) /* glibc says how many it needs; grow anyway */
			n = want * 2;
	}
}

/*
 * Variables the command does not get when it runs as another user: the
 * dynamic loader's (LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH and the rest of
 * LD_*, which glibc drops in secure mode) and glibc's other code-loading
 * ones; and those replaced by the target user's own.
 */
static bool dropped(const char *e)
{
	static const char *const names[] = { "GCONV_PATH=", "GLIBC_TUNABLES=", "HOME=",
					      "USER=", "LOGNAME=", "SHELL=" };

	if (!strncmp(e, "LD_", 3))
		return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(e, names[i], strlen(names[i])))
			return true;
	return false;
}

static int build_env(struct identity *id)
{
	const struct passwd *pw = &id->pw;
	const char *names[4] = { "HOME", "USER", "LOGNAME", "SHELL" };
	const char *vals[4] = { pw->pw_dir, pw->pw_name, pw->pw_name,
				*pw->pw_shell ? pw->pw_shell : "/bin/sh" };
	size_t n = 0, k = 0;

	while (environ[n])
		n++;
	id->env = calloc(n + 5, sizeof(char *));
	if (!id->env)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!dropped(environ[i]))
			id->env[k++] = environ[i];
	for (int i = 0; i < 4; i++) {
		if (asprintf(&id->own_env[i], "%s=%s", names[i], vals[i]) < 0) {
			id->own_env[i] = NULL;
			return -1;
		}
		id->env[k++] = id->own_env[i];
	}
	return 0;
}

int identity_resolve(struct identity *id, const char *user, char *err, size_t len)
{
	int e;

	if (user) {
		if ((e = lookup(id, user, 0)))
			return fail(err, len, "-u %s: %s", user,
				    e == -ENOENT ? "no such user" : strerror(-e));
		id->switch_user = true;
	} else if (geteuid() == 0 && (getenv("SUDO_UID") || getenv("SUDO_GID"))) {
		/* started through sudo: run the command as the user who typed it */
		if (from_sudo(id, err, len)) {
			e = strlen(err);
			snprintf(err + e, len - e, "; not running the command (-u USER says who)");
			return -1;
		}
		id->switch_user = id->pw.pw_uid != 0;
	}
	id->root_note = !user && geteuid() == 0 && !id->switch_user;
	id->other_user = id->switch_user && id->pw.pw_uid != geteuid();
	if (id->switch_user && load_groups(id, err, len))
		return -1;
	if (id->other_user && build_env(id))
		return fail(err, len, "%s", strerror(ENOMEM));
	return 0;
}

static int capget_self(struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d);
}

int identity_become(const struct identity *id)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {};
	uid_t u = id->pw.pw_uid;
	gid_t g = id->pw.pw_gid;

	if (id->switch_user &&
	    (setgroups(id->ngroups, id->groups) || setresgid(g, g, g) || setresuid(u, u, u)))
		return -errno;
	/* ambient capabilities survive exec, for any user: a CAP_BPF caller's too */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -errno;
	/* a command that is not root keeps none (even with SECBIT_KEEP_CAPS set) */
	if (geteuid() != 0 && syscall(SYS_capset, &h, none))
		return -errno;
	return 0;
}

void identity_free(struct identity *id)
{
	free(id->groups);
	free(id->env);
	for (int i = 0; i < 4; i++)
		free(id->own_env[i]);
	id->groups = NULL;
	id->env = NULL;
	memset(id->own_env, 0, sizeof(id->own_env));
}

/* The real, effective and saved uids and gids of @pid. */
static int proc_ids(pid_t pid, unsigned uid[3], unsigned gid[3])
{
	char path[64], line[256];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		n += sscanf(line, "Uid: %u %u %u", &uid[0], &uid[1], &uid[2]) == 3;
		n += sscanf(line, "Gid: %u %u %u", &gid[0], &gid[1], &gid[2]) == 3;
	}
	fclose(f);
	return n == 2 ? 0 : -ESRCH;
}

/*
 * __ptrace_may_access(): CAP_SYS_PTRACE, or the caller's real ids are the
 * target's real, effective and saved ones and the target is dumpable.
 */
int identity_may_watch(pid_t pid, char *err, size_t len)
{
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3] = {};
	unsigned uid[3], gid[3];
	char path[64], exe[8];

	if (!capget_self(caps) &&
	    caps[CAP_TO_INDEX(CAP_SYS_PTRACE)].effective & CAP_TO_MASK(CAP_SYS_PTRACE))
		return 0;
	if (proc_ids(pid, uid, gid))
		return fail(err, len, "no such process (it exited?)");
	for (int i = 0; i < 3; i++)
		if (uid[i] != getuid() || gid[i] != getgid())
			return fail(err, len, "runs as another user or group (uid %u, gid %u): watching "
					      "it needs CAP_SYS_PTRACE, as ptrace would", uid[i], gid[i]);
	/* dumpable: the kernel applies the same rule to /proc/PID/exe, and says EACCES */
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	if (readlink(path, exe, sizeof(exe)) < 0 && errno == EACCES)
		return fail(err, len, "is not dumpable (a set-id program, or PR_SET_DUMPABLE 0): "
				      "watching it needs CAP_SYS_PTRACE, as ptrace would");
	return 0;
}
