// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace trace on data paths beyond read/write into files and pipes,
 * held against what the programs themselves moved: dd and head from
 * /dev/zero into /dev/null (no copy into a sink), sendmmsg/recvmmsg (bytes
 * in the msg_len fields, not the message count), and paths the ledger
 * cannot count yet, which must show as not accounted rather than as zero.
 */
#include "compiler.h"
#include "harness.h"

#define DATAPATHS ".output/tests/datapaths"
#define REPORT "/tmp/ipctrace-test-witnesses.json"
#define MIB64 (64LL << 20)

/* ipctrace trace --json -o REPORT -- CMD; the command's stdout in *out. */
static struct json_object *trace(const char *cmd, char **out)
{
	char a[1024];
	struct json_object *o;
	char *text;
	int rc;

	unlink(REPORT);
	snprintf(a, sizeof(a), "trace --json -o " REPORT " -- %s 2>/dev/null", cmd);
	text = run_cmd(a, &rc);
	assert_int_equal(rc, 0);
	if (out)
		*out = text;
	else
		free(text);
	o = json_object_from_file(REPORT);
	if (!o)
		fail_msg("no JSON report from ipctrace %s", a);
	unlink(REPORT);
	return o;
}

/* The value of "key N" in a workload's output. */
static long long said(const char *out, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ' ')
			return atoll(p + n + 1);
	fail_msg("the workload did not say %s: %s", key, out);
	return -1;
}

/* totals.@path, 0 when absent (by_fd_kind lists only kinds that moved anything). */
static long long total(struct json_object *rep, const char *path)
{
	char p[128];
	struct json_object *o = jget(rep, "totals");

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p, *dot; s; s = dot ? dot + 1 : NULL) {
		dot = strchr(s, '.');
		if (dot)
			*dot = 0;
		if (!json_object_object_get_ex(o, s, &o))
			return 0;
	}
	return json_object_get_int64(o);
}

/*
 * Reads of /dev/zero into /dev/null: every byte read is a zero-fill of the
 * user buffer (kernel -> user), every byte written is dropped by the sink
 * unread (discarded), and nothing is copied user -> kernel. Kernel -> user
 * is exact: the zero-fill, the regular files ld.so and the locale code read,
 * and glibc's 8 bytes of getrandom per process.
 */
static void check_zero_to_null(struct json_object *rep)
{
	assert_int_equal(total(rep, "by_fd_kind.chardev.read_bytes"), MIB64);
	assert_int_equal(total(rep, "by_fd_kind.chardev.write_bytes"), MIB64);
	assert_int_equal(total(rep, "discarded.bytes"), MIB64);
	assert_int_equal(total(rep, "discarded.ops"), total(rep, "by_fd_kind.chardev.writes"));
	assert_int_equal(total(rep, "copies.user_to_kernel.bytes"), 0);
	assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(total(rep, "copies.kernel_to_user.bytes"),
			 MIB64 + total(rep, "by_fd_kind.file.read_bytes") +
				 8 * total(rep, "syscalls_by_name.getrandom"));
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
}

static void test_dd_zero_to_null(void **state UNUSED)
{
	struct json_object *rep;

	NEED_BPF();
	/* dd: 64 records of 1 MiB in, 64 out; status=none keeps its summary out of /dev/null */
	rep = trace("dd if=/dev/zero of=/dev/null bs=1M count=64 status=none", NULL);
	check_zero_to_null(rep);
	assert_int_equal(total(rep, "discarded.ops"), 64);
	assert_int_equal(total(rep, "by_fd_kind.chardev.reads"), 64);
	json_object_put(rep);
}

static void test_head_zero_to_null(void **state UNUSED)
{
	struct json_object *rep;

	NEED_BPF();
	/* head -c reads no more than it writes: exactly 64 MiB each way */
	rep = trace("sh -c 'head -c 64M /dev/zero > /dev/null'", NULL);
	check_zero_to_null(rep);
	json_object_put(rep);
}

/*
 * sendmmsg/recvmmsg return a message count: the bytes are the msg_len
 * fields the kernel filled in, which the workload sums itself. Checks the
 * report @rep of `datapaths mmsg 50 16` and its output @out, and frees both.
 */
