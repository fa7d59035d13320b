// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Paths other users control, met by ipctrace running as root (user/safefs.h,
 * user/outfile.h, user/rundir.h). The attacker is the user nobody: it makes
 * the links, files, FIFOs and directories (setpriv), or owns what the test
 * made (chown), and in one case races ipctrace with renameat2(RENAME_EXCHANGE).
 *
 * Each case asserts the exact outcome: exit 2 and the reason for a refusal,
 * exit 1 and a message for a write error; the victim's files as they were
 * (content, owner, mode); and nothing left behind: no temporary ".NAME.*"
 * beside an output, no ipctrace.* directory in TMPDIR, no /dev/shm object of
 * the run, no process of the run.
 *
 * Every case works in its own scratch directory, root's and mode 1777 as
 * /tmp is, so that nobody can plant things in it. Refusals need root only
 * (they come before any BPF program is loaded); cases that run a scenario
 * need root and BPF, and skip with the reason otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "compiler.h"
#include "harness.h"

#define NOBODY 65534 /* the user nobody and the group nogroup */
#define AS_NOBODY "setpriv --reuid=65534 --regid=65534 --clear-groups"
#define VICTIMS 300
#define SECRET "root's secret\n"
#define PIPE_RUN "run pipe --size 4K --block 4K"

static char scratch[64];
static pid_t child; /* a process the test started, ended by remove_scratch() if still there */

#define NEED_ROOT()                                                                        \
	do {                                                                               \
		if (geteuid() != 0) {                                                      \
			printf("skipped: not root: acting as another user needs root\n"); \
			skip();                                                            \
		}                                                                          \
	} while (0)

static int make_scratch(void **state UNUSED)
{
	snprintf(scratch, sizeof(scratch), "/tmp/ipct-hostile.XXXXXX");
	assert_non_null(mkdtemp(scratch));
	assert_int_equal(chmod(scratch, 01777), 0); /* as /tmp: anyone may add entries */
	return 0;
}

static int remove_scratch(void **state UNUSED)
{
	char cmd[128];

	if (child > 0 && !kill(child, SIGKILL))
		waitpid(child, NULL, 0);
	child = 0;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", scratch);
	return system(cmd);
}

/* @name in the scratch directory, in a buffer of the caller's */
#define AT(buf, name) (snprintf(buf, sizeof(buf), "%s/%s", scratch, name), buf)

/* The shell command's stdout (its stderr too where it says 2>&1) and exit code. */
__attribute__((format(printf, 2, 3))) static char *shell(int *rc, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return run_shell(cmd, rc);
}

/*
 * ipctrace ARGS, with TMPDIR=@tmpdir unless NULL, exits @want_rc and says
 * @needle (stderr and stdout together); it is ended after 10 s should it
 * block. 2>&1 comes first, so that ARGS may close or redirect stdout.
 */
__attribute__((format(printf, 4, 5)))
static void expect_ipct(const char *tmpdir, int want_rc, const char *needle, const char *fmt, ...)
{
	char args[1024], *out;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	out = shell(&rc, "%s%s timeout 10 %s 2>&1 %s", tmpdir ? "TMPDIR=" : "",
		    tmpdir ? tmpdir : "", ipctrace_bin(), args);
	if (rc != want_rc || !strstr(out, needle))
		fail_msg("ipctrace %s: exit %d (expected %d), output lacks '%s':\n%s", args, rc,
			 want_rc, needle, out);
	free(out);
}

/* The shell command run as user nobody; it must succeed. */
static void as_nobody(const char *cmd, const char *path)
{
	char *out;
	int rc;

	out = shell(&rc, AS_NOBODY " sh -c '%s %s' 2>&1", cmd, path);
	if (rc)
		fail_msg("as nobody: %s %s: exit %d: %s", cmd, path, rc, out);
	free(out);
}

static void put_file(const char *path, const char *content, mode_t mode)
{
	FILE *f = fopen(path, "we");

	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0 && !fclose(f), 1);
	assert_int_equal(chmod(path, mode), 0);
}

