// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace trace of programs nobody here wrote, held against their own
 * counts: fio's io_bytes for its sync, psync, vsync, pvsync2, posixaio and
 * splice engines (buffered and O_DIRECT); stress-ng's bogo ops for its
 * pipe, fifo, sendfile, splice, vm-splice, sock, udp, vm-rw, msg, mq and
 * readahead stressors, with strace -c -f's call counts; coreutils cat, dd
 * and cp against the file sizes; and copy_file_range on an XFS reflink
 * image made for the test, where the kernel shares extents and copies
 * nothing. stress-ng 0.15.06 (Debian 12) counts ops, not bytes (its
 * --metrics and --yaml give bogo ops and MB/s rates): its bytes are bounded
 * by its ops and each stressor's fixed size, the bound stated at each
 * test; strace -c gives the calls, and for msg and mq the exact bytes
 * (fixed-size messages times the sends that succeeded).
 */
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include "compiler.h"
#include "harness.h"

#define REPORT "/tmp/ipctrace-test-programs.json"
#define FIO_FILE "/tmp/ipctrace-test-programs-fio.dat"
#define STRACE_OUT "/tmp/ipctrace-test-programs.strace"
#define MIB (1LL << 20)

#include "witness.h"

/* @prog runs here (its --version exits 0), or the test is skipped with the reason. */
static void need(const char *prog, const char *package)
{
	char cmd[128], *v;
	int rc;

	snprintf(cmd, sizeof(cmd), "%s --version >/dev/null 2>&1", prog);
	v = run_shell(cmd, &rc);
	free(v);
	if (rc) {
		printf("skipped: %s is not installed (%s; tools/deps.sh test installs it)\n", prog,
		       package);
		skip();
	}
}

/* /tmp is on @magic (statfs f_type). */
static bool tmp_is(long magic)
{
	struct statfs sf;

	return !statfs("/tmp", &sf) && sf.f_type == magic;
}

/*
 * One fio engine: fio's io_bytes (16 MiB) exactly in its file's row, in the
 * O_DIRECT column with --direct=1, and in no O_DIRECT figure without.
 * posixaio's preads and pwrites run in glibc's helper threads: counted as
 * the syscalls they are, the process's.
 */
static void check_fio_engine(const char *engine, const char *rw, bool direct)
{
	bool write = !strcmp(rw, "write");
	struct json_object *rep;
	long long io_bytes;
	char opts[128];

	snprintf(opts, sizeof(opts), "--ioengine=%s --direct=%d", engine, direct);
	rep = trace_fio(opts, rw, write ? "write.io_bytes" : "read.io_bytes", &io_bytes);
	check_fio_file(rep, write ? "write_bytes" : "read_bytes", io_bytes);
	assert_int_equal(total(rep, "direct_io.bytes"), direct ? io_bytes : 0);
	if (direct)
		assert_int_equal(total(rep, "direct_io.ops"), io_bytes / 65536);
	else if (write) /* every byte fio wrote into a file or a pipe was copied in */
		assert_int_equal(total(rep, "copies.user_to_kernel.bytes"),
				 total(rep, "by_fd_kind.file.write_bytes") +
					 total(rep, "by_fd_kind.pipe.write_bytes"));
	else
		assert_true(total(rep, "copies.kernel_to_user.bytes") >= io_bytes);
	assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes"), 0);
	json_object_put(rep);
}

static void test_fio_sync_engines(void **state UNUSED)
{
	static const char *const engines[] = { "sync", "psync", "vsync", "pvsync2", "posixaio" };
	bool disk = !tmp_is(TMPFS_MAGIC); /* tmpfs's O_DIRECT is no device's */

	NEED_BPF();
	need("fio", "fio");
	for (size_t i = 0; i < sizeof(engines) / sizeof(*engines); i++) {
		unlink(FIO_FILE);
		check_fio_engine(engines[i], "write", false);
		check_fio_engine(engines[i], "read", false);
		if (disk) {
			check_fio_engine(engines[i], "write", true);
			check_fio_engine(engines[i], "read", true);
		}
	}
	unlink(FIO_FILE);
	if (!disk) {
		printf("skipped: --direct=1 (/tmp is tmpfs, whose O_DIRECT is no device's)\n");
		skip();
	}
}

/*
 * fio's splice engine: a write vmsplices fio's buffer into a pipe (page
 * references) and splices the pipe into the file (a copy inside the
 * kernel, or with O_DIRECT the device's); a read splices the file into a
 * pipe (page references) and vmsplices it out (a copy to user memory).
 */
