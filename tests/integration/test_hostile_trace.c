// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace trace run as root on a machine it shares with hostile users
 * (issue 16): the command run as another user cannot reach root's
 * terminal, sudo's variables are never read as "root", the command gets
 * no capabilities and no loader variables, -p obeys the ptrace rule, a
 * zombie ends (or is refused), and the command dies with ipctrace.
 * The hostile side is user nobody. This binary is also the hostile
 * command itself: `test_hostile_trace tty-attack|session`.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include "compiler.h"
#include "harness.h"

#define NOBODY "setpriv --reuid=nobody --regid=nogroup --clear-groups "
#define BPF_CAPS "--inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon "
#define OUTER "/tmp/ipctrace-hostile-outer.py"

static char self[4096];      /* this binary, for the command's side */
static const char *nobody_skip; /* why nobody cannot trace here, or NULL */

/* The command's side: what a hostile program on the terminal would try. */
static void print_size(void)
{
	struct winsize ws = {};

	ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
	printf("SIZE %d %d\n", ws.ws_row, ws.ws_col);
}

/* Push @s into the input of the terminal @fd; "ok" or why not. */
static const char *inject(int fd, const char *s)
{
	for (; *s; s++)
		if (ioctl(fd, TIOCSTI, s))
			return strerror(errno);
	return "ok";
}

static int tty_attack(void)
{
	char line[256] = "";
	int tty;

	setvbuf(stdout, NULL, _IONBF, 0);
	print_size();
	printf("READY\n");
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	printf("GOT:%s", line);
	print_size();
	printf("STI fd0 %s\n", inject(STDIN_FILENO, "INJECTED\n"));
	tty = open("/dev/tty", O_RDWR);
	printf("STI tty %s\n", tty < 0 ? strerror(errno) : inject(tty, "VIATTY\n"));
	return 0;
}

static int session(void)
{
	int tty = open("/dev/tty", O_RDWR);

	printf("leader %d stdin-tty %d /dev/tty %s\n", getsid(0) == getpid(), isatty(STDIN_FILENO),
	       tty < 0 ? strerror(errno) : "opened");
	return 0;
}

/*
 * The outer terminal: python's pty runs `bash -c SCRIPT` on it (30x100).
 * On "READY" from the command, ACTION: "type" resizes it to 50x150 and
 * types "hello"; "kill:N" sends signal N to the pid the script printed as
 * "PID:n"; "ctrlc" types Ctrl-C a second later. Everything the terminal
 * showed goes to stdout.
 */
static const char outer_py[] =
	"import os, pty, sys, select, time, fcntl, termios, struct, re\n"
	"pid, fd = pty.fork()\n"
	"if pid == 0:\n"
	"    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 30, 100, 0, 0))\n"
	"    os.execvp('bash', ['bash', '-c', sys.argv[1]])\n"
	"out = b''; done = False; end = time.time() + 60\n"
	"while time.time() < end:\n"
	"    if select.select([fd], [], [], 0.2)[0]:\n"
	"        try: d = os.read(fd, 4096)\n"
	"        except OSError: break\n"
	"        if not d: break\n"
	"        out += d\n"
	"    if not done and b'READY' in out:\n"
	"        done = True\n"
	"        if sys.argv[2] == 'type':\n"
	"            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 150, 0, 0))\n"
	"            time.sleep(0.3)\n"
	"            os.write(fd, b'hello\\n')\n"
	"        elif sys.argv[2] == 'ctrlc':\n"
	"            time.sleep(1)\n"
	"            os.write(fd, b'\\x03')\n"
	"        else:\n"
	"            os.kill(int(re.search(rb'PID:(\\d+)', out).group(1)), int(sys.argv[2][5:]))\n"
	"os.waitpid(pid, 0)\n"
	"sys.stdout.write(out.decode(errors='replace').replace('\\r', ''))\n";

static char *on_terminal(const char *script, const char *action)
{
	char cmd[2048], *q = cmd + snprintf(cmd, sizeof(cmd), "python3 " OUTER " '");
	int rc;

	for (const char *s = script; *s && q < cmd + sizeof(cmd) - 8; s++) /* quote for sh */
		q += *s == '\'' ? sprintf(q, "'\\''") : sprintf(q, "%c", *s);
	snprintf(q, cmd + sizeof(cmd) - q, "' %s", action);
	return run_shell(cmd, &rc);
}

static void expect_in(const char *out, const char *needle)
{
	if (!strstr(out, needle))
		fail_msg("'%s' not in: %s", needle, out);
}