static void assert_mmsg_exact(struct json_object *rep, char *out)
{
	/* 50 rounds of 16 datagrams of 1000..1015 bytes */
	assert_int_equal(said(out, "sent"), 50 * (16 * 1000 + 120));
	assert_int_equal(said(out, "received"), said(out, "sent"));
	assert_int_equal(total(rep, "by_fd_kind.udp.write_bytes"), said(out, "sent"));
	assert_int_equal(total(rep, "by_fd_kind.udp.read_bytes"), said(out, "received"));
	assert_int_equal(total(rep, "syscalls_by_name.sendmmsg"), said(out, "sendmmsg_calls"));
	assert_int_equal(total(rep, "syscalls_by_name.recvmmsg"), said(out, "recvmmsg_calls"));
	/* into the kernel: the datagrams and what the workload printed (a pipe) */
	assert_int_equal(total(rep, "copies.user_to_kernel.bytes"),
			 said(out, "sent") + (long long)strlen(out));
	/*
	 * Out of it: the datagrams, the files ld.so read and glibc's getrandom.
	 * UDP copies past skb_copy_datagram_iovec: the observation saw less than
	 * the receives returned, so the derived bytes stand, and the difference
	 * is said.
	 */
	assert_int_equal(total(rep, "copies.kernel_to_user.bytes"),
			 said(out, "received") + total(rep, "by_fd_kind.file.read_bytes") +
				 8 * total(rep, "syscalls_by_name.getrandom"));
	assert_string_equal(json_object_get_string(jget(rep, "totals.copies.kernel_to_user.method")),
			    "derived");
	assert_int_equal(total(rep, "sockets.recv_unseen_bytes"),
			 said(out, "received") - total(rep, "sockets.recv_copied_bytes"));
	assert_int_equal(total(rep, "sockets.send_bytes"), said(out, "sent"));
	free(out);
	json_object_put(rep);
}

static void test_mmsg_bytes(void **state UNUSED)
{
	struct json_object *rep;
	char *out;

	NEED_BPF();
	rep = trace(DATAPATHS " mmsg 50 16", &out);
	assert_mmsg_exact(rep, out);
}

/* The same without bpf_loop (before 5.17): sys_exit_btf_v510's bounded loop. */
static void test_mmsg_bytes_bounded(void **state UNUSED)
{
	struct json_object *rep;
	char *out;

	NEED_BPF();
	setenv("IPCTRACE_TEST_LACK", "bpf_loop", 1);
	rep = trace(DATAPATHS " mmsg 50 16", &out);
	unsetenv("IPCTRACE_TEST_LACK");
	assert_mmsg_exact(rep, out);
}

/* The files[] row whose name starts with @prefix (NULL: none). */
static struct json_object *file_row(struct json_object *rep, const char *prefix)
{
	struct json_object *files = jget(rep, "files");

	for (size_t i = 0; files && i < json_object_array_length(files); i++) {
		struct json_object *f = json_object_array_get_idx(files, i);

		if (!strncmp(json_object_get_string(jget(f, "name")), prefix, strlen(prefix)))
			return f;
	}
	return NULL;
}

/*
 * io_uring ops (raw syscalls, each waited for), counted from io_uring's
 * tracepoints in the columns a syscall on the same fds would feed: the CQEs'
 * results, exactly. With SQPOLL the ring's own kernel thread submits them:
 * still the process's.
 */
