// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace trace against independent witnesses: the workload's own counts
 * of bytes, strace -f -c for syscalls, getrusage for faults and context
 * switches. Plus exit status, identity, -p, --interval and bad input.
 */
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <time.h>
#include "compiler.h"
#include "harness.h"

#define IOWORK ".output/tests/iowork"
#define REPORT "/tmp/ipctrace-test-trace.json"
#define PROGS "/tmp/ipctrace-test-progs.txt"

/* ipctrace trace --json -o REPORT ARGS; the command's stdout in *out. */
static struct json_object *trace(const char *args, int *rc, char **out)
{
	char a[1024];
	struct json_object *o;
	char *text;

	unlink(REPORT);
	snprintf(a, sizeof(a), "trace --json -o " REPORT " %s 2>/dev/null", args);
	text = run_cmd(a, rc);
	if (out)
		*out = text;
	else
		free(text);
	o = load_kept("report", REPORT);
	if (!o)
		fail_msg("no JSON report from ipctrace %s (exit %d)", a, *rc);
	unlink(REPORT);
	return o;
}

/* The value of "key N" in a workload's output. */
static long long said(const char *out, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "%s ", key);
	for (p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, pat, strlen(pat)))
			return atoll(p + strlen(pat));
	fail_msg("the workload did not say %s: %s", key, out);
	return -1;
}

/* Sum of a figure over every traced process. */
static long long sum_procs(struct json_object *rep, const char *path)
{
	struct json_object *procs = jget(rep, "processes");
	long long s = 0;

	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *f = jget(json_object_array_get_idx(procs, i), "figures"), *v;

		if (!strncmp(path, "syscalls_by_name.", 17)) { /* absent: none made */
			json_object_object_get_ex(jget(f, "syscalls_by_name"), path + 17, &v);
			s += v ? json_object_get_int64(v) : 0;
		} else {
			s += jint(f, path);
		}
	}
	return s;
}

/* strace -f -c of the same command: calls of @name ("total": all; its row has the same columns). */
static long long strace_calls(const char *cmd, const char *name)
{
	char line[256], c[512];
	long long calls = -1;
	FILE *f;

	snprintf(c, sizeof(c), "strace -f -c -o /tmp/ipctrace-test-strace.txt %s >/dev/null", cmd);
	if (system(c) != 0)
		fail_msg("strace failed: %s", c);
	f = fopen("/tmp/ipctrace-test-strace.txt", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *tok[8], *save = NULL;
		int n = 0;

		for (char *w = strtok_r(line, " \t\n", &save); w && n < 8; w = strtok_r(NULL, " \t\n", &save))
			tok[n++] = w;
		if (n >= 5 && !strcmp(tok[n - 1], name))
			calls = atoll(tok[3]);
	}
	fclose(f);
	unlink("/tmp/ipctrace-test-strace.txt");
	return calls;
}

static void test_pipe_bytes_and_syscalls(void **state UNUSED)
{
	struct json_object *rep;
	char *out;
	int rc;
	long long writes, st_writes, st_reads, reads;

	NEED_BPF();
	rep = trace("-- " IOWORK " pipe 16 65536", &rc, &out);
	assert_int_equal(rc, 0);
	/* bytes, as the workload counted them */
	assert_int_equal(said(out, "written"), 1048576);
	assert_int_equal(said(out, "child_read"), 1048576);
	/* into pipes: the data, and what both processes printed to stdout (a pipe here) */
	assert_int_equal(jint(rep, "totals.by_fd_kind.pipe.write_bytes"),
			 said(out, "written") + (long long)strlen(out));
	assert_int_equal(jint(rep, "totals.by_fd_kind.pipe.read_bytes"), said(out, "child_read"));
	assert_int_equal(json_object_array_length(jget(rep, "processes")), 2); /* the fork followed */
	/* syscalls, as strace -f -c counts them in a run of the same command */
	writes = sum_procs(rep, "syscalls_by_name.write");
	reads = sum_procs(rep, "syscalls_by_name.read");
	st_writes = strace_calls(IOWORK " pipe 16 65536", "write");
	st_reads = strace_calls(IOWORK " pipe 16 65536", "read");
	assert_int_equal(writes, st_writes);
	/* a pipe read may return part of a write: read counts vary run to run */
	assert_between(reads, st_reads - 3, st_reads + 3);
	/* both count the execve that starts the command (it is a call the command made) */
	assert_between(jint(rep, "totals.syscalls"), strace_calls(IOWORK " pipe 16 65536", "total") - 4,
		       strace_calls(IOWORK " pipe 16 65536", "total") + 4);
	free(out);
	json_object_put(rep);
}

/* write(2) calls of the processes named @comm. */
static long long comm_writes(struct json_object *rep, const char *comm)
{
	struct json_object *procs = jget(rep, "processes"), *v;
	long long n = 0;

	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);

		if (!strcmp(json_object_get_string(jget(p, "comm")), comm) &&
		    json_object_object_get_ex(jget(p, "figures.syscalls_by_name"), "write", &v))
			n += json_object_get_int64(v);
	}
	return n;
}

/* The value at @path as a string, "" when it is null. */
static const char *jstr(struct json_object *o, const char *path)
{
	const char *s = json_object_get_string(jget(o, path));

	return s ? s : "";
}

/* trace_pipe_progs()'s bytes, as iowork counted them, and its writes, as strace does */
static void assert_pipe_exact(struct json_object *rep, const char *out)
{
	assert_int_equal(said(out, "child_read"), 1048576);
	assert_int_equal(jint(rep, "totals.by_fd_kind.pipe.read_bytes"), 1048576);
	assert_int_equal(comm_writes(rep, "iowork"), strace_calls(IOWORK " pipe 16 65536", "write"));
}

/*
 * ipctrace trace @opts of `iowork pipe 16 65536`, which then lists this
 * session's BPF programs ($PPID: ipctrace, not another session's on the
 * machine) into *@progs, a line "name NAME" each; the command's stdout in
 * *@out. @hook, if not NULL, is a test hook's variable, set to @value for
 * ipctrace's run (testpoint.h).
 */