static int setup(void **state)
{
	FILE *f = fopen(OUTER, "w");
	char cmd[512], *out;
	int rc;

	assert_non_null(f);
	fputs(outer_py, f);
	fclose(f);
	require_root_bpf(state);
	if (skip_reason)
		return 0;
	snprintf(cmd, sizeof(cmd), NOBODY BPF_CAPS "%s trace -o /dev/null -- true 2>&1",
		 ipctrace_bin());
	out = run_shell(cmd, &rc);
	if (rc != 0) {
		static char why[512];

		snprintf(why, sizeof(why), "user nobody with CAP_BPF+CAP_PERFMON cannot trace here "
					   "(exit %d): %.400s", rc, out);
		nobody_skip = why;
	}
	free(out);
	return 0;
}

static int teardown(void **state UNUSED)
{
	unlink(OUTER);
	return 0;
}

#define NEED_NOBODY_BPF()                                               \
	do {                                                            \
		NEED_BPF();                                             \
		if (nobody_skip) {                                      \
			printf("skipped: %s\n", nobody_skip);           \
			skip();                                         \
		}                                                       \
	} while (0)

/*
 * 1. The command pushes "INJECTED" into its stdin and /dev/tty; the outer
 * shell reads its next line after ipctrace: it must get nothing. The
 * command still gets what is typed, its output and the window size.
 */
static void test_command_cannot_type_into_roots_terminal(void **state UNUSED)
{
	char script[2 * sizeof(self) + 256], *out;

	NEED_BPF();
	snprintf(script, sizeof(script),
		 "%s trace -o /dev/null -u nobody -- %s tty-attack; echo RC:$?; "
		 "read -t 2 l; echo \"OUTER:[$l]\"; stty -a | grep -o -- \"-*icanon\"",
		 ipctrace_bin(), self);
	out = on_terminal(script, "type");
	printf("%s", out);
	expect_in(out, "SIZE 30 100\nREADY\n");
	expect_in(out, "GOT:hello\nSIZE 50 150\n");
	expect_in(out, "RC:0\n");
	expect_in(out, "OUTER:[]\n");  /* nothing reached root's shell */
	expect_in(out, "\nicanon\n"); /* the terminal is back in canonical mode */
	free(out);
}

/* The terminal comes back when ipctrace ends on a signal, handled or not. */
static void test_terminal_restored_on_signals(void **state UNUSED)
{
	static const int sigs[] = { SIGTERM, SIGUSR1, SIGALRM }; /* bash's & ignores SIGQUIT */
	char script[1024], action[32], rc[16], *out;

	NEED_BPF();
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* a non-interactive bash keeps it in the terminal's group; stdin given back */
		snprintf(script, sizeof(script),
			 "ulimit -c 0; %s trace -o /dev/null -u nobody -- sh -c \"echo READY; "
			 "exec sleep 20\" <$(tty) & echo PID:$!; wait $!; echo RC:$?; "
			 "stty -a | grep -o -- \"-*icanon\"",
			 ipctrace_bin());
		snprintf(action, sizeof(action), "kill:%d", sigs[i]);
		out = on_terminal(script, action);
		printf("signal %d: %s", sigs[i], out);
		snprintf(rc, sizeof(rc), "RC:%d\n", 128 + sigs[i]);
		expect_in(out, rc);
		expect_in(out, "\nicanon\n");
		free(out);
	}
}

/*
 * The command leaves a process that ignores SIGHUP (its session's end) and
 * exits: ipctrace follows that process with the terminal given back, so
 * Ctrl-C typed then ends the trace: a report, exit 130, the process
 * named as still running (and left alive: not ipctrace's to kill).
 */
static void test_ctrl_c_ends_following(void **state UNUSED)
{
	char script[1024], *out, *rep, *p;
	int rc;

	NEED_BPF();
	unlink("/tmp/ipctrace-test-follow.txt");
	snprintf(script, sizeof(script),
		 "%s trace -o /tmp/ipctrace-test-follow.txt -u nobody -- sh -c \"trap '' HUP; "
		 "sleep 30 >/dev/null 2>&1 & echo PID:\\$!; echo READY\"; echo RC:$?; "
		 "stty -a | grep -o -- \"-*icanon\"",
		 ipctrace_bin());
	out = on_terminal(script, "ctrlc");
	printf("%s", out);
	p = strstr(out, "PID:");
	if (p && atoi(p + 4) > 0)
		kill(atoi(p + 4), SIGKILL);
	expect_in(out, "RC:130\n");
	expect_in(out, "\nicanon\n");
	rep = run_shell("cat /tmp/ipctrace-test-follow.txt", &rc);
	unlink("/tmp/ipctrace-test-follow.txt");
	expect_in(rep, " (still running)\n  followed until signal 2 (Interrupt) ended the trace\n");
	expect_in(rep, "RUN CUT SHORT: 1 process the command left was still running");
	free(rep);
	free(out);
}

