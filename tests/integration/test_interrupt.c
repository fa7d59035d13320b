// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Interruption at many points of a run: SIGINT, SIGTERM and SIGHUP sent to
 * ipctrace, and SIGKILL to a workload process, at named points of `ipctrace
 * run` (several scenarios: pipe, FIFO, file, POSIX shm, TCP socket) and of
 * `ipctrace trace -- CMD`. The points are reached exactly through the
 * test-only IPCTRACE_TEST_PAUSE hook (scenarios/testpoint.h); "during the load"
 * is also tried without a pause, the signal sent as the load begins.
 *
 * After each: the documented exit code, a message on stderr, and nothing
 * left: no program of that run in the kernel, no process, nothing in its
 * TMPDIR, no POSIX shm object of its ipctrace in /dev/shm.
 *
 * `make test` tries each point once (signals and scenarios taken in turn);
 * IPCT_HARD=1 (`make check-hard`) tries every point with every signal on
 * every scenario.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include "compiler.h"
#include "harness.h"

enum outcome {
	BEFORE,   /* nothing loaded yet or unloaded: no report, "nothing to report" */
	CUT,      /* a partial report, "run cut short" */
	LATE,     /* the whole report, then the exit code says the signal */
	WORKER,   /* SIGKILL of a worker: a partial report, exit 1 */
	LOAD_RACE /* a signal as the load starts: BEFORE, or CUT if the load won */
};

struct point {
	const char *name;
	enum outcome on_signal;
};

static const struct point run_points[] = {
	{ "start", BEFORE }, { "tmpdir", BEFORE }, { "load", BEFORE },
	{ "attach", BEFORE }, { "run", CUT },     { "setup", CUT },
	{ "transfer", CUT }, { "teardown", CUT }, { "collect", CUT },
	{ "report", LATE },
};
static const char *const worker_points[] = { "setup", "transfer", "teardown" };
static const char *const scenarios_tried[] = {
	"pipe --size 1M",       /* a pipe */
	"fifo --size 1M",       /* a FIFO in the run's directory, an exec'd reader */
	"mmap-share --size 1M", /* a file in the run's directory, shared mappings */
	"posix-shm --size 1M",  /* an object in /dev/shm */
	"sendfile --to tcp --size 1M", /* a file and a TCP connection */
};
static const int signals_tried[] = { SIGINT, SIGTERM, SIGHUP };

/* trace -- CMD: the command runs 1 s unless stopped */
static const struct point trace_points[] = {
	{ "start", BEFORE }, { "load", BEFORE },   { "attach", BEFORE }, { "command", BEFORE },
	{ "wait", CUT },     { "collect", LATE },  { "report", LATE },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int tried;   /* interruption points tried, for the README */
static bool hard;   /* every combination, not each point once */

struct result {
	int rc;
	char err[8192]; /* stderr, test markers included */
	char *out;      /* stdout */
};

/* Read @fd into r->err until @marker has been seen (NULL: until EOF); false on timeout. */
static bool read_until(int fd, struct result *r, size_t *len, const char *marker, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (!(marker && strstr(r->err, marker))) {
		ssize_t n;

		if (poll(&p, 1, ms) <= 0)
			return false;
		n = read(fd, r->err + *len, sizeof(r->err) - 1 - *len);
		if (n <= 0)
			return marker == NULL;
		*len += n;
		r->err[*len] = 0;
	}
	return true;
}

/* The pid on the line of @err that holds @marker: "ipctrace-test: at POINT (pid N)..." */
static pid_t marker_pid(const char *err, const char *marker)
{
	const char *m = strstr(err, marker), *line = m;
	int pid = 0;

	while (line && line > err && line[-1] != '\n')
		line--;
	if (line && (line = strstr(line, "(pid ")))
		sscanf(line, "(pid %d)", &pid);
	return pid;
}

/* A child of @pid (the command ipctrace trace started). */
static pid_t child_of(pid_t pid)
{
	char path[64];
	int child = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%d", &child) != 1)
			child = 0;
		fclose(f);
	}
	return child;
}

/* POSIX shm objects of ipctrace @pid ("/ipctrace-PID-RANDOM") in /dev/shm */
static int shm_objects_of(pid_t pid)
{
	char prefix[64];
	struct dirent *e;
	DIR *d = opendir("/dev/shm");
	int n = 0;

	snprintf(prefix, sizeof(prefix), "ipctrace-%d-", pid);
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix))) {
			printf("left behind: /dev/shm/%s\n", e->d_name);
			n++;
		}
	if (d)
		closedir(d);
	return n;
}

struct attempt {
	const char *args;   /* "run ..." or "trace ..." */
	const char *pause;  /* IPCTRACE_TEST_PAUSE */
	const char *marker; /* what to wait for on stderr */
	int sig;
	bool kill_marked;   /* SIGKILL the process that printed the marker */
	bool kill_command;  /* SIGKILL ipctrace's child (trace's command) */
};