static struct json_object *trace_pipe_progs_with(const char *opts, const char *hook,
						 const char *value, char **out, char **progs)
{
	struct json_object *rep;
	char a[512];
	int rc;

	snprintf(a, sizeof(a), "%s -- sh -c '" IOWORK " pipe 16 65536 && grep -h prog_id: "
		 "/proc/$PPID/fdinfo/* >" PROGS ".ids; bpftool prog show >" PROGS "'", opts);
	if (hook)
		setenv(hook, value, 1);
	rep = trace(a, &rc, out);
	if (hook)
		unsetenv(hook);
	assert_int_equal(rc, 0);
	*progs = run_shell("awk 'NR == FNR { ids[$2 \":\"] = 1; next } $1 in ids { print $3, $4 }' "
			   PROGS ".ids " PROGS "; rm -f " PROGS " " PROGS ".ids", &rc);
	return rep;
}

static struct json_object *trace_pipe_progs(const char *opts, char **out, char **progs)
{
	return trace_pipe_progs_with(opts, NULL, NULL, out, progs);
}

/*
 * --figures: the groups left out are not loaded (the command, run inside the
 * trace, lists the kernel's programs) and their figures are null with the
 * reason; what is kept is as exact as in a full trace.
 */
static void test_figures_subset(void **state UNUSED)
{
	struct json_object *rep, *why;
	char *out, *progs;
	int rc;

	NEED_BPF();
	rep = trace_pipe_progs("--figures faults,switches", &out, &progs);
	assert_string_equal(jstr(rep, "scenario.params.figures"), "faults,switches");
	/* the core and the groups asked for are loaded; the rest are not */
	assert_non_null(strstr(progs, "name sys_exit_btf"));
	assert_non_null(strstr(progs, "name fault_user_btf"));
	assert_non_null(strstr(progs, "name sched_switch_btf"));
	assert_null(strstr(progs, "name pc_get_pages_bt"));
	assert_null(strstr(progs, "name sock_send_btf"));
	assert_null(strstr(progs, "name skb_copy_btf"));
	assert_null(strstr(progs, "name bio_queue_btf"));
	free(progs);
	/* kept: exact bytes and a fault count; the switch counts are there */
	assert_pipe_exact(rep, out);
	assert_true(jint(rep, "totals.page_faults.user") > 0);
	assert_true(jint(rep, "totals.mode_switches") >
		    2 * jint(rep, "totals.syscalls")); /* with the faults */
	assert_non_null(jget(rep, "totals.context_switches.voluntary"));
	/* left out: null, with the reason */
	assert_null(jget(rep, "totals.page_cache.lookups"));
	assert_true(json_object_object_get_ex(jget(rep, "totals.unavailable"), "page_cache.lookups", &why));
	assert_string_equal(json_object_get_string(why),
			    "tracepoint mm_filemap_get_pages: not asked for (--figures faults,switches)");
	assert_null(jget(rep, "totals.sockets.send_bytes"));
	assert_string_equal(jstr(rep, "totals.observed_copies.pipe_write.method"), "unavailable");
	/* the ledger stands on syscall semantics alone */
	assert_string_equal(jstr(rep, "totals.copies.kernel_to_user.method"), "derived");
	free(out);
	json_object_put(rep);

	/* none: syscalls and the ledger only; mode switches need the faults */
	rep = trace("--figures none -- " IOWORK " pipe 16 65536", &rc, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(jint(rep, "totals.by_fd_kind.pipe.read_bytes"), 1048576);
	assert_null(jget(rep, "totals.page_faults.user"));
	assert_null(jget(rep, "totals.mode_switches"));
	assert_null(jget(rep, "totals.context_switches.voluntary"));
	json_object_put(rep);
}

/* The faults and switches of one process over its whole life, as getrusage sees them. */
static struct json_object *whole_life(struct json_object *rep, const char *phase)
{
	return jget(json_object_array_get_idx(jget(rep, "processes"), 0), phase);
}

static void test_faults_and_switches_vs_getrusage(void **state UNUSED)
{
	struct json_object *rep, *s, *t;
	char *out;
	int rc;
	long long faults, minflt;

	NEED_BPF();
	rep = trace("-- " IOWORK " touch 16", &rc, &out);
	assert_int_equal(rc, 0);
	assert_int_equal(said(out, "pages"), 4096);
	/* getrusage counts from fork: ipctrace's setup phase (fork to exec) plus the trace */
	s = whole_life(rep, "phases.setup");
	t = whole_life(rep, "phases.transfer");
	faults = jint(s, "page_faults.user") + jint(s, "page_faults.kernel") +
		 jint(t, "page_faults.user") + jint(t, "page_faults.kernel");
	minflt = said(out, "minflt") + said(out, "majflt");
	assert_true(jint(t, "page_faults.user_anonymous") >= 4096);
	/* the exit path after getrusage faults a little more; nothing else differs */
	assert_between(faults, minflt, minflt + minflt / 50 + 10);
	assert_between(jint(s, "context_switches.voluntary") + jint(t, "context_switches.voluntary"),
		       said(out, "nvcsw"), said(out, "nvcsw") + 2);
	free(out);
	json_object_put(rep);
}

/*
 * File-backed, then anonymous write faults at the same addresses (the file
 * mapping unmapped, anonymous memory mapped in its place): the thread's
 * remembered mapping (bpf/files.bpf.h, find_mapping()) must not answer for
 * one that is gone. A stale answer would count the second 2,000 as
 * file-backed too.
 */
static void test_fault_mappings_after_remap(void **state UNUSED)
{
	struct json_object *rep, *t;
	const long long n = 2000;
	char *out;
	int rc;

	NEED_BPF();
	rep = trace("-F faults -- " IOWORK " remap /tmp/ipctrace-test-remap 2000", &rc, &out);
	unlink("/tmp/ipctrace-test-remap");
	assert_int_equal(rc, 0);
	assert_int_equal(said(out, "anon_pages"), n);
	t = whole_life(rep, "phases.transfer");
	/* a write fault a page on each mapping; the program's own start adds some dozens */
	assert_between(jint(t, "page_faults.user_file_backed"), n, n + 100);
	assert_between(jint(t, "page_faults.user_anonymous"), n, n + 100);
	free(out);
	json_object_put(rep);
}

static void test_file_table(void **state UNUSED)
{
	struct json_object *rep, *files, *f = NULL;
	char *out;
	int rc;

	NEED_BPF();
	rep = trace("-- " IOWORK " file /tmp/ipctrace-test-file.dat 64 65536", &rc, &out);
	assert_int_equal(rc, 0);
	files = jget(rep, "files");
	for (size_t i = 0; i < json_object_array_length(files); i++)
		if (!strcmp(json_object_get_string(jget(json_object_array_get_idx(files, i), "name")),
			    "/tmp/ipctrace-test-file.dat"))
			f = json_object_array_get_idx(files, i);
	if (!f)
		fail_msg("the file is not in the per-file table");
	assert_int_equal(jint(f, "write_bytes"), said(out, "written"));
	assert_int_equal(jint(f, "read_bytes"), said(out, "read"));
	assert_int_equal(jint(rep, "totals.by_fd_kind.file.write_bytes"), 4194304 + 0);
	/* read back right after writing: every page was in the cache */
	assert_int_equal(jint(f, "page_cache_misses"), 0);
	unlink("/tmp/ipctrace-test-file.dat");
	free(out);
	json_object_put(rep);
}

/*
 * The execve that starts the command is a call the command made: counted
 * once, in the trace (transfer), not in ipctrace's setup; as are the execs
 * of its children. strace counts it too.
 */
static void test_execve_counted(void **state UNUSED)
{
	struct json_object *rep;
	int rc;

	NEED_BPF();
	rep = trace("-- /bin/true", &rc, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(jint(rep, "totals.syscalls_by_name.execve"), 1);
	/* whole run: the path is absolute, so no failed search of $PATH in setup either */
	assert_int_equal(jint(rep, "whole_run.syscalls_by_name.execve"), 1);
	assert_int_equal(strace_calls("/bin/true", "execve"), 1);
	json_object_put(rep);
	/* sh, then two children that exec (or the last exec'd in place): 3 either way */
	rep = trace("-- sh -c '/bin/true; /bin/true'", &rc, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(jint(rep, "totals.syscalls_by_name.execve"), 3);
	json_object_put(rep);
}

/* The rows of files[] named @name, up to @max, into @rows; how many. */
static int file_rows(struct json_object *rep, const char *name, struct json_object **rows, int max)
{
	struct json_object *files = jget(rep, "files");
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(files); i++) {
		struct json_object *f = json_object_array_get_idx(files, i);

		if (!strcmp(jstr(f, "name"), name) && n < max)
			rows[n++] = f;
	}
	return n;
}

/*
 * A file made, deleted, and a second made under the same name: ext4 (/tmp
 * here) gives the second the first's inode number (in a new directory, as
 * other programs make files in /tmp meanwhile; tried again, under a new
 * name, until it does). They are two files,
 * and two rows: 256 KiB written and read from the first, 512 KiB written
 * and read twice from the second; one row keyed by (device, inode) summed
 * them into 786,432 bytes written and 1,310,720 read.
 */
static void test_reused_inode_two_rows(void **state UNUSED)
{
	struct json_object *rep, *rows[3];
	char *out;
	int rc;
	char name[64];

	NEED_BPF();
	rep = trace("-- sh -c 'd=/tmp/ipctrace-test-reuse.d; rm -rf $d; mkdir $d; for i in 1 2 3 4 5; do "
		    "f=$d/f$i; head -c 262144 /dev/zero >$f; a=$(stat -c %i $f); cat $f >/dev/null; rm $f; "
		    "head -c 524288 /dev/zero >$f; b=$(stat -c %i $f); cat $f $f >/dev/null; rm $f; "
		    "[ $a = $b ] && break; done; echo try $i; echo ino1 $a; echo ino2 $b; rmdir $d'",
		    &rc, &out);
	assert_int_equal(rc, 0);
	if (said(out, "ino1") != said(out, "ino2"))
		fail_msg("the file system did not reuse the inode number (%s): nothing to test", out);
	snprintf(name, sizeof(name), "/tmp/ipctrace-test-reuse.d/f%lld", said(out, "try"));
	assert_int_equal(file_rows(rep, name, rows, 3), 2);
	if (jint(rows[0], "write_bytes") != 262144) { /* the order of rows is by activity */
		struct json_object *x = rows[0];

		rows[0] = rows[1];
		rows[1] = x;
	}
	assert_int_equal(jint(rows[0], "ino"), said(out, "ino1"));
	assert_int_equal(jint(rows[1], "ino"), said(out, "ino1"));
	assert_int_equal(jint(rows[0], "write_bytes"), 262144);
	assert_int_equal(jint(rows[0], "read_bytes"), 262144);
	assert_int_equal(jint(rows[1], "write_bytes"), 524288);
	assert_int_equal(jint(rows[1], "read_bytes"), 1048576);
	assert_int_not_equal(jint(rows[0], "generation"), jint(rows[1], "generation"));
	free(out);
	json_object_put(rep);
}

/*
 * What stands in on older kernels (user/kfeatures.c), made to run here by
 * IPCTRACE_TEST_LACK: threads by tid, slots claimed in a hash, global
 * functions made static, mmsg sums without bpf_loop, sched_switch's state
 * read from the task. The 5.10 programs load, and the figures are as exact.
 */
static void test_older_kernel_fallbacks(void **state UNUSED)
{
	struct json_object *rep;
	char *out, *progs;

	NEED_BPF();
	setenv("IPCTRACE_TEST_LACK",
	       "task_storage,fetch_atomics,global_ptr_args,bpf_loop,sched_switch_prev_state", 1);
	rep = trace_pipe_progs("", &out, &progs);
	unsetenv("IPCTRACE_TEST_LACK");
	/* bpftool shows 15 characters of a name */
	assert_non_null(strstr(progs, "name sys_exit_btf_v5"));
	assert_non_null(strstr(progs, "name sys_enter_btf_v"));
	assert_non_null(strstr(progs, "name fork_btf_v510"));
	assert_null(strstr(progs, "name fork_btf\n"));
	assert_non_null(strstr(progs, "name exit_btf_v510"));
	free(progs);
	assert_pipe_exact(rep, out);
	/* sh, iowork and its child, grep, bpftool: five slots claimed without fetching atomics */
	assert_int_equal(json_object_array_length(jget(rep, "processes")), 5);
	assert_true(jint(rep, "totals.context_switches.voluntary") > 0);
	free(out);
	json_object_put(rep);
}

/*
 * 5.17 to 6.1: no bpf_rdonly_cast (6.2), so sys_exit_btf_v61 reads the
 * fd's file with helper calls, one program per syscall still. The
 * figures are as exact.
 */
static void test_no_rdonly_cast(void **state UNUSED)
{
	struct json_object *rep;
	char *out, *progs;

	NEED_BPF();
	rep = trace_pipe_progs_with("", "IPCTRACE_TEST_LACK", "rdonly_cast", &out, &progs);
	assert_non_null(strstr(progs, "name sys_exit_btf_v6"));
	assert_null(strstr(progs, "name sys_enter_btf"));
	assert_null(strstr(progs, "name sys_exit_btf\n"));
	free(progs);
	assert_pipe_exact(rep, out);
	free(out);
	json_object_put(rep);
}

/*
 * One accumulator entry per CPU for every process (user/tracer.c: acc_size()):
 * the pipe's writer, its reader and sh take turns on each row, each turn
 * writing the row's counts to the tables. The figures are as exact.
 */
static void test_acc_shared_rows(void **state UNUSED)
{
	struct json_object *rep;
	char *out, *progs;

	NEED_BPF();
	rep = trace_pipe_progs_with("", "IPCTRACE_TEST_ACC_ENTRIES", "1", &out, &progs);
	free(progs);
	assert_pipe_exact(rep, out);
	/* into pipes: the data, and what the processes printed to stdout (a pipe here) */
	assert_int_equal(jint(rep, "totals.by_fd_kind.pipe.write_bytes"),
			 said(out, "written") + (long long)strlen(out));
	free(out);
	json_object_put(rep);
}

/*
 * A file on tmpfs: the kernel names it from its file system's root ("/x");
 * the row gives its path from "/", through the mount table; a deep one
 * whole, up to 8 components of up to 63 bytes.
 */
static void test_file_full_path(void **state UNUSED)
{
	struct json_object *rep, *f;
	char *out, deep[128], cmd[512];
	int rc;

	NEED_BPF();
	rep = trace("-- " IOWORK " file /dev/shm/ipctrace-test-shm 16 65536", &rc, &out);
	unlink("/dev/shm/ipctrace-test-shm");
	assert_int_equal(rc, 0);
	if (file_rows(rep, "/dev/shm/ipctrace-test-shm", &f, 1) != 1)
		fail_msg("no row named /dev/shm/ipctrace-test-shm in files[]");
	assert_string_equal(jstr(f, "mount_point"), "/dev/shm");
	assert_int_equal(jint(f, "write_bytes"), said(out, "written"));
	assert_int_equal(jint(f, "read_bytes"), said(out, "read"));
	assert_int_equal(file_rows(rep, "/ipctrace-test-shm", &f, 1), 0);
	free(out);
	json_object_put(rep);
	/* 6 directories deep (8 components kept), and a name of 70 bytes, cut at 63 and said so */
	snprintf(deep, sizeof(deep), "/dev/shm/ipctrace-test-d/1/2/3/4/%070d", 0);
	snprintf(cmd, sizeof(cmd), "mkdir -p /dev/shm/ipctrace-test-d/1/2/3/4 && %s trace --json -o "
		 REPORT " -- " IOWORK " file %s 1 65536 >/dev/null 2>&1", ipctrace_bin(), deep);
	free(run_shell(cmd, &rc));
	free(run_shell("rm -rf /dev/shm/ipctrace-test-d", &rc));
	rep = json_object_from_file(REPORT);
	assert_non_null(rep);
	unlink(REPORT);
	snprintf(cmd, sizeof(cmd), "%.*s...", (int)strlen(deep) - 7, deep);
	if (file_rows(rep, cmd, &f, 1) != 1)
		fail_msg("no row named %s in files[]", cmd);
	assert_int_equal(jint(f, "read_bytes"), 65536);
	json_object_put(rep);
}

/* The row of processes[] of the process named @comm (the first), or a failure. */
static struct json_object *proc_named(struct json_object *rep, const char *comm)
{
	struct json_object *procs = jget(rep, "processes");

	for (size_t i = 0; i < json_object_array_length(procs); i++)
		if (!strcmp(jstr(json_object_array_get_idx(procs, i), "comm"), comm))
			return json_object_array_get_idx(procs, i);
	fail_msg("no process named %s in the report", comm);
	return NULL;
}

/* The entry of facts.command.outlived named @comm, or NULL. */
static struct json_object *outlived_named(struct json_object *rep, const char *comm)
{
	struct json_object *arr = jget(rep, "facts.command.outlived");

	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		if (!strcmp(jstr(json_object_array_get_idx(arr, i), "comm"), comm))
			return json_object_array_get_idx(arr, i);
	return NULL;
}

/*
 * sh puts a job in the background and exits at once: the trace follows
 * the job until it ends, counts its 10 MiB read from /dev/zero and
 * written to /dev/null, and names it as having outlived the command.
 */
static void test_background_child_followed(void **state UNUSED)
{
	struct json_object *rep, *dd, *o;
	int rc;

	NEED_BPF();
	rep = trace("-- sh -c '(sleep 1; dd if=/dev/zero of=/dev/null bs=1M count=10 status=none) & "
		    "echo x'", &rc, NULL);
	assert_int_equal(rc, 0);
	assert_true(json_object_get_boolean(jget(rep, "run.complete")));
	dd = proc_named(rep, "dd");
	assert_int_equal(jint(dd, "figures.by_fd_kind.chardev.read_bytes"), 10485760);
	assert_int_equal(jint(dd, "figures.by_fd_kind.chardev.write_bytes"), 10485760);
	assert_true(json_object_get_boolean(jget(dd, "exited")));
	/* the subshell (exec'd into dd) and its sleep outlived sh; nothing is left */
	o = outlived_named(rep, "dd");
	assert_non_null(o);
	assert_true(json_object_get_boolean(jget(o, "exited")));
	assert_non_null(outlived_named(rep, "sleep"));
	assert_int_equal(json_object_array_length(jget(rep, "facts.command.outlived")), 2);
	assert_int_equal(jint(rep, "facts.command.still_running"), 0);
	assert_string_equal(jstr(rep, "facts.command.followed"), "followed until the last exited");
	json_object_put(rep);
	/* a command that leaves nothing behind: an empty list */
	rep = trace("-- sh -c '/bin/true; echo x'", &rc, NULL);
	assert_int_equal(json_object_array_length(jget(rep, "facts.command.outlived")), 0);
	json_object_put(rep);
}

/* Seconds since @t0 (CLOCK_MONOTONIC). */
static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * --no-follow ends the trace with the command; --follow-timeout after that
 * long, the trace then incomplete. Both name what was still running.
 */
static void test_follow_options(void **state UNUSED)
{
	struct json_object *rep, *o;
	struct timespec t0;
	char *out;
	int rc;

	NEED_BPF();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rep = trace("--no-follow -- sh -c 'sleep 5 >/dev/null & echo x'", &rc, NULL);
	assert_true(since(&t0) < 4); /* not the 5 s of the sleep */
	assert_int_equal(rc, 0);
	assert_true(json_object_get_boolean(jget(rep, "run.complete")));
	assert_int_equal(jint(rep, "facts.command.still_running"), 1);
	assert_int_equal(json_object_array_length(jget(rep, "facts.command.outlived")), 1);
	o = json_object_array_get_idx(jget(rep, "facts.command.outlived"), 0);
	assert_false(json_object_get_boolean(jget(o, "exited")));
	assert_non_null(strstr(jstr(rep, "facts.command.followed"), "--no-follow"));
	json_object_put(rep);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rep = trace("--follow-timeout 0.3 -- sh -c 'sleep 5 >/dev/null & echo x'", &rc, NULL);
	assert_between(since(&t0) * 1000, 300, 4000);
	assert_int_equal(rc, 0); /* the command's own status */
	assert_false(json_object_get_boolean(jget(rep, "run.complete")));
	assert_string_equal(jstr(rep, "run.error"), "1 process the command left was still running "
						    "when the trace ended; its figures stop there");
	assert_int_equal(jint(rep, "facts.command.still_running"), 1);
	json_object_put(rep);

	/* the text report names them */
	out = run_cmd("trace --no-follow -- sh -c 'sleep 1 >/dev/null & echo x' 2>&1 >/dev/null", &rc);
	assert_int_equal(rc, 0);
	/* sh's child, named sh or sleep: it may not have exec'd yet */
	assert_non_null(strstr(out, "OUTLIVED THE COMMAND: 1 process: s"));
	assert_non_null(strstr(out, " (still running)\n"));
	assert_non_null(strstr(out, "\n  not followed (--no-follow): the trace ended with the command\n"));
	free(out);
	/* while it follows, stderr says why ipctrace has not returned */
	out = run_cmd("trace --follow-timeout 0.2 -o /dev/null -- sh -c 'sleep 5 >/dev/null & echo x' "
		      "2>&1 >/dev/null", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "ipctrace trace: sh exited; following the 1 process it left running "
				    "for at most 0.2 s (--follow-timeout) (Ctrl-C ends the trace)\n"));
	free(out);
}

/* Ctrl-C (SIGINT) while following what the command left: a report, then 128 + 2. */
static void test_interrupt_while_following(void **state UNUSED)
{
	struct timespec ts = { 0, 50000000L };
	struct json_object *rep;
	pid_t tr, sh = 0, bg = 0;
	int st;
	FILE *f;

	NEED_BPF();
	unlink(REPORT);
	unlink("/tmp/ipctrace-test-pids");
	tr = fork();
	if (tr == 0) {
		execl(ipctrace_bin(), "ipctrace", "trace", "--json", "-o", REPORT, "--", "sh", "-c",
		      "sleep 30 & echo $$ $! >/tmp/ipctrace-test-pids.new; "
		      "mv /tmp/ipctrace-test-pids.new /tmp/ipctrace-test-pids",
		      (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && !(f = fopen("/tmp/ipctrace-test-pids", "r")); i++)
		nanosleep(&ts, NULL);
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d %d", &sh, &bg), 2);
	fclose(f);
	unlink("/tmp/ipctrace-test-pids");
	/* once ipctrace has reaped sh (its pid is gone), it follows the sleep */
	for (int i = 0; i < 200 && kill(sh, 0) == 0; i++)
		nanosleep(&ts, NULL);
	nanosleep(&(struct timespec){ 0, 200000000L }, NULL);
	kill(tr, SIGINT);
	assert_int_equal(waitpid(tr, &st, 0), tr);
	assert_int_equal(kill(bg, 0), 0); /* not ipctrace's to kill */
	kill(bg, SIGKILL);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 128 + SIGINT);
	rep = json_object_from_file(REPORT);
	assert_non_null(rep);
	unlink(REPORT);
	assert_int_equal(jint(rep, "facts.command.exit_status"), 0);
	assert_false(json_object_get_boolean(jget(rep, "run.complete")));
	assert_int_equal(jint(rep, "facts.command.still_running"), 1);
	assert_int_equal(jint(json_object_array_get_idx(jget(rep, "facts.command.outlived"), 0), "pid"),
			 bg);
	assert_string_equal(jstr(rep, "facts.command.followed"),
			    "followed until signal 2 (Interrupt) ended the trace");
	json_object_put(rep);
}

static void test_exit_status(void **state UNUSED)
{
	struct json_object *rep;
	int rc;

	NEED_BPF();
	rep = trace("-- sh -c 'exit 7'", &rc, NULL);
	assert_int_equal(rc, 7);
	assert_int_equal(jint(rep, "facts.command.exit_status"), 7);
	assert_true(json_object_get_boolean(jget(rep, "run.complete")));
	json_object_put(rep);
}

static void test_crash_is_reported(void **state UNUSED)
{
	struct json_object *rep;
	int rc;

	NEED_BPF();
	rep = trace("-- " IOWORK " crash", &rc, NULL);
	assert_int_equal(rc, 128 + SIGSEGV);
	assert_false(json_object_get_boolean(jget(rep, "run.complete")));
	assert_non_null(strstr(json_object_get_string(jget(rep, "run.error")), "signal 11"));
	assert_int_equal(jint(rep, "facts.command.killed_by_signal"), SIGSEGV);
	assert_int_equal(jint(json_object_array_get_idx(jget(rep, "processes"), 0), "killed_by_signal"),
			 SIGSEGV);
	/* the figures until the crash: its ten 1-byte writes */
	assert_int_equal(jint(rep, "totals.syscalls_by_name.write"), 10);
	json_object_put(rep);
}

/*
 * Standard signals do not queue: SIGUSR1 sent 5 times while blocked is
 * one pending signal, 4 sends merged into it, one delivery (the
 * workload's handler ran once: its own witness).
 */
static void test_signals_merged(void **state UNUSED)
{
	static const struct {
		const char *path;
		int64_t n;
	} want[] = { { "totals.signals.generated", 5 },
		     { "totals.signals.merged", 4 },
		     { "totals.signals.delivered", 1 } };
	struct json_object *rep;
	char *out;
	int rc;

	NEED_BPF();
	rep = trace("-- " IOWORK " sigmerge 5", &rc, &out);
	assert_int_equal(rc, 0);
	assert_int_equal(said(out, "handled"), 1);
	free(out);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(jint(rep, want[i].path), want[i].n);
	json_object_put(rep);
	/* -F without signals: the figure is null (its attach point is off) */
	rep = trace("-F faults -- " IOWORK " sigmerge 5", &rc, NULL);
	assert_null(jget(rep, "totals.signals.merged"));
	json_object_put(rep);
}

static void test_identity(void **state UNUSED)
{
	struct json_object *rep;
	char *out;
	int rc;

	NEED_BPF();
	rep = trace("-u nobody -- id -u", &rc, &out);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "65534\n");
	free(out);
	json_object_put(rep);
	/* started through sudo: the invoking user, never silently root */
	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65534", 1);
	rep = trace("-- id -u", &rc, &out);
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	assert_int_equal(rc, 0);
	assert_string_equal(out, "65534\n");
	free(out);
	json_object_put(rep);
}

static void test_output_passes_through(void **state UNUSED)
{
	int rc;
	char *out;

	NEED_BPF();
	out = run_cmd("trace -- echo hello 2>/dev/null", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "hello\n"); /* the report went to stderr */
	free(out);
}

/*
 * Start `ipctrace trace --json -o REPORT -p PID` and wait for its line that
 * the trace has started, the first it prints, or the second after one
 * holding @warning; its stderr stays open in *@ef.
 */
static pid_t trace_pid_warned(pid_t pid, FILE **ef, const char *warning)
{
	char pidarg[32], line[512];
	int err[2];
	pid_t tr;

	snprintf(pidarg, sizeof(pidarg), "%d", pid);
	unlink(REPORT);
	assert_int_equal(pipe(err), 0);
	tr = fork();
	if (tr == 0) {
		dup2(err[1], 2);
		execl(ipctrace_bin(), "ipctrace", "trace", "--json", "-o", REPORT, "-p", pidarg,
		      (char *)NULL);
		_exit(127);
	}
	close(err[1]);
	*ef = fdopen(err[0], "r");
	if (warning) {
		assert_non_null(fgets(line, sizeof(line), *ef));
		assert_non_null(strstr(line, warning));
	}
	assert_non_null(fgets(line, sizeof(line), *ef));
	assert_non_null(strstr(line, "tracing 1 process"));
	return tr;
}

static pid_t trace_pid_started(pid_t pid, FILE **ef)
{
	return trace_pid_warned(pid, ef, NULL);
}

/*
 * trace -p on a process writing 64-byte lines to /dev/null: counted
 * exactly; the report's run.syscall_gate is @gate (NULL: neither held nor
 * broken), and @warning (or NULL) came before the line that the trace began.
 */
static void attach_to_pid(const char *warning, const char *gate)
{
	pid_t spin = fork(), tr;
	struct json_object *rep, *p;
	struct timespec ts = { 0, 300000000L };
	FILE *ef;
	int st;

	if (spin == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed assertion leaves no spinner */
		execl(IOWORK, "iowork", "spin", (char *)NULL);
		_exit(127);
	}
	/* once it says the trace has started, let it count a while */
	tr = trace_pid_warned(spin, &ef, warning);
	nanosleep(&ts, NULL);
	kill(tr, SIGINT); /* with -p, Ctrl-C ends the trace */
	assert_int_equal(waitpid(tr, &st, 0), tr);
	fclose(ef);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(kill(spin, 0), 0); /* the traced process lives on */
	kill(spin, SIGKILL);
	waitpid(spin, NULL, 0);
	rep = load_kept("report", REPORT);
	assert_non_null(rep);
	p = json_object_array_get_idx(jget(rep, "processes"), 0);
	assert_int_equal(jint(p, "pid"), spin);
	assert_true(jint(p, "figures.syscalls_by_name.write") > 100);
	assert_int_equal(jint(p, "figures.by_fd_kind.chardev.write_bytes"),
			 64 * jint(p, "figures.by_fd_kind.chardev.writes"));
	if (gate) {
		assert_string_equal(jstr(rep, "run.syscall_gate"), gate);
	} else {
		assert_string_not_equal(jstr(rep, "run.syscall_gate"), "held");
		assert_string_not_equal(jstr(rep, "run.syscall_gate"), "broken");
	}
	unlink(REPORT);
	json_object_put(rep);
}

static void test_attach_to_pid(void **state UNUSED)
{
	NEED_BPF();
	attach_to_pid(NULL, NULL);
}

/*
 * Without the task iterator's target (IPCTRACE_TEST_HIDE=bpf_iter_task),
 * -p's threads cannot be put in sys_exit's gate: ipctrace says so, the
 * gate stays held open, the figures are the same.
 */
static void test_attach_without_iterator(void **state UNUSED)
{
	struct json_object *rep;
	int rc;

	NEED_BPF();
	rep = trace("-- true", &rc, NULL);
	if (strcmp(jstr(rep, "run.syscall_gate"), "on")) {
		json_object_put(rep);
		printf("skipped: no sys_exit gate on this kernel (run.syscall_gate is not on)\n");
		skip();
	}
	json_object_put(rep);
	setenv("IPCTRACE_TEST_HIDE", "bpf_iter_task", 1);
	attach_to_pid("could not be put in sys_exit's table", "held");
	unsetenv("IPCTRACE_TEST_HIDE");
}

/*
 * -p on a process whose threads all exist before the trace: each thread's
 * writes count, exactly. sys_exit's gate (bpf/gate.bpf.h) lets a thread
 * through only once the task iterator has put it in: a thread missed there
 * would lose its writes here.
 */
static void test_attach_to_threads(void **state UNUSED)
{
	const int threads = 3, n = 1000;
	char nargs[2][16];
	struct json_object *rep, *p;
	int st, in[2], out[2];
	pid_t w, tr;
	FILE *ef;

	NEED_BPF();
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0); /* its report lines: pipe writes, not chardev ones */
	snprintf(nargs[0], sizeof(nargs[0]), "%d", threads);
	snprintf(nargs[1], sizeof(nargs[1]), "%d", n);
	w = fork();
	if (w == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(IOWORK, "iowork", "threads", nargs[0], nargs[1], (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	tr = trace_pid_started(w, &ef);
	/* one go byte per thread, the main thread's too; the trace ends with the process */
	assert_int_equal(write(in[1], "gggggggg", threads + 1), threads + 1);
	close(in[1]);
	assert_int_equal(waitpid(w, &st, 0), w);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(waitpid(tr, &st, 0), tr);
	fclose(ef);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	rep = load_kept("report", REPORT);
	assert_non_null(rep);
	p = json_object_array_get_idx(jget(rep, "processes"), 0);
	assert_int_equal(jint(p, "pid"), w);
	assert_int_equal(jint(p, "figures.by_fd_kind.chardev.writes"), (threads + 1) * n);
	assert_int_equal(jint(p, "figures.by_fd_kind.chardev.write_bytes"), (threads + 1) * n * 64);
	close(out[0]);
	unlink(REPORT);
	json_object_put(rep);
}

/* SIGINT sent to ipctrace (not from the terminal) reaches the command first. */
static void test_interrupt_is_forwarded(void **state UNUSED)
{
	struct timespec ts = { 0, 50000000L };
	struct json_object *rep;
	pid_t tr;
	int st;

	NEED_BPF();
	unlink(REPORT);
	unlink("/tmp/ipctrace-test-started");
	tr = fork();
	if (tr == 0) {
		execl(ipctrace_bin(), "ipctrace", "trace", "--json", "-o", REPORT, "--", "sh", "-c",
		      "echo started >/tmp/ipctrace-test-started; exec sleep 30", (char *)NULL);
		_exit(127);
	}
	/* once the command runs (the programs are attached by then), interrupt ipctrace */
	for (int i = 0; i < 200 && access("/tmp/ipctrace-test-started", F_OK); i++)
		nanosleep(&ts, NULL);
	unlink("/tmp/ipctrace-test-started");
	kill(tr, SIGINT);
	assert_int_equal(waitpid(tr, &st, 0), tr);
	/* sleep died of the SIGINT, and its status is ipctrace's */
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 128 + SIGINT);
	rep = load_kept("report", REPORT);
	assert_non_null(rep);
	assert_int_equal(jint(rep, "facts.command.killed_by_signal"), SIGINT);
	assert_true(jint(rep, "totals.syscalls") > 0);
	unlink(REPORT);
	json_object_put(rep);
}

static void test_interval(void **state UNUSED)
{
	int rc, lines = 0;
	char *out;

	NEED_BPF();
	out = run_cmd("trace --interval 0.1 -o /dev/null -- sleep 0.45 2>&1", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "ipctrace: rates since the line before, per second (bytes in MB/s)\n"
				     " time s   syscalls     u->k     k->u     refs   faults     csw   disk r"
				     "   disk w\n"));
	/* a line per 0.1 s: its time first, one decimal */
	for (char *p = out; (p = strstr(p, "\n    0.")); p++)
		lines++;
	assert_between(lines, 3, 5);
	assert_null(strstr(out, "n/a"));
	free(out);
	/* groups left out are n/a on the rate line, not 0 */
	out = run_cmd("trace -F none --interval 0.1 -o /dev/null -- sleep 0.25 2>&1", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "        0        0        0      n/a     n/a      n/a      n/a\n"));
	free(out);
}