/* The whole file, NUL-terminated (NULL if it cannot be read). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

/* @path is a regular file holding @content, owned by @uid, with mode @mode. */
static void file_is(const char *path, const char *content, uid_t uid, mode_t mode)
{
	struct stat st;
	char *now = slurp(path);

	assert_int_equal(lstat(path, &st), 0);
	if (!S_ISREG(st.st_mode) || st.st_uid != uid || (st.st_mode & 07777) != mode)
		fail_msg("%s: mode %o uid %u, expected a regular file, mode %o uid %u", path,
			 st.st_mode, st.st_uid, mode, uid);
	if (!now || strcmp(now, content))
		fail_msg("%s changed: '%.200s', was '%.200s'", path, now ? now : "(unreadable)",
			 content);
	free(now);
}

/* Paths matching the glob pattern; each printed as left behind when @print. */
__attribute__((format(printf, 2, 3))) static int matches(bool print, const char *fmt, ...)
{
	char pattern[512];
	glob_t g;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(pattern, sizeof(pattern), fmt, ap);
	va_end(ap);
	if (glob(pattern, 0, NULL, &g))
		return 0;
	n = g.gl_pathc;
	for (int i = 0; print && i < n; i++)
		printf("left behind: %s\n", g.gl_pathv[i]);
	globfree(&g);
	return n;
}

/* No temporary file of output @path (".NAME.*" in its directory). */
static void no_temp_file(const char *path)
{
	const char *slash = strrchr(path, '/');

	assert_int_equal(matches(true, "%.*s/.%s.*", (int)(slash - path), path, slash + 1), 0);
}

/* ---- TMPDIR --------------------------------------------------------------- */

/* The scratch directory's "t" with @mode and owner @uid: a TMPDIR, into @buf. */
static char *make_tmpdir(char *buf, size_t len, mode_t mode, uid_t uid)
{
	snprintf(buf, len, "%s/t", scratch);
	assert_int_equal(mkdir(buf, 0700), 0);
	assert_int_equal(chmod(buf, mode), 0);
	assert_int_equal(chown(buf, uid, uid), 0);
	return buf;
}

static void expect_tmpdir_refused(const char *tmpdir, const char *reason)
{
	char needle[256];

	snprintf(needle, sizeof(needle), "temporary directory (TMPDIR) %s: %s", tmpdir, reason);
	expect_ipct(tmpdir, 2, needle, PIPE_RUN);
}

static void test_tmpdir_of_nobody_refused(void **state UNUSED)
{
	char t[128];

	NEED_ROOT();
	make_tmpdir(t, sizeof(t), 0755, NOBODY);
	expect_tmpdir_refused(t, "the directory belongs to uid 65534, not to root or you");
	assert_int_equal(dir_entries(t), 0);
}

static void test_tmpdir_writable_without_sticky_refused(void **state UNUSED)
{
	char t[128];

	NEED_ROOT();
	make_tmpdir(t, sizeof(t), 0777, 0);
	expect_tmpdir_refused(t, "other users can write to the directory and it has no sticky bit");
	assert_int_equal(dir_entries(t), 0);
}

static void test_tmpdir_symlink_refused(void **state UNUSED)
{
	char link[128];

	NEED_ROOT();
	assert_int_equal(symlink("/tmp", AT(link, "tmp")), 0); /* root's, to /tmp itself */
	expect_tmpdir_refused(link, "is a symbolic link");
}

static void test_sticky_tmpdir_accepted(void **state UNUSED)
{
	char t[128];

	NEED_BPF();
	make_tmpdir(t, sizeof(t), 01777, 0);
	expect_ipct(t, 0, "", PIPE_RUN);
	assert_int_equal(dir_entries(t), 0);
}

/* The victim: a root-only directory of VICTIMS files. */
static void make_victims(const char *dir)
{
	char path[256], content[32];

	assert_int_equal(mkdir(dir, 0700), 0);
	for (int i = 0; i < VICTIMS; i++) {
		snprintf(path, sizeof(path), "%s/f%03d", dir, i);
		snprintf(content, sizeof(content), "victim %d\n", i);
		put_file(path, content, 0600);
	}
}

static void victims_intact(const char *dir)
{
	char path[256], content[32];

	assert_int_equal(matches(false, "%s/*", dir), VICTIMS); /* none gone, none added */
	for (int i = 0; i < VICTIMS; i++) {
		snprintf(path, sizeof(path), "%s/f%03d", dir, i);
		snprintf(content, sizeof(content), "victim %d\n", i);
		file_is(path, content, 0, 0600);
	}
}