static void check_fio_splice(const char *rw, bool direct)
{
	bool write = !strcmp(rw, "write");
	struct json_object *rep;
	long long io_bytes;

	rep = trace_fio(direct ? "--ioengine=splice --direct=1" : "--ioengine=splice", rw,
			write ? "write.io_bytes" : "read.io_bytes", &io_bytes);
	check_fio_file(rep, write ? "write_bytes" : "read_bytes", io_bytes);
	assert_int_equal(total(rep, "page_refs.bytes"), io_bytes);
	assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes"), write && !direct ? io_bytes : 0);
	assert_int_equal(total(rep, "direct_io.bytes"), write && direct ? io_bytes : 0);
	if (!write)
		assert_true(total(rep, "copies.kernel_to_user.bytes") >= io_bytes);
	json_object_put(rep);
}

static void test_fio_splice(void **state UNUSED)
{
	NEED_BPF();
	need("fio", "fio");
	unlink(FIO_FILE);
	check_fio_splice("write", false);
	check_fio_splice("read", false);
	if (!tmp_is(TMPFS_MAGIC)) {
		check_fio_splice("write", true);
		/*
		 * an O_DIRECT file splices through copy_splice_read(): the
		 * device fills kernel pages, passed on as page references; no
		 * byte moves to or from fio's pages in the splice
		 */
		check_fio_splice("read", true);
	}
	unlink(FIO_FILE);
}

#define STRESS_YAML "/tmp/ipctrace-test-programs.yaml"

/* The ops of one stress-ng run, and strace -c -f's counts of the syscalls it watched. */
struct stress {
	struct json_object *rep;
	long long ops;  /* stress-ng's bogo ops (its --yaml) */
	char *strace;   /* strace -c's table */
};

/* The value after "@key" in @text (a YAML line, a strace -c row); -1 when absent. */
static long long value_after(const char *text, const char *key)
{
	const char *p = text ? strstr(text, key) : NULL;

	return p ? atoll(p + strlen(key)) : -1;
}

/* A whole small file, NUL-terminated (NULL: cannot be read). */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/*
 * strace -c's calls (@errors false) or errors (true) of @sys: its row is
 * "% time, seconds, usecs/call, calls, [errors,] syscall"; 0 when it has no
 * row (never called).
 */
static long long strace_count(const struct stress *st, const char *sys, bool errors)
{
	char line[256], *tok[8], *save;
	const char *p = st->strace;
	int n;

	while (p && *p) {
		size_t len = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		n = 0;
		for (char *t = strtok_r(line, " \t", &save); t && n < 8; t = strtok_r(NULL, " \t", &save))
			tok[n++] = t;
		if ((n == 5 || n == 6) && !strcmp(tok[n - 1], sys))
			return errors ? (n == 6 ? atoll(tok[4]) : 0) : atoll(tok[3]);
	}
	return 0;
}

/*
 * ipctrace trace -- strace -f -c -e trace=@watch stress-ng --@stressor 1
 * @args: one instance, quiet, its ops in STRESS_YAML; the report, the ops
 * and strace's table. strace makes none of the syscalls it is asked to
 * watch here, so the trace's counts of them are stress-ng's alone.
 */
static struct stress trace_stress(const char *stressor, const char *args, const char *watch)
{
	struct stress st;
	char cmd[512], *yaml;

	unlink(STRESS_YAML);
	unlink(STRACE_OUT);
	snprintf(cmd, sizeof(cmd),
		 "strace -f -c -o " STRACE_OUT " -e trace=%s stress-ng -q --%s 1 %s --metrics "
		 "--temp-path /tmp -Y " STRESS_YAML,
		 watch, stressor, args);
	st.rep = trace(cmd, NULL);
	st.strace = read_text(STRACE_OUT);
	yaml = read_text(STRESS_YAML);
	st.ops = value_after(yaml, "bogo-ops: ");
	free(yaml);
	unlink(STRESS_YAML);
	unlink(STRACE_OUT);
	assert_true(st.ops > 0);
	assert_non_null(st.strace);
	assert_int_equal(total(st.rep, "not_accounted.calls"), 0);
	return st;
}

/*
 * Every syscall in @names (comma-separated) made as often as strace
 * counted, or up to @killed more: a blocking call that stress-ng's stop
 * kills inside the kernel has entered (the trace counts it) but never
 * returns to strace -c.
 */