static void check_uring(const char *mode)
{
	struct json_object *rep, *f;
	char cmd[256], *out;
	long long ops_bytes, ldso;

	snprintf(cmd, sizeof(cmd), DATAPATHS " uring 40 %s", mode);
	rep = trace(cmd, &out);
	ops_bytes = 2 * (said(out, "written") + said(out, "sent") + said(out, "spliced"));
	assert_int_equal(said(out, "written"), 40 * 4096 + 780);
	assert_int_equal(said(out, "read"), said(out, "written"));
	assert_int_equal(said(out, "teed"), said(out, "spliced"));
	assert_int_equal(total(rep, "io_uring.ops"), said(out, "ops"));
	assert_int_equal(total(rep, "io_uring.bytes"), ops_bytes);
	assert_int_equal(total(rep, "by_fd_kind.unix.write_bytes"), said(out, "sent"));
	assert_int_equal(total(rep, "by_fd_kind.unix.read_bytes"), said(out, "received"));
	/* into the kernel: the writes, the sends and what the workload printed (a pipe) */
	assert_int_equal(total(rep, "copies.user_to_kernel.bytes"),
			 said(out, "written") + said(out, "sent") + (long long)strlen(out));
	/* out of it: the reads, the receives, the two pipes drained, ld.so's files, getrandom */
	ldso = total(rep, "by_fd_kind.file.read_bytes") - said(out, "read") - said(out, "spliced");
	assert_int_equal(total(rep, "copies.kernel_to_user.bytes"),
			 said(out, "read") + said(out, "received") + 2 * said(out, "spliced") + ldso +
				 8 * total(rep, "syscalls_by_name.getrandom"));
	/* splice into a pipe and tee: page references, no copy */
	assert_int_equal(total(rep, "page_refs.bytes"), said(out, "spliced") + said(out, "teed"));
	assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
	/* the file: written, read back and spliced; the writes' page-cache inserts are no misses */
	f = file_row(rep, "/tmp/datapaths-uring-");
	assert_non_null(f);
	assert_int_equal(json_object_get_int64(jget(f, "write_bytes")), said(out, "written"));
	assert_int_equal(json_object_get_int64(jget(f, "read_bytes")),
			 said(out, "read") + said(out, "spliced"));
	assert_int_equal(json_object_get_int64(jget(f, "page_cache_misses")), 0);
	free(out);
	json_object_put(rep);
}

static void test_uring_ops(void **state UNUSED)
{
	NEED_BPF();
	check_uring("");
}

static void test_uring_sqpoll(void **state UNUSED)
{
	NEED_BPF();
	check_uring("sqpoll");
}

/* fio's own byte count (io_bytes in its JSON) against the ledger's io_uring figures. */
static void check_fio_uring(const char *rw, const char *dir, const char *kind_key)
{
	struct json_object *rep, *fio, *f;
	char cmd[512], *out;
	long long io_bytes;

	snprintf(cmd, sizeof(cmd),
		 "fio --name=w --ioengine=io_uring --rw=%s --size=16M --bs=64k "
		 "--filename=/tmp/ipctrace-test-fio.dat --output-format=json", rw);
	rep = trace(cmd, &out);
	fio = json_tokener_parse(strchr(out, '{'));
	assert_non_null(fio);
	io_bytes = json_object_get_int64(
		jget(json_object_array_get_idx(jget(fio, "jobs"), 0), dir));
	assert_int_equal(io_bytes, 16 << 20);
	assert_int_equal(total(rep, "io_uring.bytes"), io_bytes);
	assert_int_equal(total(rep, "io_uring.ops"), io_bytes / 65536);
	f = file_row(rep, "/tmp/ipctrace-test-fio.dat");
	assert_non_null(f);
	assert_int_equal(json_object_get_int64(jget(f, kind_key)), io_bytes);
	/* buffered writes insert pages: not read misses */
	assert_int_equal(json_object_get_int64(jget(f, "page_cache_misses")), 0);
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
	json_object_put(fio);
	free(out);
	json_object_put(rep);
}

static void test_fio_uring(void **state UNUSED)
{
	int rc;
	char *v;

	NEED_BPF();
	v = run_shell("fio --version 2>/dev/null", &rc);
	free(v);
	if (rc) {
		printf("skipped: fio is not installed (tools/deps.sh installs it)\n");
		skip();
	}
	unlink("/tmp/ipctrace-test-fio.dat");
	check_fio_uring("write", "write.io_bytes", "write_bytes");
	/* the file is in the page cache now: every read a hit */
	check_fio_uring("read", "read.io_bytes", "read_bytes");
	unlink("/tmp/ipctrace-test-fio.dat");
}

/*
 * process_vm_readv/writev: a copy from one address space into another, its
 * own column (user -> user), the caller's, with the peer's pid; the child
 * whose memory is read and written moves nothing itself.
 */