/* More processes than the table holds: counted, said, never silent. */
static void test_many_processes(void **state UNUSED)
{
	struct json_object *rep;
	int rc;
	char *out;

	NEED_BPF();
	rep = trace("-- sh -c 'for i in $(seq 1100); do /bin/true; done'", &rc, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(json_object_array_length(jget(rep, "processes")), 1024);
	/* 1102 processes: sh, the seq of its $(...), and 1100 times true */
	assert_int_equal(jint(rep, "run.untraced_children"), 1102 - 1024);
	json_object_put(rep);
	out = run_cmd("trace -- sh -c 'for i in $(seq 1030); do /bin/true; done' 2>&1 >/dev/null", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "NOT ALL TRACED: 8 processes"));
	free(out);
}

/*
 * Two trace sessions at once, on different programs: each reports its own
 * program's pipe traffic exactly, nothing of the other's (4096-byte writes
 * are atomic and each read takes one whole, so counts are exact too).
 */
static void test_two_sessions_at_once(void **state UNUSED)
{
	static const struct { const char *file; int n; } s[2] = {
		{ "/tmp/ipctrace-test-t1.json", 256 }, { "/tmp/ipctrace-test-t2.json", 64 },
	};
	char cmd[1024];
	int rc;

	NEED_BPF();
	snprintf(cmd, sizeof(cmd),
		 "sh -c '%s trace --json -o %s -- " IOWORK " pipe %d 4096 >/dev/null & "
		 "%s trace --json -o %s -- " IOWORK " pipe %d 4096 >/dev/null; wait $!' 2>/dev/null",
		 ipctrace_bin(), s[0].file, s[0].n, ipctrace_bin(), s[1].file, s[1].n);
	free(run_shell(cmd, &rc));
	assert_int_equal(rc, 0);
	for (int i = 0; i < 2; i++) {
		struct json_object *rep = load_kept("report", s[i].file);

		if (!rep)
			fail_msg("no report in %s", s[i].file);
		unlink(s[i].file);
		assert_int_equal(json_object_array_length(jget(rep, "processes")), 2);
		assert_int_equal(jint(rep, "totals.by_fd_kind.pipe.write_bytes"), s[i].n * 4096LL);
		assert_int_equal(jint(rep, "totals.by_fd_kind.pipe.read_bytes"), s[i].n * 4096LL);
		assert_int_equal(jint(rep, "totals.by_fd_kind.pipe.writes"), s[i].n);
		assert_int_equal(jint(rep, "totals.by_fd_kind.pipe.reads"), s[i].n);
		assert_int_equal(jint(rep, "totals.syscalls_by_name.clone"), 1);
		json_object_put(rep);
	}
}