static void calls_within(const struct stress *st, const char *names, long long killed)
{
	char buf[256], path[96];

	snprintf(buf, sizeof(buf), "%s", names);
	for (char *save, *n = strtok_r(buf, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
		snprintf(path, sizeof(path), "syscalls_by_name.%s", n);
		if (total(st->rep, path) < strace_count(st, n, false) ||
		    total(st->rep, path) > strace_count(st, n, false) + killed)
			fail_msg("%s: %lld calls in the trace, strace counted %lld (+%lld)", n,
				 total(st->rep, path), strace_count(st, n, false), killed);
	}
}

/* Exactly as strace counted: calls that do not block. */
static void same_calls(const struct stress *st, const char *names)
{
	calls_within(st, names, 0);
}

static void stress_done(struct stress *st)
{
	json_object_put(st->rep);
	free(st->strace);
}

/* @v is within [lo, hi] (the bound the test states). */
#define assert_within(v, lo, hi) assert_in_range((v), (lo), (hi))

/*
 * pipe: each op one write of --pipe-data-size bytes into the pipe (and one
 * more that ends the reader); fifo: 8 bytes a write. All copies, the
 * reader never reading more than was written.
 */
static void check_pipe_like(const char *stressor, const char *args, const char *kind, long long size)
{
	struct stress st;
	char w[64], wb[64], rb[64];

	need("stress-ng", "stress-ng");
	snprintf(w, sizeof(w), "by_fd_kind.%s.writes", kind);
	snprintf(wb, sizeof(wb), "by_fd_kind.%s.write_bytes", kind);
	snprintf(rb, sizeof(rb), "by_fd_kind.%s.read_bytes", kind);
	st = trace_stress(stressor, args, "none");
	assert_within(total(st.rep, w), st.ops, st.ops + 1);
	assert_int_equal(total(st.rep, wb), size * total(st.rep, w));
	assert_true(total(st.rep, rb) <= total(st.rep, wb));
	assert_true(total(st.rep, "copies.user_to_kernel.bytes") >= total(st.rep, wb));
	assert_true(total(st.rep, "copies.kernel_to_user.bytes") >= total(st.rep, rb));
	stress_done(&st);
}

static void test_stress_pipe_fifo(void **state UNUSED)
{
	NEED_BPF();
	check_pipe_like("pipe", "--pipe-ops 2000 --pipe-data-size 512", "pipe", 512);
	check_pipe_like("fifo", "--fifo-ops 2000", "fifo", 8);
}

/*
 * sendfile of a file into /dev/null, --sendfile-size bytes an op (and a
 * last byte): discarded by the sink, no copy; as many calls as strace saw.
 */
static void test_stress_sendfile(void **state UNUSED)
{
	struct stress st;

	NEED_BPF();
	need("stress-ng", "stress-ng");
	st = trace_stress("sendfile", "--sendfile-ops 50 --sendfile-size 1M", "sendfile");
	same_calls(&st, "sendfile");
	assert_within(total(st.rep, "discarded.bytes"), st.ops * MIB, (st.ops + 1) * MIB);
	assert_int_equal(total(st.rep, "discarded.bytes"), total(st.rep, "by_fd_kind.chardev.write_bytes"));
	assert_int_equal(total(st.rep, "copies.kernel_to_kernel.bytes"), 0);
	assert_true(total(st.rep, "copies.user_to_kernel.bytes") < MIB);
	stress_done(&st);
}

/*
 * splice: /dev/zero into a pipe (the zero-fill of the pipe's pages, a copy
 * inside the kernel, the device's bytes read), pipes into pipes (page
 * references), a pipe into /dev/null (discarded, its bytes written).
 * vm-splice: 64 KiB of user pages into a pipe (page references) and the
 * pipe into /dev/null, an op each.
 */
static void test_stress_splice(void **state UNUSED)
{
	struct stress st;

	NEED_BPF();
	need("stress-ng", "stress-ng");
	st = trace_stress("splice", "--splice-ops 200", "splice");
	same_calls(&st, "splice");
	assert_int_equal(total(st.rep, "copies.kernel_to_kernel.bytes"),
			 total(st.rep, "by_fd_kind.chardev.read_bytes"));
	assert_int_equal(total(st.rep, "discarded.bytes"),
			 total(st.rep, "by_fd_kind.chardev.write_bytes"));
	assert_true(total(st.rep, "discarded.bytes") > 0);
	assert_true(total(st.rep, "page_refs.bytes") > 0);
	stress_done(&st);
	st = trace_stress("vm-splice", "--vm-splice-ops 200 --vm-splice-bytes 64K", "vmsplice,splice");
	same_calls(&st, "vmsplice,splice");
	assert_within(total(st.rep, "page_refs.bytes"), st.ops * 65536, (st.ops + 1) * 65536);
	/* the spliced pages and what stress-ng wrote on stderr (the test's /dev/null) */
	assert_true(total(st.rep, "discarded.bytes") >= total(st.rep, "page_refs.bytes"));
	assert_int_equal(total(st.rep, "copies.kernel_to_kernel.bytes"), 0);
	stress_done(&st);
}

/*
 * TCP over loopback, one op a round of sends (stress-ng 0.15: 511 sends of
 * 4096 bytes, one sendmsg of 511 x 4096, one sendmmsg of 4 such messages):
 * every byte sent a copy in, every byte received a copy out, the calls as
 * strace counted them.
 */
static void check_sock(const char *opt, const char *send, const char *recv, long long per_op)
{
	struct stress st;
	char args[96], calls[64];

	snprintf(args, sizeof(args), "--sock-ops 20 --sock-opts %s", opt);
	snprintf(calls, sizeof(calls), "%s,%s", send, recv);
	st = trace_stress("sock", args, calls);
	/* either side may be killed waiting (a full socket buffer, an empty one) */
	calls_within(&st, send, 1);
	calls_within(&st, recv, 1);
	assert_within(total(st.rep, "by_fd_kind.tcp.write_bytes"), st.ops * per_op,
		      (st.ops + 1) * per_op);
	assert_true(total(st.rep, "by_fd_kind.tcp.read_bytes") <=
		    total(st.rep, "by_fd_kind.tcp.write_bytes"));
	assert_true(total(st.rep, "copies.user_to_kernel.bytes") >=
		    total(st.rep, "by_fd_kind.tcp.write_bytes"));
	assert_true(total(st.rep, "copies.kernel_to_user.bytes") >=
		    total(st.rep, "by_fd_kind.tcp.read_bytes"));
	stress_done(&st);
}

static void test_stress_sock(void **state UNUSED)
{
	NEED_BPF();
	need("stress-ng", "stress-ng");
	check_sock("send", "sendto", "recvfrom", 511 * 4096);
	check_sock("sendmsg", "sendmsg", "recvmsg", 511 * 4096);
	check_sock("sendmmsg", "sendmmsg", "recvmmsg", 4 * 511 * 4096);
}

/*
 * UDP over loopback: one op a datagram received; what was received a copy
 * out, the derived figure standing where the observation saw less.
 */
static void test_stress_udp(void **state UNUSED)
{
	struct stress st;

	NEED_BPF();
	need("stress-ng", "stress-ng");
	st = trace_stress("udp", "--udp-ops 2000", "sendto,recvfrom");
	/* either side may be killed waiting (a full send buffer, no datagram) */
	calls_within(&st, "sendto,recvfrom", 1);
	assert_within(total(st.rep, "by_fd_kind.udp.reads"), st.ops, st.ops + 1);
	assert_true(total(st.rep, "by_fd_kind.udp.read_bytes") <=
		    total(st.rep, "by_fd_kind.udp.write_bytes"));
	assert_true(total(st.rep, "copies.kernel_to_user.bytes") >=
		    total(st.rep, "by_fd_kind.udp.read_bytes"));
	assert_true(total(st.rep, "copies.user_to_kernel.bytes") >=
		    total(st.rep, "by_fd_kind.udp.write_bytes"));
	stress_done(&st);
}

/*
 * vm-rw: each op writes --vm-rw-bytes into the peer's memory and reads
 * them back (process_vm_writev, process_vm_readv): user -> user, both ways.
 * Not under strace's eye: strace reads its tracees with process_vm_readv.
 */
static void test_stress_vm_rw(void **state UNUSED)
{
	struct stress st;

	NEED_BPF();
	need("stress-ng", "stress-ng");
	st = trace_stress("vm-rw", "--vm-rw-ops 100 --vm-rw-bytes 1M", "none");
	assert_within(total(st.rep, "copies.user_to_user.bytes"), st.ops * 2 * MIB,
		      (st.ops + 1) * 2 * MIB);
	assert_int_equal(total(st.rep, "copies.kernel_to_kernel.bytes"), 0);
	stress_done(&st);
}

/*
 * The bytes of IPC messages copied into the kernel: every byte copied in
 * that no fd took (message queues have none in the ledger's kinds); the
 * bytes a sink took were not copied in (stress-ng's stderr: /dev/null).
 */
static long long ipc_bytes_in(struct json_object *rep)
{
	struct json_object *kinds = jget(rep, "totals.by_fd_kind");
	long long fds = 0;

	json_object_object_foreach(kinds, k, v)
	{
		(void)k;
		fds += jint(v, "write_bytes");
	}
	return total(rep, "copies.user_to_kernel.bytes") - (fds - total(rep, "discarded.bytes"));
}

/*
 * SysV msg (4-byte messages) and POSIX mq (8-byte): exactly the size of
 * every send strace saw succeed.
 */
static void test_stress_msg_mq(void **state UNUSED)
{
	struct stress st;

	NEED_BPF();
	need("stress-ng", "stress-ng");
	st = trace_stress("msg", "--msg-ops 2000", "msgsnd,msgrcv");
	/* either side may be killed waiting (a full queue, an empty one) */
	calls_within(&st, "msgsnd,msgrcv", 1);
	assert_int_equal(ipc_bytes_in(st.rep),
			 4 * (strace_count(&st, "msgsnd", false) - strace_count(&st, "msgsnd", true)));
	stress_done(&st);
	st = trace_stress("mq", "--mq-ops 2000", "mq_timedsend,mq_timedreceive");
	calls_within(&st, "mq_timedsend,mq_timedreceive", 1);
	assert_int_equal(ipc_bytes_in(st.rep),
			 8 * (strace_count(&st, "mq_timedsend", false) -
			      strace_count(&st, "mq_timedsend", true)));
	stress_done(&st);
}

/*
 * readahead: readahead(2) moves nothing to user memory; each op then
 * preads 4 KiB of the file it wrote (--readahead-bytes).
 */
static void test_stress_readahead(void **state UNUSED)
{
	struct stress st;

	NEED_BPF();
	need("stress-ng", "stress-ng");
	/* pread64 not compared: ld.so's of strace itself are in the trace */
	st = trace_stress("readahead", "--readahead-ops 100 --readahead-bytes 16M", "readahead");
	same_calls(&st, "readahead");
	assert_true(total(st.rep, "by_fd_kind.file.write_bytes") >= 16 * MIB);
	assert_true(total(st.rep, "by_fd_kind.file.read_bytes") >= st.ops * 4096);
	assert_true(total(st.rep, "page_cache.prefetched") + total(st.rep, "page_cache.hits") > 0);
	stress_done(&st);
}

/* A private directory for one test, removed after it ("" when none could be made). */
struct scratch {
	char dir[64];
	char img[96]; /* the XFS image */
	char mnt[96]; /* its mount point */
	char dev[32]; /* its loop device */
	bool mounted;
	char why[200]; /* why the XFS image is not there: the test skips */
};

static int scratch_setup(void **state)
{
	static struct scratch sc;

	memset(&sc, 0, sizeof(sc));
	*state = &sc;
	snprintf(sc.dir, sizeof(sc.dir), "/tmp/ipctrace-test-programs-XXXXXX");
	if (!mkdtemp(sc.dir)) {
		sc.dir[0] = 0;
		snprintf(sc.why, sizeof(sc.why), "no temporary directory");
	}
	return 0;
}

/* @path in the scratch directory, in @buf. */
static const char *in_dir(const struct scratch *sc, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", sc->dir, name);
	return buf;
}

/* A file of @size bytes (a pattern, not zeros), written by the test itself, synced. */
static void make_file(const char *path, long long size)
{
	static char buf[1 << 16];
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0600);

	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 31 + 7);
	for (long long left = size; left > 0; left -= (long long)sizeof(buf)) {
		size_t n = left < (long long)sizeof(buf) ? (size_t)left : sizeof(buf);

		assert_int_equal(write(fd, buf, n), (ssize_t)n);
	}
	assert_int_equal(fsync(fd), 0);
	close(fd);
}