/*
 * As nobody, for at most 30 s: put a symlink "evil" to @target in @dir,
 * then exchange every other entry of @dir with it, again and again.
 */
static pid_t start_swapper(const char *dir, const char *target)
{
	pid_t pid = fork();
	struct dirent *e;
	DIR *d;

	assert_true(pid >= 0);
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(30);
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY) || !(d = opendir(dir)) ||
	    symlinkat(target, dirfd(d), "evil"))
		_exit(1);
	for (;;) {
		rewinddir(d);
		while ((e = readdir(d)))
			if (e->d_name[0] != '.' && strcmp(e->d_name, "evil"))
				renameat2(dirfd(d), e->d_name, dirfd(d), "evil", RENAME_EXCHANGE);
	}
}

/*
 * The swap attack: in a TMPDIR of nobody's, nobody keeps exchanging the
 * run's directory with a link to a root-only directory, so that files are
 * made in that one and its entries removed with the run's (before the
 * TMPDIR checks, ipctrace wrote a run's file into it). The TMPDIR is
 * refused before a directory is made in it, every time.
 */
static void test_tmpdir_swap_attack_refused(void **state UNUSED)
{
	char t[128], victims[128];
	int status;

	NEED_ROOT();
	make_victims(AT(victims, "victims"));
	make_tmpdir(t, sizeof(t), 0755, NOBODY);
	child = start_swapper(t, victims);
	for (int i = 0; i < 5; i++)
		expect_tmpdir_refused(t, "the directory belongs to uid 65534");
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	child = 0;
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL); /* it was still swapping */
	victims_intact(victims);
	assert_int_equal(unlink(AT(t, "t/evil")), 0); /* all that is in TMPDIR */
	assert_int_equal(dir_entries(AT(t, "t")), 0);
}

/* ---- outputs -------------------------------------------------------------- */

/* Every option that names an output file: %s is the file. */
static const char *const output_options[] = {
	PIPE_RUN " -o %s",
	PIPE_RUN " --svg %s",
	"verify pipe.fds -o %s",
	"verify pipe.fds --html %s",
	"trace -o %s -- true",
};

/* Each output option refuses @path with @reason, leaving no temporary file. */
static void refused_as_every_output(const char *path, const char *reason)
{
	char needle[512];

	snprintf(needle, sizeof(needle), "cannot write %s: %s", path, reason);
	for (size_t i = 0; i < sizeof(output_options) / sizeof(output_options[0]); i++) {
		expect_ipct(NULL, 2, needle, output_options[i], path);
		no_temp_file(path);
	}
}

static void test_output_symlink_of_nobody_refused(void **state UNUSED)
{
	char secret[128], link[128];

	NEED_ROOT();
	put_file(AT(secret, "secret"), SECRET, 0600);
	as_nobody("ln -s secret", AT(link, "link"));
	refused_as_every_output(link, "it is a symbolic link (ipctrace never writes through one)");
	file_is(secret, SECRET, 0, 0600);
}

static void test_output_file_of_nobody_refused(void **state UNUSED)
{
	char file[128];

	NEED_ROOT();
	as_nobody("echo notes of nobody >", AT(file, "notes"));
	refused_as_every_output(file, "the file belongs to another user");
	file_is(file, "notes of nobody\n", NOBODY, 0644);
}

/* Opening a FIFO to write would block until a reader came: it is never opened. */
static void test_output_fifo_refused_without_blocking(void **state UNUSED)
{
	char fifo[128];
	struct stat st;

	NEED_ROOT();
	as_nobody("mkfifo", AT(fifo, "fifo"));
	refused_as_every_output(fifo, "it is neither a regular file nor a device of root's");
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode) && st.st_uid == NOBODY);
}

/* DIR/x.json is refused by every output option, for @reason about DIR. */
static void refused_in_dir(const char *dir, const char *reason)
{
	char file[160], why[256];

	snprintf(file, sizeof(file), "%s/x.json", dir);
	snprintf(why, sizeof(why), "%s: %s", dir, reason);
	refused_as_every_output(file, why);
}

static void test_output_dir_of_nobody_refused(void **state UNUSED)
{
	char dir[128];

	NEED_ROOT();
	as_nobody("mkdir", AT(dir, "nobodydir"));
	refused_in_dir(dir, "the directory belongs to uid 65534, not to root or you");
	assert_int_equal(dir_entries(dir), 0);
}