/* Without a terminal: a session of its own all the same, stdin as given. */
static void test_own_session_without_terminal(void **state UNUSED)
{
	char args[sizeof(self) + 64], *out;
	int rc;

	NEED_BPF();
	snprintf(args, sizeof(args), "trace -o /dev/null -u nobody -- %s session </dev/null", self);
	out = run_cmd(args, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "leader 1 stdin-tty 0 /dev/tty No such device or address\n");
	free(out);
}

/* env @env ipctrace @args, through the shell; stdout and exit code back. */
static char *run_with_env(const char *env, const char *args, int *rc)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "env %s %s %s", env, ipctrace_bin(), args);
	return run_shell(cmd, rc);
}

/* 2. sudo's variables, when they do not make sense: exit 2, nothing run. */
static void test_sudo_variables_checked(void **state UNUSED)
{
	static const struct { const char *env, *why; } bad[] = {
		{ "SUDO_UID=abc SUDO_GID=65534", "SUDO_UID 'abc' is not a user id" },
		{ "SUDO_UID= SUDO_GID=65534", "SUDO_UID '' is not a user id" },
		{ "SUDO_UID=4294967296 SUDO_GID=65534", "is not a user id" },
		{ "SUDO_UID=4294967295 SUDO_GID=65534", "is not a user id" },
		{ "SUDO_UID=65534junk SUDO_GID=65534", "is not a user id" },
		{ "SUDO_UID=65534", "SUDO_UID is set but SUDO_GID is not" },
		{ "SUDO_GID=65534", "SUDO_GID is set but SUDO_UID is not" },
		{ "SUDO_UID=65534 SUDO_GID=0", "SUDO_GID 0 is not the group of nobody" },
		{ "SUDO_UID=65534 SUDO_GID=65534x", "SUDO_GID '65534x' is not a group id" },
		{ "SUDO_UID=4000000000 SUDO_GID=4000000000", "not in the user database" },
		{ "SUDO_UID=65534 SUDO_GID=65534 SUDO_USER=root", "SUDO_USER 'root' is uid 0" },
	};
	char *out;
	int rc;

	NEED_BPF();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		out = run_with_env(bad[i].env, "trace -o /dev/null -- echo ran 2>&1", &rc);
		if (rc != 2 || !strstr(out, bad[i].why) || !strstr(out, "not running the command") ||
		    strstr(out, "ran\n"))
			fail_msg("%s: exit %d, '%s' (expected exit 2 and '%s')", bad[i].env, rc, out,
				 bad[i].why);
		free(out);
	}
	/* consistent: that user, with the group list of the user database */
	out = run_with_env("SUDO_UID=65534 SUDO_GID=65534 SUDO_USER=nobody",
			   "trace -o /dev/null -- id 2>/dev/null", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n");
	free(out);
}

/* "never silently as root" */
static void test_root_is_said(void **state UNUSED)
{
	char *out;
	int rc;

	NEED_BPF();
	out = run_cmd("trace -o /dev/null -- true 2>&1", &rc);
	assert_int_equal(rc, 0);
	expect_in(out, "running true as root");
	free(out);
	out = run_cmd("trace -o /dev/null -u nobody -- true 2>&1", &rc);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "as root"));
	free(out);
}

/* The capability sets of the command (its /proc/self/status) run by `@prefix ipctrace trace @opts`. */
static void expect_no_caps(const char *prefix, const char *opts)
{
	char cmd[512], *out;
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "%s%s trace -o /dev/null %s -- grep -E \"^Cap(Inh|Prm|Eff|Amb)\" /proc/self/status",
		 prefix, ipctrace_bin(), opts);
	out = run_shell(cmd, &rc);
	if (rc != 0 || strcmp(out, "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
				   "CapEff:\t0000000000000000\nCapAmb:\t0000000000000000\n"))
		fail_msg("%s: exit %d, %s", cmd, rc, out);
	free(out);
}