/* @cmd's exit status, its output in @why (for a skip) when it failed. */
static int shell_ok(const char *cmd, char *why, size_t len)
{
	int rc;
	char *out = run_shell(cmd, &rc);

	if (rc)
		snprintf(why, len, "%.60s: exit %d: %.100s", cmd, rc, out);
	free(out);
	return rc;
}

/*
 * An XFS image with reflink (mkfs.xfs -m reflink=1, 320 MiB: XFS's least is
 * 300) on a loop device, mounted on a directory of the scratch directory.
 */
static int xfs_setup(void **state)
{
	struct scratch *sc;
	char cmd[256], *out;
	int rc, fd;

	scratch_setup(state);
	sc = *state;
	if (!sc->dir[0])
		return 0;
	in_dir(sc, "img", sc->img, sizeof(sc->img));
	in_dir(sc, "mnt", sc->mnt, sizeof(sc->mnt));
	fd = open(sc->img, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0600);
	if (fd < 0 || ftruncate(fd, 320 << 20) || mkdir(sc->mnt, 0700)) {
		snprintf(sc->why, sizeof(sc->why), "cannot make the image or mount point in %s", sc->dir);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "mkfs.xfs -q -m reflink=1 %s 2>&1", sc->img);
	if (shell_ok(cmd, sc->why, sizeof(sc->why)))
		return 0;
	snprintf(cmd, sizeof(cmd), "losetup -f --show %s 2>&1", sc->img);
	out = run_shell(cmd, &rc);
	if (rc || strncmp(out, "/dev/loop", 9))
		snprintf(sc->why, sizeof(sc->why), "losetup (exit %d): %.100s", rc, out);
	else
		snprintf(sc->dev, sizeof(sc->dev), "%.*s", (int)strcspn(out, "\n"), out);
	free(out);
	if (!sc->dev[0])
		return 0;
	snprintf(cmd, sizeof(cmd), "mount -t xfs %s %s 2>&1", sc->dev, sc->mnt);
	sc->mounted = !shell_ok(cmd, sc->why, sizeof(sc->why));
	return 0;
}

