// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Bad input gets exit 2 and a clear message; an interrupted run or a
 * crashed workload leaves no process, temporary file or BPF program.
 */
#include <signal.h>
#include <time.h>
#include <sys/mman.h>
#include "compiler.h"
#include "harness.h"

static void expect_usage_error(const char *args, const char *needle)
{
	char a[512];
	int rc;
	char *out;

	snprintf(a, sizeof(a), "%s 2>&1 >/dev/null", args);
	out = run_cmd(a, &rc);
	if (rc != 2)
		fail_msg("ipctrace %s: exit %d, expected 2 (%s)", args, rc, out);
	if (!strstr(out, needle))
		fail_msg("ipctrace %s: message '%s' lacks '%s'", args, out, needle);
	free(out);
}

static void test_bad_input(void **state UNUSED)
{
	expect_usage_error("run nosuch", "ipctrace list");
	expect_usage_error("frobnicate", "unknown command");
	expect_usage_error("", "usage");
	expect_usage_error("run", "which scenario");
	expect_usage_error("run pipe --size 0", "greater than zero");
	expect_usage_error("run pipe --size -5", "negative");
	expect_usage_error("run pipe --size 99999999999999999999", "too large");
	expect_usage_error("run pipe --size 12Q", "suffix");
	expect_usage_error("run pipe --block 1M --size 4K", "larger than --size");
	expect_usage_error("run pipe --to tcp", "takes no --to");
	expect_usage_error("run pipe --cold", "takes no --cold");
	expect_usage_error("run sendfile --to carrier-pigeon", "tcp, unix, pipe or file");
	expect_usage_error("run pipe --bogus", "unrecognized option");
	expect_usage_error("run pipe pipe", "one scenario at a time");
	expect_usage_error("list extra", "no arguments");
	expect_usage_error("run pipe -o /nonexistent/dir/report.json", "cannot write");
	/* sizes the machine cannot hold are refused before anything is made */
	expect_usage_error("run sendfile --size 100T", "free");
	expect_usage_error("run vmsplice --size 100T", "MemAvailable");
}

static void test_list(void **state UNUSED)
{
	int rc;
	char *out = run_cmd("list", &rc);

	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "pipe "));
	assert_non_null(strstr(out, "mmap-share "));
	assert_non_null(strstr(out, "sendfile "));
	free(out);
}

static void test_probe_json(void **state UNUSED)
{
	int rc;
	char *out;
	struct json_object *o;

	NEED_BPF();
	out = run_cmd("probe --json", &rc);
	assert_int_equal(rc, 0);
	o = parse_kept("probe", out);
	assert_non_null(o);
	assert_string_equal(json_object_get_string(jget(o, "probes.sys_enter")), "tp_btf");
	assert_true(json_object_get_boolean(jget(o, "attach_points.sched_switch.available")));
	json_object_put(o);
	free(out);
}

/*
 * A tracepoint's arguments are read in its btf_trace_ type, not tested by
 * loading a program that reads one: both give the same features (on this
 * kernel, sched_switch has prev_state and block_bio_queue takes the bio
 * alone, the only tracepoint arguments the JSON shows).
 */
static void test_tp_args_from_btf(void **state UNUSED)
{
	struct json_object *btf, *load;
	char *out;
	int rc;

	NEED_BPF();
	out = run_cmd("probe --json", &rc);
	assert_int_equal(rc, 0);
	btf = parse_kept("probe", out);
	free(out);
	setenv("IPCTRACE_TEST_TP_ARGS_LOAD", "1", 1);
	out = run_cmd("probe --json", &rc);
	unsetenv("IPCTRACE_TEST_TP_ARGS_LOAD");
	assert_int_equal(rc, 0);
	load = parse_kept("probe", out);
	free(out);
	assert_string_equal(json_object_to_json_string(jget(btf, "bpf_features")),
			    json_object_to_json_string(jget(load, "bpf_features")));
	json_object_put(btf);
	json_object_put(load);
}