/*
 * Run ipctrace with its own TMPDIR, wait for the marker, do the attempt's
 * act, and check that nothing of the run is left.
 */
static void attempt(const struct attempt *a, struct result *r)
{
	char tmpdir[] = "/tmp/ipctrace-intr.XXXXXX", cmd[600];
	int errp[2], out = memfd_create("report", 0), st, ids[64], nids;
	size_t len = 0;
	off_t olen;
	pid_t pid, target;

	assert_non_null(mkdtemp(tmpdir));
	assert_int_equal(pipe2(errp, O_CLOEXEC), 0);
	snprintf(cmd, sizeof(cmd), "exec %s %s", ipctrace_bin(), a->args);
	pid = fork();
	assert_true(pid >= 0 && out >= 0);
	if (pid == 0) {
		setenv("TMPDIR", tmpdir, 1);
		setenv("IPCTRACE_TEST_PAUSE", a->pause, 1);
		dup2(out, 1);
		dup2(errp[1], 2);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(errp[1]);
	memset(r, 0, sizeof(*r));
	if (!read_until(errp[0], r, &len, a->marker, 15000)) {
		kill(pid, SIGKILL);
		fail_msg("ipctrace %s: no '%s' within 15 s; stderr: %s", a->args, a->marker, r->err);
	}
	nids = prog_ids_of(pid, ids, 64); /* what this run has loaded so far */
	target = a->kill_marked ? marker_pid(r->err, a->marker) : a->kill_command ? child_of(pid) : pid;
	assert_true(target > 0);
	kill(target, a->sig);
	read_until(errp[0], r, &len, NULL, 20000);
	close(errp[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	r->rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	olen = lseek(out, 0, SEEK_END);
	r->out = calloc(1, olen + 1);
	assert_int_equal(pread(out, r->out, olen, 0), olen);
	close(out);
	tried++;
	/* nothing left: processes first (a live one would hold the rest) */
	if (processes_with_env(tmpdir) || dir_entries(tmpdir) || shm_objects_of(pid) ||
	    programs_left(ids, nids))
		fail_msg("ipctrace %s, %s at %s: left something behind (above); stderr: %s",
			 a->args, strsignal(a->sig), a->pause, r->err);
	rmdir(tmpdir);
}

#define expect(cond, a, r)                                                               \
	do {                                                                             \
		if (!(cond))                                                             \
			fail_msg("ipctrace %s, %s at %s: exit %d, expected %s; stderr: %s", \
				 (a)->args, strsignal((a)->sig), (a)->pause, (r)->rc, #cond, \
				 (r)->err);                                              \
	} while (0)

/* The JSON report of a run on stdout, its run.complete, and run.error ("" if none). */
static bool report_complete(const struct result *r, char *error, size_t len)
{
	struct json_object *o = parse_kept("report", r->out), *e;
	bool complete;

	if (!o)
		fail_msg("no JSON report: '%.200s'; stderr: %s", r->out, r->err);
	complete = json_object_get_boolean(jget(o, "run.complete"));
	e = json_object_object_get(jget(o, "run"), "error");
	snprintf(error, len, "%s", e ? json_object_get_string(e) : "");
	json_object_put(o);
	return complete;
}

static void check_signalled(const struct attempt *a, const struct result *r, enum outcome want)
{
	char needle[64], error[256];

	snprintf(needle, sizeof(needle), "interrupted by signal %d (%s)", a->sig, strsignal(a->sig));
	expect(r->rc == 128 + a->sig, a, r);
	if (want == LOAD_RACE)
		want = strstr(r->err, "nothing to report") ? BEFORE : CUT;
	switch (want) {
	case BEFORE:
		expect(strstr(r->err, needle) && strstr(r->err, "nothing to report"), a, r);
		expect(r->out[0] == 0, a, r);
		break;
	case CUT:
		expect(strstr(r->err, "run cut short") && strstr(r->err, needle), a, r);
		expect(!report_complete(r, error, sizeof(error)) && strstr(error, needle), a, r);
		break;
	case LATE:
		expect(strstr(r->err, needle) && strstr(r->err, "while writing the report"), a, r);
		expect(report_complete(r, error, sizeof(error)), a, r);
		break;
	default:
		fail();
	}
}

/* ipctrace run SCENARIO, @sig at @pause ("none": as the load starts, no pause) */
static void run_at(const char *scenario, const char *pause, int sig)
{
	char args[256];
	struct result r;
	bool raced = !strcmp(pause, "none");
	struct attempt a = { .args = args, .pause = pause,
			     .marker = raced ? "at load (pid" : "waiting for a signal", .sig = sig };

	snprintf(args, sizeof(args), "run %s --json", scenario);
	attempt(&a, &r);
	for (size_t i = 0; i < N(run_points); i++)
		if (!strcmp(run_points[i].name, pause))
			check_signalled(&a, &r, run_points[i].on_signal);
	if (raced)
		check_signalled(&a, &r, LOAD_RACE);
	free(r.out);
}

static void kill_worker_at(const char *scenario, const char *pause)
{
	char args[256], error[256];
	struct result r;
	struct attempt a = { args, pause, "waiting for a signal", SIGKILL, .kill_marked = true };

	snprintf(args, sizeof(args), "run %s --json", scenario);
	attempt(&a, &r);
	/*
	 * The message names the first worker ipctrace sees end badly: the one
	 * killed, or a peer that died of it first (SIGPIPE when its reader went).
	 */
	expect(r.rc == 1, &a, &r);
	expect(strstr(r.err, "run cut short") && strstr(r.err, "was killed by signal"), &a, &r);
	expect(!report_complete(&r, error, sizeof(error)) && strstr(error, "killed by signal"),
	       &a, &r);
	free(r.out);
}

/* Every signal on every scenario, or (make test) each point once, taking them in turn. */
static bool chosen(size_t scenario, size_t point, size_t signal)
{
	return hard || (scenario == point % N(scenarios_tried) && signal == point % N(signals_tried));
}

static void test_run_interrupted(void **state UNUSED)
{
	NEED_BPF();
	for (size_t s = 0; s < N(scenarios_tried); s++)
		for (size_t p = 0; p < N(run_points); p++)
			for (size_t g = 0; g < N(signals_tried); g++)
				if (chosen(s, p, g))
					run_at(scenarios_tried[s], run_points[p].name,
					       signals_tried[g]);
	printf("%d interruptions tried so far\n", tried);
}

static void test_run_load_raced(void **state UNUSED)
{
	NEED_BPF();
	for (size_t s = 0; s < N(scenarios_tried); s++)
		for (size_t g = 0; g < N(signals_tried); g++)
			if (chosen(s, g, g))
				run_at(scenarios_tried[s], "none", signals_tried[g]);
	printf("%d interruptions tried so far\n", tried);
}

static void test_worker_killed(void **state UNUSED)
{
	NEED_BPF();
	for (size_t s = 0; s < N(scenarios_tried); s++)
		for (size_t p = 0; p < N(worker_points); p++)
			if (chosen(s, p, p))
				kill_worker_at(scenarios_tried[s], worker_points[p]);
	printf("%d interruptions tried so far\n", tried);
}

static void trace_at(const char *pause, int sig, bool kill_command)
{
	char args[256], out[64], error[256], needle[64];
	struct result r;
	struct attempt a = { args, pause, "waiting for a signal", sig, .kill_command = kill_command };
	enum outcome want = BEFORE;

	snprintf(out, sizeof(out), "/tmp/ipctrace-intr-report.%d.json", (int)getpid());
	snprintf(args, sizeof(args), "trace --json -o %s -- sleep 1", out);
	if (!strcmp(pause, "none"))
		a.marker = "at load (pid";
	for (size_t i = 0; i < N(trace_points); i++)
		if (!strcmp(trace_points[i].name, pause))
			want = trace_points[i].on_signal;
	attempt(&a, &r);
	free(r.out);
	r.out = NULL;
	if (!access(out, F_OK)) { /* the report, when there is one */
		FILE *f = fopen(out, "re");
		size_t n;

		r.out = calloc(1, 1 << 20);
		n = fread(r.out, 1, (1 << 20) - 1, f);
		r.out[n] = 0;
		fclose(f);
		unlink(out);
	}
	snprintf(needle, sizeof(needle), "signal %d (%s)", sig, strsignal(sig));
	expect(r.rc == 128 + sig, &a, &r);
	if (want == BEFORE && strcmp(pause, "none"))
		expect(strstr(r.err, "nothing to report") && strstr(r.err, needle) && !r.out, &a, &r);
	else if (want == CUT) /* the command got the signal (passed on) or SIGKILL */
		expect(strstr(r.err, "the command was killed by") && strstr(r.err, needle) &&
		       r.out && !report_complete(&r, error, sizeof(error)), &a, &r);
	else if (want == LATE)
		expect(strstr(r.err, "after sleep ended") && strstr(r.err, needle) && r.out &&
		       report_complete(&r, error, sizeof(error)), &a, &r);
	else /* during the load: before the command, or it got the signal */
		expect(strstr(r.err, needle), &a, &r);
	free(r.out);
}

static void test_trace_interrupted(void **state UNUSED)
{
	NEED_BPF();
	for (size_t p = 0; p < N(trace_points); p++)
		for (size_t g = 0; g < N(signals_tried); g++)
			if (hard || g == p % N(signals_tried))
				trace_at(trace_points[p].name, signals_tried[g], false);
	for (size_t g = 0; g < N(signals_tried); g++)
		if (hard || g == 0)
			trace_at("none", signals_tried[g], false);
	trace_at("wait", SIGKILL, true);
	printf("%d interruptions tried in all\n", tried);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_interrupted),
		cmocka_unit_test(test_run_load_raced),
		cmocka_unit_test(test_worker_killed),
		cmocka_unit_test(test_trace_interrupted),
	};

	hard = getenv("IPCT_HARD") && !strcmp(getenv("IPCT_HARD"), "1");
	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