/* Every path: unmount, detach the loop device, remove what was made. */
static int scratch_teardown(void **state)
{
	struct scratch *sc = *state;
	char cmd[160], *out;
	int rc;

	if (sc->mounted) {
		snprintf(cmd, sizeof(cmd), "umount %s 2>&1", sc->mnt);
		out = run_shell(cmd, &rc);
		free(out);
	}
	if (sc->dev[0]) {
		snprintf(cmd, sizeof(cmd), "losetup -d %s 2>&1", sc->dev);
		out = run_shell(cmd, &rc);
		free(out);
	}
	if (sc->dir[0]) { /* what is left in it: the image, the files of a test */
		snprintf(cmd, sizeof(cmd), "rm -rf --one-file-system %s", sc->dir);
		out = run_shell(cmd, &rc);
		free(out);
	}
	return 0;
}

#define CU_SIZE (4LL * MIB + 12345)

/*
 * coreutils against the file's size: cat into /dev/null reads and writes
 * (discarded), dd copies through its buffer, cat into a file and cp use
 * copy_file_range: on ext4 and tmpfs (no remap there) a copy inside the
 * kernel; where a remap may serve it, in those columns instead.
 */
static void test_coreutils(void **state)
{
	struct scratch *sc = *state;
	char src[96], dst[96], cmd[320];
	struct json_object *rep;
	bool splices = tmp_is(EXT4_SUPER_MAGIC) || tmp_is(TMPFS_MAGIC);

	NEED_BPF();
	assert_true(sc->dir[0]);
	make_file(in_dir(sc, "src", src, sizeof(src)), CU_SIZE);
	snprintf(cmd, sizeof(cmd), "sh -c 'cat %s > /dev/null'", src);
	rep = trace(cmd, NULL);
	assert_int_equal(jint(file_row(rep, src), "read_bytes"), CU_SIZE);
	assert_int_equal(total(rep, "discarded.bytes"), CU_SIZE);
	json_object_put(rep);
	snprintf(cmd, sizeof(cmd), "dd if=%s of=%s bs=64K status=none", src, in_dir(sc, "dd", dst, sizeof(dst)));
	rep = trace(cmd, NULL);
	assert_int_equal(jint(file_row(rep, src), "read_bytes"), CU_SIZE);
	assert_int_equal(jint(file_row(rep, dst), "write_bytes"), CU_SIZE);
	assert_true(total(rep, "copies.user_to_kernel.bytes") >= CU_SIZE);
	json_object_put(rep);
	for (int i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd), i ? "cp %s %s" : "sh -c 'cat %s > %s'", src,
			 in_dir(sc, i ? "cp" : "cat", dst, sizeof(dst)));
		rep = trace(cmd, NULL);
		assert_int_equal(jint(file_row(rep, dst), "write_bytes"), CU_SIZE);
		assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes") +
					 total(rep, "remapped.bytes") + total(rep, "copied_or_remapped.bytes"),
				 CU_SIZE);
		if (splices)
			assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes"), CU_SIZE);
		json_object_put(rep);
	}
}