static void test_command_gets_no_capabilities(void **state UNUSED)
{
	NEED_NOBODY_BPF();
	/* ipctrace's ambient CAP_BPF and CAP_PERFMON would pass to the command */
	expect_no_caps(NOBODY BPF_CAPS, "");
	expect_no_caps("", "-u nobody");
}

/* As another user: no loader variables, that user's HOME, USER, LOGNAME and SHELL. */
static void test_environment_of_the_user(void **state UNUSED)
{
	struct passwd *pw = getpwnam("nobody");
	char want[512], *out;
	int rc;

	NEED_BPF();
	assert_non_null(pw);
	out = run_with_env("LD_PRELOAD=/nonexistent/p.so LD_LIBRARY_PATH=/nonexistent "
			   "LD_AUDIT=/nonexistent/a.so GCONV_PATH=/nonexistent HOME=/root USER=root "
			   "LOGNAME=root SHELL=/bin/bash IPCT_KEPT=1",
			   "trace -o /dev/null -u nobody -- env 2>/dev/null | "
			   "grep -E '^(LD_|GCONV|HOME|USER|LOGNAME|SHELL|IPCT_)' | sort", &rc);
	snprintf(want, sizeof(want), "HOME=%s\nIPCT_KEPT=1\nLOGNAME=nobody\nSHELL=%s\nUSER=nobody\n",
		 pw->pw_dir, pw->pw_shell);
	assert_string_equal(out, want);
	free(out);
}