static void test_process_vm(void **state UNUSED)
{
	struct json_object *rep, *procs, *peer;
	char *out, pid[16];
	int callers = 0;

	NEED_BPF();
	rep = trace(DATAPATHS " vm 60", &out);
	/* 60 rounds of 1000 + i bytes read and 2000 + i written */
	assert_int_equal(said(out, "read"), 60 * 1000 + 1770);
	assert_int_equal(said(out, "written"), 60 * 2000 + 1770);
	assert_int_equal(total(rep, "copies.user_to_user.bytes"),
			 said(out, "read") + said(out, "written"));
	assert_int_equal(total(rep, "copies.user_to_user.ops"), said(out, "calls"));
	snprintf(pid, sizeof(pid), "%lld", said(out, "peer"));
	peer = jget(jget(rep, "totals.copies.user_to_user_peers"), pid);
	assert_int_equal(jint(peer, "read_bytes"), said(out, "read"));
	assert_int_equal(jint(peer, "write_bytes"), said(out, "written"));
	/* not a copy through the kernel's buffers, and nothing left unaccounted */
	assert_int_equal(total(rep, "copies.user_to_kernel.bytes"), (long long)strlen(out));
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
	procs = jget(rep, "processes");
	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *f = jget(json_object_array_get_idx(procs, i), "figures");

		if (jint(f, "copies.user_to_user.bytes"))
			callers++;
	}
	assert_int_equal(callers, 1);
	free(out);
	json_object_put(rep);
}

/*
 * SysV and POSIX message queues: the message is copied into a kernel buffer
 * at send (msgsnd and mq_timedsend return 0: the size argument counts) and
 * out of it at receive (the return value).
 */
static void test_msg_queues(void **state UNUSED)
{
	struct json_object *rep;
	char *out;

	NEED_BPF();
	rep = trace(DATAPATHS " ipc 40", &out);
	assert_int_equal(said(out, "msg_sent"), 40 * 100 + 780);
	assert_int_equal(said(out, "mq_sent"), 40 * 300 + 780);
	assert_int_equal(said(out, "msg_received"), said(out, "msg_sent"));
	assert_int_equal(said(out, "mq_received"), said(out, "mq_sent"));
	/* into the kernel: both sends and what the workload printed (a pipe) */
	assert_int_equal(total(rep, "copies.user_to_kernel.bytes"),
			 said(out, "msg_sent") + said(out, "mq_sent") + (long long)strlen(out));
	assert_int_equal(total(rep, "copies.user_to_kernel.ops"), 2 * 40 + 1);
	/* out of it: both receives, ld.so's files and glibc's getrandom */
	assert_int_equal(total(rep, "copies.kernel_to_user.bytes"),
			 said(out, "msg_received") + said(out, "mq_received") +
				 total(rep, "by_fd_kind.file.read_bytes") +
				 8 * total(rep, "syscalls_by_name.getrandom"));
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
	assert_int_equal(total(rep, "syscalls_by_name.msgsnd"), 40);
	assert_int_equal(total(rep, "syscalls_by_name.mq_timedreceive"), 40);
	free(out);
	json_object_put(rep);
}

/* Data the ledger cannot count is counted as calls, per syscall, and printed. */
static void test_not_accounted(void **state UNUSED)
{
	struct json_object *rep;
	char *out, cmd[256];
	int rc;

	NEED_BPF();
	rep = trace(DATAPATHS " unaccounted 7", &out);
	assert_int_equal(said(out, "calls"), 7);
	assert_int_equal(total(rep, "not_accounted.calls"), 7);
	assert_int_equal(total(rep, "not_accounted.by_syscall.io_submit"), 7);
	/* still syscalls like any other */
	assert_int_equal(total(rep, "syscalls_by_name.io_submit"), 7);
	free(out);
	json_object_put(rep);
	/* the text report says so in a line; a run with none has no such line */
	snprintf(cmd, sizeof(cmd), "trace -- " DATAPATHS " unaccounted 3 2>&1");
	out = run_cmd(cmd, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "NOT ACCOUNTED: 3 data calls"));
	assert_non_null(strstr(out, "io_submit 3"));
	free(out);
	out = run_cmd("trace -- true 2>&1", &rc);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "NOT ACCOUNTED"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dd_zero_to_null),
		cmocka_unit_test(test_head_zero_to_null),
		cmocka_unit_test(test_mmsg_bytes),
		cmocka_unit_test(test_mmsg_bytes_bounded),
		cmocka_unit_test(test_not_accounted),
		cmocka_unit_test(test_process_vm),
		cmocka_unit_test(test_msg_queues),
		cmocka_unit_test(test_uring_ops),
		cmocka_unit_test(test_uring_sqpoll),
		cmocka_unit_test(test_fio_uring),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