/* nobody's link to a directory of root's: a link on the way that is not trusted */
static void test_output_dir_symlink_of_nobody_refused(void **state UNUSED)
{
	char dir[128], link[128];

	NEED_ROOT();
	assert_int_equal(mkdir(AT(dir, "rootdir"), 0755), 0);
	as_nobody("ln -s rootdir", AT(link, "linkdir"));
	refused_in_dir(link, "a symbolic link on the way belongs to uid 65534");
	assert_int_equal(dir_entries(dir), 0);
}

/* A run refused (a --size no TMPDIR holds) leaves the old output as it was. */
static void test_failed_run_keeps_old_output(void **state UNUSED)
{
	char file[128];

	NEED_ROOT();
	put_file(AT(file, "a.json"), "old report\n", 0640);
	expect_ipct(NULL, 2, "--size 109951162777600 needs", "run read-write --size 100T -o %s", file);
	file_is(file, "old report\n", 0, 0640);
	no_temp_file(file);
}

/* The new report replaces the whole of a longer old one; the file keeps its mode. */
static void test_run_replaces_output_keeping_mode(void **state UNUSED)
{
	char file[128], old[65536];
	struct json_object *o;
	struct stat st;
	char *now;

	NEED_BPF();
	memset(old, 'x', sizeof(old) - 1);
	old[sizeof(old) - 1] = 0;
	put_file(AT(file, "a.txt"), old, 0640);
	expect_ipct(NULL, 0, "", PIPE_RUN " -o %s", file);
	now = slurp(file);
	assert_non_null(now);
	assert_non_null(strstr(now, "pipe")); /* a text report, shorter than the old file */
	assert_true(strlen(now) < sizeof(old) - 1 && !strstr(now, "xxxxxxxx"));
	free(now);
	assert_int_equal(stat(file, &st), 0);
	assert_true((st.st_mode & 07777) == 0640 && st.st_uid == 0);
	no_temp_file(file);
	/* JSON too: the file parses whole */
	expect_ipct(NULL, 0, "", PIPE_RUN " --json -o %s", file);
	o = load_kept("report", file);
	assert_non_null(o);
	json_object_put(o);
	no_temp_file(file);
}

/* One file named twice, by two spellings and through a link of root's. */
static void test_same_output_twice_refused(void **state UNUSED)
{
	char x[128], alias[128];

	NEED_ROOT();
	assert_int_equal(symlink(".", AT(alias, "alias")), 0);
	AT(x, "x");
	expect_ipct(NULL, 2, "name the same file; give each output its own",
		    PIPE_RUN " -o %s --svg %s/./x", x, scratch);
	expect_ipct(NULL, 2, "name the same file; give each output its own",
		    "verify pipe.fds -o %s --html %s/x", x, alias);
	assert_int_equal(access(x, F_OK), -1);
	no_temp_file(x);
}

/* ---- write errors --------------------------------------------------------- */

static void test_output_to_dev_full_fails(void **state UNUSED)
{
	NEED_BPF();
	expect_ipct(NULL, 1, "ipctrace run: writing /dev/full: No space left on device",
		    PIPE_RUN " -o /dev/full");
}

/* A 16 KiB tmpfs cannot hold the JSON report (some 70 KiB): no file, no temporary file. */
static void test_output_on_full_tmpfs_leaves_nothing(void **state UNUSED)
{
	char dir[128], needle[256], *out;
	int rc;

	NEED_BPF();
	assert_int_equal(mkdir(AT(dir, "small"), 0700), 0);
	snprintf(needle, sizeof(needle), "ipctrace run: writing %s/r.json: No space left on device",
		 dir);
	/* the mount is private: what is left in it is listed inside */
	out = shell(&rc, "unshare -m sh -c 'mount -t tmpfs -o size=16k none %s && "
			 "%s " PIPE_RUN " --json -o %s/r.json 2>&1; rc=$?; "
			 "echo \"left: [$(ls -A %s)]\"; exit $rc'",
		    dir, ipctrace_bin(), dir, dir);
	if (rc != 1 || !strstr(out, needle) || !strstr(out, "left: []"))
		fail_msg("exit %d (expected 1), expected '%s' and nothing left:\n%s", rc, needle, out);
	free(out);
}