/* A process that waits for @gate to close, as @uid (0: root), dumpable or not. */
static pid_t spawn_target(uid_t uid, bool dumpable, int gate[2])
{
	int ready[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe2(gate, O_CLOEXEC), 0); /* not held by later children */
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	pid = fork();
	if (pid == 0) {
		close(gate[1]);
		close(ready[0]);
		if ((uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))) ||
		    prctl(PR_SET_DUMPABLE, dumpable))
			_exit(1);
		close(ready[1]); /* its ids and dumpable flag are set: it may be watched now */
		if (read(gate[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(gate[0]);
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 0); /* EOF: the child is ready (or gone) */
	close(ready[0]);
	return pid;
}

/* `sh -c CMD` with its stderr read here until @marker or EOF; its pid. */
static pid_t spawn_shell(const char *cmd, FILE **err)
{
	int fds[2];
	pid_t pid;

	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	*err = fdopen(fds[0], "r");
	return pid;
}

static int exit_code(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The exit code of spawn_shell()'s @sh, its stderr read to the end (shown) first. */
static int shell_end(pid_t sh, FILE *err)
{
	char line[256];

	while (fgets(line, sizeof(line), err))
		printf("stderr: %s", line);
	fclose(err);
	return exit_code(sh);
}

/* ipctrace trace -p PID run by nobody with CAP_BPF+CAP_PERFMON, bounded; stderr in @err. */
static int nobody_watches(pid_t pid, char *err, size_t len)
{
	char cmd[512];
	FILE *f;
	pid_t sh;
	size_t n;

	snprintf(cmd, sizeof(cmd), "timeout -s INT 20 " NOBODY BPF_CAPS "%s trace -o /dev/null -p %d",
		 ipctrace_bin(), (int)pid);
	sh = spawn_shell(cmd, &f);
	n = fread(err, 1, len - 1, f);
	err[n] = 0;
	fclose(f);
	return exit_code(sh);
}

/* 3. -p: the ptrace rule, not CAP_BPF's "everything". */
static void test_watch_needs_ptrace_rights(void **state UNUSED)
{
	static const struct { uid_t uid; bool dumpable; const char *why; } refused[] = {
		{ 0, true, "runs as another user or group (uid 0" },
		{ 65534, false, "is not dumpable" },
	};
	char err[1024], line[256], cmd[512];
	int gate[2], rc;
	pid_t pid, sh;
	FILE *f;

	NEED_NOBODY_BPF();
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		pid = spawn_target(refused[i].uid, refused[i].dumpable, gate);
		rc = nobody_watches(pid, err, sizeof(err));
		close(gate[1]);
		assert_int_equal(exit_code(pid), 0);
		if (rc != 2 || !strstr(err, refused[i].why) || !strstr(err, "CAP_SYS_PTRACE"))
			fail_msg("-p of uid %d: exit %d, '%s'", (int)refused[i].uid, rc, err);
	}
	/* its own user's process: traced until it ends */
	pid = spawn_target(65534, true, gate);
	snprintf(cmd, sizeof(cmd), "timeout -s INT 20 " NOBODY BPF_CAPS "%s trace -o /dev/null -p %d",
		 ipctrace_bin(), (int)pid);
	sh = spawn_shell(cmd, &f);
	if (!fgets(line, sizeof(line), f) || !strstr(line, "tracing 1 process"))
		fail_msg("-p of its own process: '%s'", line);
	close(gate[1]);
	assert_int_equal(exit_code(pid), 0);
	assert_int_equal(shell_end(sh, f), 0);
}

/* 4. A zombie has exited: refused as not running, and a process that becomes one ends the trace. */
static void test_zombie(void **state UNUSED)
{
	char cmd[512], line[256];
	siginfo_t si;
	int gate[2], rc;
	pid_t pid, sh;
	FILE *f;
	char *out;

	NEED_BPF();
	pid = spawn_target(0, true, gate);
	close(gate[1]);
	assert_int_equal(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0); /* a zombie, not reaped */
	snprintf(cmd, sizeof(cmd), "timeout -s KILL 20 %s trace -o /dev/null -p %d 2>&1",
		 ipctrace_bin(), (int)pid);
	out = run_shell(cmd, &rc);
	assert_int_equal(exit_code(pid), 0);
	if (rc != 2 || !strstr(out, "not running: it has exited"))
		fail_msg("-p of a zombie: exit %d, '%s'", rc, out);
	free(out);
	/* it becomes one while traced (this process does not reap it) */
	pid = spawn_target(0, true, gate);
	snprintf(cmd, sizeof(cmd), "timeout -s KILL 20 %s trace -o /dev/null -p %d", ipctrace_bin(),
		 (int)pid);
	sh = spawn_shell(cmd, &f);
	if (!fgets(line, sizeof(line), f) || !strstr(line, "tracing 1 process"))
		fail_msg("-p: '%s'", line);
	close(gate[1]);
	rc = shell_end(sh, f);
	assert_int_equal(exit_code(pid), 0);
	assert_int_equal(rc, 0); /* not 137: timeout's SIGKILL */
}

/* Gone, or a zombie whose parent (now init) has not collected it yet. */
static bool process_gone(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return true;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && (p[2] == 'Z' || p[2] == 'X');
}

/* 5. ipctrace SIGKILLed: its command dies too, within a second. */
static void test_command_dies_with_ipctrace(void **state UNUSED)
{
	static const char *const users[] = { "-u nobody", "" };
	char pidfile[64], cmd[512];
	FILE *f;
	pid_t tr, pid = 0;

	NEED_BPF();
	snprintf(pidfile, sizeof(pidfile), "/tmp/ipctrace-hostile-pid.%d", (int)getpid());
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		unlink(pidfile);
		snprintf(cmd, sizeof(cmd), "exec %s trace -o /dev/null %s -- sh -c 'echo $$ >%s.new && "
					   "mv %s.new %s; exec sleep 30' 2>/dev/null </dev/null",
			 ipctrace_bin(), users[i], pidfile, pidfile, pidfile);
		tr = fork();
		if (tr == 0) {
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		for (int t = 0; t < 400 && !(f = fopen(pidfile, "re")); t++)
			sleep_ms(50);
		assert_non_null(f);
		assert_int_equal(fscanf(f, "%d", &pid), 1);
		fclose(f);
		unlink(pidfile);
		kill(tr, SIGKILL);
		assert_int_equal(exit_code(tr), 128 + SIGKILL);
		for (int t = 0; t < 20 && !process_gone(pid); t++)
			sleep_ms(50);
		if (!process_gone(pid)) {
			kill(pid, SIGKILL);
			fail_msg("trace %s: the command (pid %d) outlived ipctrace", users[i], (int)pid);
		}
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command_cannot_type_into_roots_terminal),
		cmocka_unit_test(test_terminal_restored_on_signals),
		cmocka_unit_test(test_ctrl_c_ends_following),
		cmocka_unit_test(test_own_session_without_terminal),
		cmocka_unit_test(test_sudo_variables_checked),
		cmocka_unit_test(test_root_is_said),
		cmocka_unit_test(test_command_gets_no_capabilities),
		cmocka_unit_test(test_environment_of_the_user),
		cmocka_unit_test(test_watch_needs_ptrace_rights),
		cmocka_unit_test(test_zombie),
		cmocka_unit_test(test_command_dies_with_ipctrace),
	};

	if (argc > 1 && !strcmp(argv[1], "tty-attack"))
		return tty_attack();
	if (argc > 1 && !strcmp(argv[1], "session"))
		return session();
	if (!realpath("/proc/self/exe", self))
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
