// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace trace: the same figures as `ipctrace run`, for any program.
 *
 *   ipctrace trace [-u USER] [--interval S] [--json] [-o FILE] -- CMD [ARGS...]
 *   ipctrace trace -p PID[,PID...] [--interval S] [--json] [-o FILE]
 *
 * CMD starts after the programs are attached, as the invoking user (sudo's
 * SUDO_UID) or -u USER (user/identity.c), with ipctrace's stdin, stdout and
 * stderr; as another user, in a session and on a pty of its own
 * (user/ptyrelay.c). Its exit status becomes ours; it dies with ipctrace.
 * The report goes to stderr or -o FILE.
 */
#include <argp.h>
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "bpflog.h"
#include "cli.h"
#include "assemble.h"
#include "compiler.h"
#include "follow.h"
#include "identity.h"
#include "ledger.h"
#include "parse.h"
#include "probe.h"
#include "ptyrelay.h"
#include "report.h"
#include "report_text.h"
#include "run.h"
#include "outfile.h"
#include "stopsig.h"
#include "textfmt.h"
#include "timing.h"
#include "trace.h"
#include "tracer.h"
#include "testpoint.h"
#include "textsafe.h"

#define MAX_PIDS 64

enum { OPT_NO_FOLLOW = 0x100, OPT_FOLLOW_TIMEOUT }; /* long options only */

struct trace_args {
	pid_t pids[MAX_PIDS];
	int pidfds[MAX_PIDS]; /* -p: each process, held from its check to its end */
	int npids;
	double interval;
	const char *user;
	bool json;
	const char *output;
	char **cmd;
	unsigned figures; /* enum figure_group: the groups asked for */
	bool no_follow;   /* the trace ends with the command, not with its last descendant */
	double follow_timeout; /* > 0: follow the descendants at most this long */
	struct identity id; /* who the command runs as */
};

static volatile sig_atomic_t stop_sig, stop_from_process, forwarded, cmd_session;
static volatile pid_t cmd_pid;
static pid_t cmd_tgid; /* the command's pid, kept after it is reaped */
static struct ptyrelay relay = PTYRELAY_INIT;

static int stop_signal(void)
{
	return stop_sig;
}

/*
 * SIGINT/SIGTERM/SIGHUP. From the terminal, the command got it too (same
 * process group) unless it has a session of its own; from kill(1), pass it
 * on, so the command sees it first. With -p, it ends the trace.
 */
static void on_signal(int sig, siginfo_t *si, void *uc UNUSED)
{
	stop_sig = sig;
	stop_from_process = si->si_code <= 0; /* SI_USER, SI_QUEUE, SI_TKILL */
	if (cmd_pid > 0 && (stop_from_process || cmd_session)) {
		kill(cmd_pid, sig);
		forwarded = 1;
	}
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	stop_signals_action(&sa);
}

/* A usage error quoting @arg, from the command line: escaped (textsafe.h). */
static error_t bad(struct argp_state *state, const char *fmt, const char *arg)
{
	char safe[TEXT_SAFE_LEN];

	argp_error(state, fmt, text_safe(arg, safe, sizeof(safe)));
	return EINVAL;
}