/* The traced events of @name's row in probe --cost's output, -1 without a row. */
static long long cost_traced_events(const char *out, const char *name)
{
	char row[64], line[256];
	const char *p = out;
	long long traced;

	while (sscanf(p, "%255[^\n]", line) == 1) {
		if (sscanf(line, "%63s %*f %*s %lld", row, &traced) == 2 && !strcmp(row, name))
			return traced;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return -1;
}

/*
 * probe --cost: a row per program with the kernel's own accounting. The
 * untraced window really ran its load (hundreds of thousands of syscalls a
 * second, not an idle machine's few), the traced one was counted, and
 * nothing of either load is left (no child, no zombie). Every program has
 * its row, and the load's rounds reached each kind: as many exits as forks,
 * the forks of its writer and reader and of each child that exec'd, as many
 * 64-byte socket messages sent as received and copied out of a socket
 * buffer.
 */
static void test_probe_cost(void **state UNUSED)
{
	static const char *const rows[] = { "sys_exit_btf", "cost_floor", "fault_user_btf", "fault_kernel_btf",
					    "sched_switch_btf", "signal_generate_btf", "signal_deliver_btf",
					    "pc_get_pages_btf", "pc_map_pages_btf", "pc_fault_btf", "ra_sync_btf",
					    "bio_queue_btf" };
	char name[64], traced_ns[32];
	double rate, untraced_ns;
	long long traced = -1, forks;
	int rc, found = 0;
	char *out, *copy, *line, *save = NULL;

	NEED_BPF();
	out = run_cmd("probe --cost", &rc);
	assert_int_equal(rc, 0);
	copy = strdup(out);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%63s %lf %lf %lld %31s", name, &rate, &untraced_ns, &traced,
			   traced_ns) != 5 || strcmp(name, "sys_exit_btf"))
			continue;
		found = 1;
		assert_true(rate > 10000);
		assert_true(untraced_ns > 0);
		assert_true(traced > 10000);
		assert_true(atof(traced_ns) > 0);
	}
	free(copy);
	if (!found)
		fail_msg("no sys_exit_btf row in probe --cost: %s", out);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (cost_traced_events(out, rows[i]) < 0)
			fail_msg("no %s row in probe --cost: %s", rows[i], out);
	forks = cost_traced_events(out, "fork_btf");
	assert_true(forks > 2);
	assert_int_equal(cost_traced_events(out, "exit_btf"), forks);
	assert_int_equal(cost_traced_events(out, "exec_btf"), forks - 2);
	/* sock_send_length and sock_recv_length: kernels 6.3 on */
	if (cost_traced_events(out, "sock_send_btf") >= 0) {
		assert_true(cost_traced_events(out, "sock_send_btf") > 0);
		assert_int_equal(cost_traced_events(out, "sock_recv_btf"), cost_traced_events(out, "sock_send_btf"));
		assert_int_equal(cost_traced_events(out, "skb_copy_btf"), cost_traced_events(out, "sock_send_btf"));
	}
	free(out);
	out = run_shell("ps -eo stat,comm | grep -c '^Z.*ipctrace'", &rc);
	assert_int_equal(atoi(out), 0);
	free(out);
}

/*
 * The kernel memory of a session's maps (the kernel's accounting, memlock
 * in fdinfo) stays under 16 MiB whatever pid_max is: procs, the only map
 * sized by it, is a row of 8 bytes per 4 pids (max_entries pid_max / 4,
 * mmapable), so at the largest pid_max (4,194,304) it is 8 MiB.
 */
static void test_session_memory(void **state UNUSED)
{
	unsigned long type, flags, vsize, entries, memlock, total = 0, procs_mem = 0, pid_max, found = 0;
	char cmd[1024], *out, *line, *save = NULL;
	int rc;

	NEED_BPF();
	out = run_shell("cat /proc/sys/kernel/pid_max", &rc);
	pid_max = strtoul(out, NULL, 10);
	free(out);
	snprintf(cmd, sizeof(cmd),
		 "d=$(mktemp -d); sleep 30 & t=$!; %s trace -o /dev/null -p $t 2>$d/err & s=$!; "
		 "for i in $(seq 200); do grep -q tracing $d/err && break; sleep 0.05; done; "
		 "for f in /proc/$s/fdinfo/*; do awk '$1 == \"map_type:\" {t = $2} $1 == \"map_flags:\" {f = $2} "
		 "$1 == \"value_size:\" {v = $2} $1 == \"max_entries:\" {e = $2} $1 == \"memlock:\" {m = $2} "
		 "END {if (t != \"\") print t, f, v, e, m}' $f; done; "
		 "kill -INT $s; wait $s; kill $t; rm -rf $d",
		 ipctrace_bin());
	out = run_shell(cmd, &rc);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%lu %lx %lu %lu %lu", &type, &flags, &vsize, &entries, &memlock) != 5)
			continue;
		total += memlock;
		if (type == 2 /* array */ && flags == 0x400 /* mmapable */ && vsize == 8 && entries > 1) {
			assert_int_equal(entries, (pid_max + 3) / 4);
			procs_mem = memlock;
			found++;
		}
	}
	free(out);
	assert_int_equal(found, 1);
	assert_true(total > procs_mem);
	/* the same session at the largest pid_max: procs 8 MiB */
	assert_true(total - procs_mem + 4194304 / 4 * 8 + 4096 <= 16UL << 20);
}

/*
 * Start a long pipe run with its own TMPDIR, do @act to it after 300 ms,
 * and return its exit code and JSON report.
 */