static void test_stdout_write_errors_fail(void **state UNUSED)
{
	NEED_BPF();
	expect_ipct(NULL, 1, "ipctrace run: writing to standard output: Bad file descriptor",
		    PIPE_RUN " >&-");
	expect_ipct(NULL, 1, "ipctrace run: writing to standard output: No space left on device",
		    PIPE_RUN " >/dev/full");
}

/* A device of root's is written in place, and stays the device. */
static void test_output_to_dev_null_works(void **state UNUSED)
{
	struct stat st;

	NEED_BPF();
	expect_ipct(NULL, 0, "", PIPE_RUN " -o /dev/null");
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3));
}

/* ---- SIGKILL of ipctrace -------------------------------------------------- */

/* Of the run of ipctrace @pid with TMPDIR @t: directories, its shm object, processes. */
static int run_leftovers(const char *t, pid_t pid, bool print)
{
	return matches(print, "%s/ipctrace.*", t) + matches(print, "/dev/shm/ipctrace-%d-*", pid) +
	       processes_with_env(t);
}

/*
 * ipctrace run @scenario --size 256M with a TMPDIR of its own, SIGKILLed
 * once the run's directory holds @file, or (NULL) once its POSIX shm object
 * exists; within 2 s its guard has removed them, and no process of the run
 * is left (workers die with ipctrace: PR_SET_PDEATHSIG).
 */
static void sigkill_mid_run(const char *scenario, const char *file)
{
	char t[128];
	int status, ms;
	pid_t pid;

	make_tmpdir(t, sizeof(t), 0700, 0);
	child = pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		setenv("TMPDIR", t, 1); /* only here: processes_with_env() finds the run's */
		dup2(null, 1);
		dup2(null, 2);
		execl(ipctrace_bin(), "ipctrace", "run", scenario, "--size", "256M", (char *)NULL);
		_exit(127);
	}
	for (ms = 0; ms < 10000; ms += 5) {
		if (file ? matches(false, "%s/ipctrace.*/%s", t, file)
			 : matches(false, "%s/ipctrace.*", t) &&
				   matches(false, "/dev/shm/ipctrace-%d-*", pid))
			break;
		sleep_ms(5);
	}
	if (ms >= 10000)
		fail_msg("%s: the run made no %s within 10 s", scenario, file ? file : "shm object");
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	child = 0;
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	for (ms = 0; ms < 2000 && run_leftovers(t, pid, false); ms += 20)
		sleep_ms(20);
	if (run_leftovers(t, pid, true))
		fail_msg("%s: 2 s after SIGKILL the run left the above and %d processes", scenario,
			 processes_with_env(t));
	printf("%s: nothing of the run left %d ms after SIGKILL\n", scenario, ms);
}

static void test_sigkill_posix_shm_run_leaves_nothing(void **state UNUSED)
{
	NEED_BPF();
	sigkill_mid_run("posix-shm", NULL);
}

static void test_sigkill_sendfile_run_leaves_nothing(void **state UNUSED)
{
	NEED_BPF();
	sigkill_mid_run("sendfile", "source.dat");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, make_scratch, remove_scratch)
	const struct CMUnitTest tests[] = {
		T(test_tmpdir_of_nobody_refused),
		T(test_tmpdir_writable_without_sticky_refused),
		T(test_tmpdir_symlink_refused),
		T(test_sticky_tmpdir_accepted),
		T(test_tmpdir_swap_attack_refused),
		T(test_output_symlink_of_nobody_refused),
		T(test_output_file_of_nobody_refused),
		T(test_output_fifo_refused_without_blocking),
		T(test_output_dir_of_nobody_refused),
		T(test_output_dir_symlink_of_nobody_refused),
		T(test_failed_run_keeps_old_output),
		T(test_run_replaces_output_keeping_mode),
		T(test_same_output_twice_refused),
		T(test_output_to_dev_full_fails),
		T(test_output_on_full_tmpfs_leaves_nothing),
		T(test_stdout_write_errors_fail),
		T(test_output_to_dev_null_works),
		T(test_sigkill_posix_shm_run_leaves_nothing),
		T(test_sigkill_sendfile_run_leaves_nothing),
	};

	unsetenv("SUDO_UID"); /* the only trusted user: root, the caller */
	umask(022);           /* the modes of what the test and nobody make */
	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