static error_t add_pids(struct argp_state *state, struct trace_args *a, char *arg)
{
	char *save = NULL;

	for (char *w = strtok_r(arg, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		char *end;
		long pid = strtol(w, &end, 10);

		if (*end || pid <= 0 || pid > 4194304)
			return bad(state, "-p '%s': not a process id", w);
		if (a->npids == MAX_PIDS)
			return bad(state, "-p: at most %s processes", "64");
		a->pids[a->npids++] = pid;
	}
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct trace_args *a = state->input;
	char *end;

	switch (key) {
	case 'p':
		return add_pids(state, a, arg);
	case 'i':
		a->interval = strtod(arg, &end);
		if (*end || !(a->interval > 0) || a->interval > 86400)
			return bad(state, "--interval '%s': seconds, more than 0", arg);
		return 0;
	case 'u':
		a->user = arg;
		return 0;
	case OPT_NO_FOLLOW:
		a->no_follow = true;
		return 0;
	case OPT_FOLLOW_TIMEOUT:
		a->follow_timeout = strtod(arg, &end);
		if (*end || !(a->follow_timeout > 0) || a->follow_timeout > 86400 * 365)
			return bad(state, "--follow-timeout '%s': seconds, more than 0", arg);
		return 0;
	case 'j':
		a->json = true;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case 'F': {
		char word[32];

		if (figure_groups_parse(arg, &a->figures, word, sizeof(word))) {
			char safe[TEXT_SAFE_LEN];

			argp_error(state, "--figures: no group '%s' (groups: %s)",
				   text_safe(word, safe, sizeof(safe)), figure_groups_help);
			return EINVAL;
		}
		return 0;
	}
	case ARGP_KEY_INIT:
		a->figures = FG_ALL;
		return 0;
	case ARGP_KEY_ARGS:
		a->cmd = state->argv + state->next;
		return 0;
	case ARGP_KEY_END:
		if (!a->cmd && !a->npids)
			return bad(state, "%s", "what to trace? -- CMD [ARGS...] or -p PID");
		if (a->cmd && a->npids)
			return bad(state, "%s", "-p or a command, not both");
		if (a->user && a->npids)
			return bad(state, "%s", "-u applies to a command, not to -p");
		if ((a->no_follow || a->follow_timeout) && a->npids)
			return bad(state, "%s", "--no-follow and --follow-timeout apply to a command, "
					       "not to -p");
		if (a->no_follow && a->follow_timeout)
			return bad(state, "%s", "--no-follow or --follow-timeout, not both");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

/* In the child: its session and terminal, its user, then exec; errno goes back through @fd. */
static void exec_command(const struct trace_args *a, int fd, pid_t parent)
{
	int err;

	stop_signals_set(SIG_DFL);
	if ((err = -ptyrelay_child(&relay)) || (err = -identity_become(&a->id)))
		goto fail;
	/*
	 * Killed with ipctrace, even by SIGKILL: no command runs on untraced.
	 * Set after the switch of user, which clears it; ipctrace may have
	 * died before.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(126);
	if (a->id.env)
		execvpe(a->cmd[0], a->cmd, a->id.env);
	else
		execvp(a->cmd[0], a->cmd);
	err = errno;
fail:
	if (write(fd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

/* Start the command (and the relay of its terminal); -errno if it could not be executed. */
static int start_command(const struct trace_args *a)
{
	pid_t parent = getpid();
	int fds[2], err = 0;
	ssize_t n;

	if ((err = ptyrelay_open(&relay, a->id.other_user, a->id.pw.pw_uid)))
		return err;
	cmd_session = relay.session;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	cmd_tgid = cmd_pid = fork();
	if (cmd_pid < 0)
		return -errno;
	if (cmd_pid == 0)
		exec_command(a, fds[1], parent);
	close(fds[1]);
	do
		n = read(fds[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	if (n != sizeof(err) && !(err = ptyrelay_start(&relay, cmd_pid)))
		return 0;
	if (n != sizeof(err)) /* it runs, but its terminal cannot be relayed */
		kill(cmd_pid, SIGKILL);
	else /* exec (or the switch of user) failed */
		err = -err;
	waitpid(cmd_pid, NULL, 0);
	cmd_pid = 0;
	return err;
}

/* Totals of everything traced so far (transfer phase). */
static int totals(struct tracer *t, struct figures *sum)
{
	struct trace_result r;
	int err = tracer_collect(t, &r);

	memset(sum, 0, sizeof(*sum));
	for (int i = 0; !err && i < r.nprocs; i++)
		figures_add(sum, &r.procs[i].phase[PHASE_TRANSFER]);
	trace_result_free(&r);
	return err;
}

/* Rate @v of figure @id rounded to @prec decimals (textfmt.h), or "n/a" when it is not counted. */
static const char *rate_or_na(char *buf, size_t len, const struct tracer *t, enum fig_id id, int prec,
			      double v)
{
	double scale = prec ? 100 : 1;

	if (probe_figure_available(&t->probes, id))
		return fmt_real(round(v * scale) / scale, buf, len);
	snprintf(buf, len, "n/a");
	return buf;
}

/* The heading of the rate lines, before the first: what each column is. */
static void print_rates_head(void)
{
	fprintf(stderr, "ipctrace: rates since the line before, per second (bytes in MB/s)%s"
			"%7s %10s %8s %8s %8s %8s %7s %8s %8s%s",
		ptyrelay_eol(&relay), "time s", "syscalls", "u->k", "k->u", "refs", "faults", "csw", "disk r",
		"disk w", ptyrelay_eol(&relay));
}

/* One line of rates since the last one, on stderr ("n/a": that group is not attached). */
static void print_rates(struct tracer *t, struct figures *last, double *last_t, double t0)
{
	struct figures cur;
	double now = clock_s(), dt = now - *last_t;
	char sc[32], u2k[32], k2u[32], refs[32], flt[32], csw[32], dr[32], dw[32];

	if (totals(t, &cur) || dt <= 0)
		return;
#define RATE(id) (((double)figure_value(FIG_##id, &cur) - (double)figure_value(FIG_##id, last)) / dt)
	fprintf(stderr, "%7.1f %10s %8s %8s %8s %8s %7s %8s %8s%s", now - t0,
		fmt_real(round(RATE(SYSCALLS)), sc, sizeof(sc)),
		fmt_real(round(RATE(COPIES_U2K) / 1e4) / 100, u2k, sizeof(u2k)),
		fmt_real(round(RATE(COPIES_K2U) / 1e4) / 100, k2u, sizeof(k2u)),
		fmt_real(round(RATE(PAGE_REFS) / 1e4) / 100, refs, sizeof(refs)),
		rate_or_na(flt, sizeof(flt), t, FIG_FAULTS_USER, 0, RATE(FAULTS_USER)),
		rate_or_na(csw, sizeof(csw), t, FIG_CSW_VOLUNTARY, 0, RATE(CSW_VOLUNTARY) + RATE(CSW_INVOLUNTARY)),
		rate_or_na(dr, sizeof(dr), t, FIG_DMA_DISK_READ, 2, RATE(DMA_DISK_READ) / 1e6),
		rate_or_na(dw, sizeof(dw), t, FIG_DMA_DISK_WRITE, 2, RATE(DMA_DISK_WRITE) / 1e6),
		ptyrelay_eol(&relay));
#undef RATE
	*last = cur;
	*last_t = now;
}

/* Has the process of @pidfd exited (every thread; a zombie has)? */
static bool exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) != 0; /* readable, or an error: gone all the same */
}

/*
 * -p: each process held by a pidfd (a recycled pid is noticed), and
 * refused if it has exited (a zombie has: its parent has not collected it
 * yet) or if the caller may not watch it.
 */
static int open_targets(struct trace_args *a)
{
	char err[200];

	for (int i = 0; i < a->npids; i++) {
		pid_t tgid = tracer_tgid_of(a->pids[i], NULL, 0);

		a->pidfds[i] = tgid > 0 ? pidfd_open(tgid, 0) : -1;
		if (a->pidfds[i] < 0)
			snprintf(err, sizeof(err), "no such process");
		else if (exited(a->pidfds[i]))
			snprintf(err, sizeof(err), "not running: it has exited (a zombie until its "
						   "parent collects it)");
		else if (!identity_may_watch(tgid, err, sizeof(err)))
			continue;
		fprintf(stderr, "ipctrace trace: -p %d: %s\n", a->pids[i], err);
		return -1;
	}
	return 0;
}

/* Put the -p processes in the tracer; a message and -1 if one has gone meanwhile. */
static int add_targets(struct trace_args *a, struct tracer *t)
{
	for (int i = 0; i < a->npids; i++) {
		int e = tracer_add_pid(t, a->pids[i]);

		if (!e && exited(a->pidfds[i])) /* the pid may name another process by now */
			e = -ESRCH;
		if (e) {
			fprintf(stderr, "ipctrace trace: -p %d: %s\n", a->pids[i],
				e == -ESRCH ? "no such process (it exited?)" : strerror(-e));
			return -1;
		}
	}
	return 0;
}

/* Is any of the -p processes (or their traced children) still there? */
static bool any_alive(const struct trace_args *a, struct tracer *t)
{
	for (int i = 0; i < a->npids; i++)
		if (!exited(a->pidfds[i]))
			return true;
	return tracer_live(t) > 0;
}

/* The clock of the waits: the --interval lines. */
struct waiter {
	double t0, last_t, next;
	struct figures last;
};

/*
 * One turn of a wait: a line of rates when one is due, then the terminal
 * relayed or a nap, at most @ms (-1: the relay may block; with no relay,
 * no nap: the caller blocks in waitpid).
 */
static void wait_turn(const struct trace_args *a, struct tracer *t, struct waiter *w, int ms)
{
	if (a->interval && clock_s() >= w->next) {
		print_rates(t, &w->last, &w->last_t, w->t0);
		w->next += a->interval;
	}
	if (ptyrelay_active(&relay))
		ptyrelay_pump(&relay, a->interval ? 50 : ms);
	else if (a->interval || ms > 0)
		sleep_s(a->interval ? 0.05 : ms / 1000.0, false); /* a signal ends the nap */
}

/* Wait until the command exits (or, with -p, a signal or every process is gone). */
static int wait_end(const struct trace_args *a, struct tracer *t, struct waiter *w, int *status)
{
	for (;;) {
		if (cmd_pid > 0) {
			bool nohang = a->interval || ptyrelay_active(&relay);
			pid_t p = waitpid(cmd_pid, status, nohang ? WNOHANG : 0);

			if (p == cmd_pid)
				return 0;
			if (p < 0 && errno != EINTR)
				return -errno;
		} else if (stop_sig || !any_alive(a, t)) {
			return 0;
		}
		wait_turn(a, t, w, cmd_pid > 0 ? -1 : 50);
	}
}

/*
 * The command has exited: follow what it left running (a background job,
 * a daemon) until the last exits, a signal (Ctrl-C) or --follow-timeout.
 */
static enum follow_end follow_rest(const struct trace_args *a, struct tracer *t, struct waiter *w)
{
	double until = clock_s() + a->follow_timeout;
	char how[64];
	int n;

	if (a->no_follow)
		return FOLLOW_OFF;
	if ((n = tracer_live(t)) && !stop_sig) { /* why ipctrace has not returned yet */
		if (a->follow_timeout)
			snprintf(how, sizeof(how), "for at most %g s (--follow-timeout)", a->follow_timeout);
		else
			snprintf(how, sizeof(how), "until %s", n > 1 ? "the last exits" : "it exits");
		text_error("ipctrace trace", "%s exited; following the %d process%s it left running %s "
			   "(Ctrl-C ends the trace)", a->cmd[0], n, n > 1 ? "es" : "", how);
	}
	for (;;) {
		if (!tracer_live(t))
			return FOLLOW_DONE;
		if (stop_sig)
			return FOLLOW_SIGNAL;
		if (a->follow_timeout && clock_s() >= until)
			return FOLLOW_TIMEOUT;
		wait_turn(a, t, w, 100);
	}
}

static struct json_object *params_json(const struct trace_args *a)
{
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
	char groups[96];

	if (a->cmd) {
		for (char **c = a->cmd; *c; c++)
			json_object_array_add(arr, json_text(*c));
		json_object_object_add(o, "command", arr);
		json_object_object_add(o, "user", json_object_new_string(a->id.switch_user
										 ? a->id.pw.pw_name
										 : "(ipctrace's own)"));
	} else {
		for (int i = 0; i < a->npids; i++)
			json_object_array_add(arr, json_object_new_int(a->pids[i]));
		json_object_object_add(o, "pids", arr);
	}
	figure_groups_name(a->figures, groups, sizeof(groups));
	json_object_object_add(o, "figures", json_object_new_string(groups));
	return o;
}

/* The command's end, in the shell's terms: its exit code, or 128 + the signal. */
static int command_status(int status, char *err, size_t len, struct json_object *facts)
{
	struct json_object *f = json_object_new_object();

	json_object_object_add(facts, "command", f);
	if (WIFSIGNALED(status)) {
		snprintf(err, len, "the command was killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
		json_object_object_add(f, "killed_by_signal", json_object_new_int(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	json_object_object_add(f, "exit_status", json_object_new_int(WEXITSTATUS(status)));
	return WEXITSTATUS(status);
}

/* Who runs the command, which processes may be watched: 0, or -1 with a message. */
static int prepare(struct trace_args *a)
{
	char err[300];

	for (int i = 0; i < MAX_PIDS; i++)
		a->pidfds[i] = -1;
	if (a->cmd && identity_resolve(&a->id, a->user, err, sizeof(err))) {
		text_error("ipctrace trace", "%s", err); /* it quotes the environment */
		return -1;
	}
	return open_targets(a);
}

static void release(struct trace_args *a)
{
	identity_free(&a->id);
	for (int i = 0; i < a->npids; i++)
		if (a->pidfds[i] >= 0)
			close(a->pidfds[i]);
}

/*
 * facts.command: which processes outlived the command. Those still running
 * when following was cut short (a signal, --follow-timeout) make the trace
 * incomplete: said in @err unless it already holds a reason.
 */
static void outlived(const struct follow_info *fi, struct json_object *facts,
		     const struct trace_result *r, char *err, size_t len)
{
	struct json_object *f;
	int n;

	if (!json_object_object_get_ex(facts, "command", &f))
		return;
	n = follow_facts(f, r, fi);
	if (n && !err[0] && (fi->end == FOLLOW_TIMEOUT || fi->end == FOLLOW_SIGNAL))
		snprintf(err, len, "%d process%s the command left %s still running when the trace "
				   "ended; %s figures stop there", n, n > 1 ? "es" : "",
			 n > 1 ? "were" : "was", n > 1 ? "their" : "its");
}

/* The report of what was traced, to @out (it takes @facts); false when nothing could be read back. */
static bool write_report(const struct trace_args *a, struct tracer *t, struct json_object *facts,
			 const struct follow_info *fi, char *err, size_t errlen, double secs,
			 FILE *out)
{
	struct trace_result r = {};
	struct json_object *rep;

	if (tracer_collect(t, &r)) {
		json_object_put(facts);
		return false;
	}
	if (a->cmd)
		outlived(fi, facts, &r, err, errlen);
	rep = report_assemble(&(struct report_info){
				      .name = "trace",
				      .params = params_json(a),
				      .unit = "run",
				      .units = 1,
				      .nic_reason = "not attributed: device DMA of network traffic is "
						    "not traced per process",
				      .error = err[0] ? err : NULL,
				      .facts = facts,
				      .secs = secs,
			      },
			      t, &r);
	test_point(TP_REPORT);
	if (a->json)
		report_print_json(rep, out);
	else
		report_print_text(rep, out);
	json_object_put(rep);
	trace_result_free(&r);
	return true;
}

static const struct argp_option options[] = {
	{ "pid", 'p', "PID[,PID...]", 0,
	  "trace running processes (all threads, new children) that you could ptrace; "
	  "one that has exited (a zombie) is refused as not running (exit 2), and the "
	  "trace ends when every one has exited", 0 },
	{ "interval", 'i', "SECONDS", 0, "print a line of rates every SECONDS on stderr", 0 },
	{ "user", 'u', "USER", 0,
	  "run the command as USER (default: sudo's invoking user, else ipctrace's own, "
	  "root said on stderr)", 0 },
	{ "json", 'j', NULL, 0, "the report as JSON (schema 2)", 0 },
	{ "output", 'o', "FILE", 0, "write the report to FILE instead of stderr", 0 },
	{ "no-follow", OPT_NO_FOLLOW, NULL, 0,
	  "end the trace when the command exits (default: when the last process it started "
	  "has exited; those that outlived it are named either way)", 0 },
	{ "follow-timeout", OPT_FOLLOW_TIMEOUT, "SECONDS", 0,
	  "after the command exits, follow what it left running at most SECONDS (default: "
	  "until the last exits; Ctrl-C ends it too)", 0 },
	{ "figures", 'F', "LIST", 0,
	  "only these groups of figures, comma-separated; the rest are not attached "
	  "and show as null (default: all)", 0 },
	{ 0 },
};
static const struct argp argp = {
	options, parse_opt, "-- CMD [ARGS...] | -p PID",
	"Trace a command, or running processes, and report what the kernel "
	"did for them.\vGroups for --figures: faults, switches, signals, page-cache, "
	"dma, sockets, observed (copies seen on the copy itself: fexit programs "
	"and the socket receive tracepoint), all, none. Syscalls, the copy ledger "
	"(derived where not observed) and the process tree are always on. Each "
	"group left out is a program the kernel does not run on every event.\n\n"
	"A command run as another user gets a session of its own, and, when stdin "
	"is a terminal, a pseudo-terminal that ipctrace relays; its environment "
	"loses LD_* and gets that user's HOME, USER, LOGNAME and SHELL. "
	"Inconsistent SUDO_UID/SUDO_GID/SUDO_USER are refused (exit 2). "
	"The command is killed if ipctrace is (even by SIGKILL).\n\n"
	"Exit status: the command's own (128+N if signal N killed it) when traced "
	"to its end; 1 tracing failed; 2 bad input.\n\n"
	"Examples:\n"
	"  ipctrace trace -- dd if=/dev/zero of=/tmp/z bs=1M count=64\n"
	"  ipctrace trace -u nobody --json -o cat.json -- cat /etc/services\n"
	"  ipctrace trace -F page-cache,dma -- cp big.iso /tmp\n"
	"  ipctrace trace -p 1234 --interval 1     # Ctrl-C ends; a report then",
	bpflog_argp_children, NULL, NULL,
};

/*
 * Load the programs and add the targets (-p); 0, or the exit status to
 * return: a signal while the programs loaded ends the trace before it began.
 */
static int start_tracing(struct trace_args *a, struct tracer *t)
{
	int e;

	install_signals();
	test_point(TP_START);
	e = tracer_start(t, &(struct tracer_opts){ .launcher = getpid(),
					    .exec_starts_transfer = true,
					    .skip_figures = FG_ALL & ~a->figures,
					    .adds_pids = a->npids > 0,
					    .stop = stop_signal });
	test_point(TP_COMMAND);
	if (stop_sig) { /* asked to stop while the programs were loading */
		text_error("ipctrace trace", "interrupted by signal %d (%s) before %s started; "
			   "nothing to report", (int)stop_sig, strsignal(stop_sig),
			   a->cmd ? a->cmd[0] : "tracing");
		return 128 + stop_sig;
	}
	if (e)
		return EXIT_FAIL;
	if (add_targets(a, t))
		return EXIT_USAGE;
	if (a->npids && (e = tracer_pids_added(t)))
		text_error("ipctrace trace", "-p: the threads could not be put in sys_exit's table "
			   "(%s; run.syscall_gate: held): the figures are the same, every process's "
			   "syscalls cost a helper call more", strerror(-e));
	if (a->npids) /* the moment the figures start: a user (or a test) can wait for it */
		fprintf(stderr, "ipctrace: tracing %d process%s; Ctrl-C ends the trace\n", a->npids,
			a->npids > 1 ? "es" : "");
	if (a->cmd && a->id.root_note)
		text_error("ipctrace trace", "running %s as root (-u USER runs it as another user)",
			   a->cmd[0]);
	return 0;
}

/* Start the command, if there is one; 0, or the exit status to return. */
static int run_command(struct trace_args *a)
{
	int e;

	if (!a->cmd)
		return 0;
	if ((e = start_command(a))) {
		text_error("ipctrace trace", "cannot run %s: %s", a->cmd[0], strerror(-e));
		return EXIT_USAGE;
	}
	/* a signal between fork() and cmd_pid being set: pass it on now */
	if (stop_sig && stop_from_process && !forwarded)
		kill(cmd_pid, stop_sig);
	return 0;
}

/* Keep the report file if a report was written; @rc, or EXIT_FAIL if keeping it failed. */
static int close_output(struct outfile *of, bool reported, int rc)
{
	if (!reported) /* an existing file stays as it was, no new one is left */
		outfile_abort(of);
	else if (outfile_commit(of, "ipctrace trace") && !rc)
		rc = EXIT_FAIL;
	return rc;
}

int trace_main(int argc, char **argv)
{
	struct trace_args a = {};
	struct tracer t = {};
	struct json_object *facts = json_object_new_object();
	char err[160] = "";
	double t0;
	int status = 0, rc = EXIT_OK, e;
	bool late_sig = false, reported = false;
	struct waiter w;
	struct follow_info fi;
	struct outfile of = { .f = stderr, .dirfd = -1 };
	FILE *out;

	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, &a)) {
		json_object_put(facts);
		return EXIT_USAGE;
	}
	if (a.output && outfile_open(&of, a.output, "ipctrace trace")) {
		json_object_put(facts);
		return EXIT_USAGE;
	}
	out = of.f;
	if (prepare(&a)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = start_tracing(&a, &t)))
		goto out;
	t0 = clock_s();
	if ((rc = run_command(&a)))
		goto out;
	test_point(TP_WAIT);
	w = (struct waiter){ .t0 = t0, .last_t = t0, .next = t0 + a.interval };
	if (a.interval)
		print_rates_head();
	if ((e = wait_end(&a, &t, &w, &status))) {
		fprintf(stderr, "ipctrace trace: waiting: %s\n", strerror(-e));
		rc = EXIT_FAIL;
	}
	cmd_pid = 0; /* reaped: a later signal must not go to a recycled pid */
	/*
	 * Its last output, and the terminal back: before the report, and before
	 * following what it left, so that Ctrl-C reaches ipctrace (the pty's
	 * session lost its leader: the kernel hung it up).
	 */
	ptyrelay_finish(&relay);
	if (a.cmd)
		rc = command_status(status, err, sizeof(err), facts);
	late_sig = !stop_sig; /* a signal from now on came after the command ended */
	fi = (struct follow_info){ .cmd = cmd_tgid, .timeout = a.follow_timeout };
	if (a.cmd && !e) {
		fi.end = follow_rest(&a, &t, &w);
		fi.sig = stop_sig;
	}
	test_point(TP_COLLECT);
	/* the trace ends here: the programs leave while the report is written */
	tracer_detach_begin(&t);
	reported = write_report(&a, &t, facts, &fi, err, sizeof(err), clock_s() - t0, out);
	facts = NULL;
	if (err[0] && out != stderr) /* else the report just said it */
		fprintf(stderr, "ipctrace trace: %s\n", err);
	if (late_sig && stop_sig) {
		text_error("ipctrace trace", "interrupted by signal %d (%s) after %s ended",
			   (int)stop_sig, strsignal(stop_sig), a.cmd ? a.cmd[0] : "the traced processes");
		rc = 128 + stop_sig;
	}
out:
	json_object_put(facts);
	tracer_stop(&t);
	ptyrelay_finish(&relay);
	release(&a);
	return close_output(&of, reported, rc);
}