static void expect_usage(const char *args, const char *needle)
{
	char a[512];
	int rc;
	char *out;

	snprintf(a, sizeof(a), "trace %s 2>&1 >/dev/null", args);
	out = run_cmd(a, &rc);
	if (rc != 2)
		fail_msg("ipctrace trace %s: exit %d, expected 2 (%s)", args, rc, out);
	if (!strstr(out, needle))
		fail_msg("ipctrace trace %s: '%s' lacks '%s'", args, out, needle);
	free(out);
}

static void test_bad_input(void **state UNUSED)
{
	NEED_BPF();
	expect_usage("", "what to trace");
	expect_usage("-p 4000000", "no such process");
	expect_usage("-p abc", "not a process id");
	expect_usage("-p 1 -- true", "not both");
	expect_usage("--interval 0 -- true", "more than 0");
	expect_usage("--interval -1 -- true", "more than 0");
	expect_usage("-u nosuchuser -- true", "no such user");
	expect_usage("-- /nonexistent/command", "cannot run /nonexistent/command");
	expect_usage("-o /nonexistent/dir/report -- true", "cannot write");
	expect_usage("--figures faults,pagecache -- true", "no group 'pagecache'");
	expect_usage("--figures '' -- true", "no group ''");
	expect_usage("--no-follow -p 1", "apply to a command, not to -p");
	expect_usage("--follow-timeout 0 -- true", "--follow-timeout '0': seconds, more than 0");
	expect_usage("--follow-timeout 1x -- true", "seconds, more than 0");
	expect_usage("--no-follow --follow-timeout 1 -- true", "not both");
}