static int run_progs[64], run_nprogs; /* the disrupted run's programs */

/* Bytes the children of @pid have written (/proc/PID/io wchar), in all. */
static long long children_wchar(pid_t pid)
{
	char cmd[96];
	long long sum = 0, n;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "for c in $(pgrep -P %d); do sed -n 's/^wchar: //p' /proc/$c/io; done 2>/dev/null",
		 pid);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fscanf(p, "%lld", &n) == 1)
		sum += n;
	pclose(p);
	return sum;
}

static struct json_object *disrupted_run(const char *tmpdir, void (*act)(pid_t), int *rc)
{
	int out = memfd_create("report", 0), st;
	pid_t pid = fork();
	char *buf;
	off_t len;
	struct json_object *o;

	assert_true(out >= 0 && pid >= 0);
	if (pid == 0) {
		setenv("TMPDIR", tmpdir, 1);
		dup2(out, 1);
		execl(ipctrace_bin(), "ipctrace", "run", "pipe", "--size", "64G", "--block", "4K",
		      "--json", (char *)NULL);
		_exit(127);
	}
	/* workers exist only once the programs are attached: wait for them (10 s at most) */
	for (int i = 0; i < 200 && processes_with_env(tmpdir) < 3; i++) /* ipctrace, writer, reader */
		sleep_ms(50);
	/* into the transfer: the writer has written 1 MiB (10 s at most; slow under SAN=1) */
	for (int i = 0; i < 200 && children_wchar(pid) < (1 << 20); i++)
		sleep_ms(50);
	run_nprogs = prog_ids_of(pid, run_progs, 64);
	assert_true(run_nprogs > 0);
	assert_true(processes_with_env(tmpdir) >= 3);
	act(pid);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	*rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	len = lseek(out, 0, SEEK_END);
	buf = calloc(1, len + 1);
	assert_int_equal(pread(out, buf, len, 0), len);
	close(out);
	o = parse_kept("report", buf);
	if (!o)
		fail_msg("no JSON report after the disruption: %.200s", buf);
	free(buf);
	return o;
}

static void send_sigint(pid_t pid)
{
	kill(pid, SIGINT);
}

/* SIGKILL one worker of the run, as if the workload had crashed. */
static void kill_a_worker(pid_t pid)
{
	char cmd[64];
	FILE *p;
	int child = 0;

	/* a worker (comm its role), not the guard of the run's directory (comm "ipctrace") */
	snprintf(cmd, sizeof(cmd), "pgrep -x -P %d 'writer|reader' | head -1", pid);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &child), 1);
	pclose(p);
	assert_true(child > 0);
	kill(child, SIGKILL);
}

static void check_nothing_left(const char *tmpdir)
{
	assert_int_equal(dir_entries(tmpdir), 0);
	assert_int_equal(processes_with_env(tmpdir), 0);
	assert_int_equal(programs_left(run_progs, run_nprogs), 0);
}

static void test_ctrl_c_cleans_up(void **state UNUSED)
{
	char tmpdir[] = "/tmp/ipctrace-test.XXXXXX";
	struct json_object *rep;
	int rc;

	NEED_BPF();
	assert_non_null(mkdtemp(tmpdir));
	rep = disrupted_run(tmpdir, send_sigint, &rc);
	assert_int_equal(rc, 128 + SIGINT);
	assert_false(json_object_get_boolean(jget(rep, "run.complete")));
	assert_non_null(strstr(json_object_get_string(jget(rep, "run.error")), "interrupted"));
	/* what was counted until then is still reported */
	assert_true(jint(rep, "totals.copies.user_to_kernel.bytes") > 0);
	check_nothing_left(tmpdir);
	rmdir(tmpdir);
	json_object_put(rep);
}

static void test_crashed_workload_cleans_up(void **state UNUSED)
{
	char tmpdir[] = "/tmp/ipctrace-test.XXXXXX";
	struct json_object *rep;
	int rc;

	NEED_BPF();
	assert_non_null(mkdtemp(tmpdir));
	rep = disrupted_run(tmpdir, kill_a_worker, &rc);
	assert_int_equal(rc, 1);
	assert_false(json_object_get_boolean(jget(rep, "run.complete")));
	assert_non_null(strstr(json_object_get_string(jget(rep, "run.error")), "signal 9"));
	check_nothing_left(tmpdir);
	rmdir(tmpdir);
	json_object_put(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_probe_json),
		cmocka_unit_test(test_tp_args_from_btf),
		cmocka_unit_test(test_probe_cost),
		cmocka_unit_test(test_session_memory),
		cmocka_unit_test(test_ctrl_c_cleans_up),
		cmocka_unit_test(test_crashed_workload_cleans_up),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