/*
 * copy_file_range on XFS with reflink (xfs_io's copy_range): 64 MiB whose
 * extents the file system shares: remapped, nothing copied, no page of
 * the copy inserted into the page cache; from an unaligned offset the
 * remap is refused and the kernel splices (a copy, every page inserted).
 * Without the tracepoint nothing tells the two apart: "copied or
 * remapped", the remapped figure null with its reason. cp --reflink=always
 * shares them by ioctl FICLONE: remapped by ioctl.
 */
static void test_xfs_reflink(void **state)
{
	struct scratch *sc = *state;
	char src[128], cmd[400];
	struct json_object *rep;

	NEED_BPF();
	if (!sc->mounted) {
		printf("skipped: no XFS image: %s (tools/deps.sh test installs xfsprogs)\n", sc->why);
		skip();
	}
	snprintf(src, sizeof(src), "%s/src", sc->mnt);
	make_file(src, 64 * MIB);
	snprintf(cmd, sizeof(cmd), "xfs_io -f -c 'copy_range -s 0 -d 0 -l 64m %s' %s/shared", src, sc->mnt);
	rep = trace(cmd, NULL);
	assert_int_equal(total(rep, "remapped.bytes"), 64 * MIB);
	assert_int_equal(total(rep, "remapped.ops"), 1);
	assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(total(rep, "copied_or_remapped.bytes"), 0);
	assert_int_equal(total(rep, "page_cache.inserted_by_writes"), 0);
	json_object_put(rep);
	snprintf(cmd, sizeof(cmd), "xfs_io -f -c 'copy_range -s 100 -d 100 -l 4m %s' %s/copied", src, sc->mnt);
	rep = trace(cmd, NULL);
	assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes"), 4 * MIB);
	assert_int_equal(total(rep, "remapped.bytes"), 0);
	assert_true(total(rep, "page_cache.inserted_by_writes") >= 4 * MIB / 4096);
	json_object_put(rep);
	/* the tracepoint missing (as where XFS is a module not loaded): "copied or remapped" */
	snprintf(cmd, sizeof(cmd), "xfs_io -f -c 'copy_range -s 0 -d 0 -l 64m %s' %s/unwatched", src,
		 sc->mnt);
	setenv("IPCTRACE_TEST_HIDE", "xfs_reflink_remap_range", 1);
	rep = trace(cmd, NULL);
	unsetenv("IPCTRACE_TEST_HIDE");
	assert_int_equal(total(rep, "copied_or_remapped.bytes"), 64 * MIB);
	assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes"), 0);
	assert_true(json_object_is_type(jget(rep, "totals.remapped"), json_type_null));
	assert_non_null(strstr(json_object_get_string(jget(rep, "totals.unavailable.remapped")),
			       "xfs_reflink_remap_range"));
	json_object_put(rep);
	snprintf(cmd, sizeof(cmd), "cp --reflink=always %s %s/cloned", src, sc->mnt);
	rep = trace(cmd, NULL);
	assert_int_equal(total(rep, "remapped_by_ioctl.bytes"), 64 * MIB);
	assert_int_equal(total(rep, "remapped_by_ioctl.ops"), 1);
	assert_int_equal(total(rep, "copies.kernel_to_kernel.bytes") + total(rep, "remapped.bytes"), 0);
	json_object_put(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fio_sync_engines),
		cmocka_unit_test(test_fio_splice),
		cmocka_unit_test(test_stress_pipe_fifo),
		cmocka_unit_test(test_stress_sendfile),
		cmocka_unit_test(test_stress_splice),
		cmocka_unit_test(test_stress_sock),
		cmocka_unit_test(test_stress_udp),
		cmocka_unit_test(test_stress_vm_rw),
		cmocka_unit_test(test_stress_msg_mq),
		cmocka_unit_test(test_stress_readahead),
		cmocka_unit_test_setup_teardown(test_coreutils, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_xfs_reflink, xfs_setup, scratch_teardown),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