/*
 * A trace that fails after opening its -o file removes the file only if it
 * made it: run as root with -o /dev/null, it used to delete the device node.
 * Here a device node in a private tmpfs, an older file and new paths, for
 * trace and for run (-o and --svg).
 */
static void test_failed_trace_keeps_others_files(void **state UNUSED)
{
	char dir[] = "/tmp/ipctrace-out-XXXXXX", cmd[1024], *out;
	int rc;

	NEED_BPF();
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "unshare -m sh -c 'mount -t tmpfs none %1$s && mknod %1$s/null c 1 3 && "
		 "echo old > %1$s/old && for f in null old new; do "
		 "IPCTRACE_TEST_HIDE=sys_enter %2$s trace -o %1$s/$f -- true 2>/dev/null; echo \"$f $?\"; "
		 "done; IPCTRACE_TEST_HIDE=sys_enter %2$s run pipe -o %1$s/null --svg %1$s/svg 2>/dev/null; "
		 "test -c %1$s/null && echo null kept; test -f %1$s/old && echo old kept; "
		 "test -e %1$s/new || echo new removed; test -e %1$s/svg || echo svg removed'",
		 dir, ipctrace_bin());
	out = run_shell(cmd, &rc);
	rmdir(dir);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "null 1\nold 1\nnew 1\nnull kept\nold kept\nnew removed\nsvg removed\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_bytes_and_syscalls),
		cmocka_unit_test(test_figures_subset),
		cmocka_unit_test(test_faults_and_switches_vs_getrusage),
		cmocka_unit_test(test_fault_mappings_after_remap),
		cmocka_unit_test(test_file_table),
		cmocka_unit_test(test_execve_counted),
		cmocka_unit_test(test_reused_inode_two_rows),
		cmocka_unit_test(test_file_full_path),
		cmocka_unit_test(test_background_child_followed),
		cmocka_unit_test(test_follow_options),
		cmocka_unit_test(test_interrupt_while_following),
		cmocka_unit_test(test_older_kernel_fallbacks),
		cmocka_unit_test(test_no_rdonly_cast),
		cmocka_unit_test(test_acc_shared_rows),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_signals_merged),
		cmocka_unit_test(test_crash_is_reported),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_output_passes_through),
		cmocka_unit_test(test_attach_to_pid),
		cmocka_unit_test(test_attach_without_iterator),
		cmocka_unit_test(test_attach_to_threads),
		cmocka_unit_test(test_interrupt_is_forwarded),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_many_processes),
		cmocka_unit_test(test_two_sessions_at_once),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_failed_trace_keeps_others_files),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
