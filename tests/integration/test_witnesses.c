// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace trace on data paths beyond read/write into files and pipes,
 * held against what the programs themselves moved: dd and head from
 * /dev/zero into /dev/null (no copy into a sink), sendmmsg/recvmmsg (bytes
 * in the msg_len fields, not the message count), io_uring and Linux AIO
 * ops against fio's io_bytes (O_DIRECT exactly the device's), dd with
 * O_DIRECT on a loop device against dd's byte count, and paths the ledger
 * cannot count yet, which must show as not accounted rather than as zero.
 */
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include "compiler.h"
#include "harness.h"

#define DATAPATHS ".output/tests/datapaths"
#define PREFETCH ".output/tests/prefetch"
#define PREFETCH_FILE "/tmp/ipctrace-test-prefetch"
#define REPORT "/tmp/ipctrace-test-witnesses.json"
#define FIO_FILE "/tmp/ipctrace-test-fio.dat"
#define MIB64 (64LL << 20)

#include "witness.h"

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

/*
 * One multishot io_uring op with provided buffers, a recv with
 * IORING_RECV_MULTISHOT on a unix socket pair or (@mode "read") a
 * READ_MULTISHOT on a pipe (@kind: by_fd_kind's name): 20 CQEs with
 * IORING_CQE_F_MORE, one each of the workload's 20 writes of 1000 + i
 * bytes, then the last (res 0). io_uring_complete names no request for the
 * first 20: found by ring and user_data, every byte counted (before: 0
 * bytes), one op.
 */
static void check_multishot(const char *mode, const char *kind)
{
	struct json_object *rep;
	char cmd[256], key[64], *out;
	bool pipe = !strcmp(kind, "pipe");

	snprintf(cmd, sizeof(cmd), DATAPATHS " mshot 20 1000 %s", mode);
	rep = trace(cmd, &out);
	assert_int_equal(said(out, "received"), 20 * 1000 + 190);
	assert_int_equal(said(out, "sent"), said(out, "received"));
	assert_int_equal(said(out, "cqes_more"), 20);
	assert_int_equal(total(rep, "io_uring.ops"), 1);
	assert_int_equal(total(rep, "io_uring.bytes"), said(out, "received"));
	/* the writes are write(2)s (on a pipe, with what the workload printed); the reads the ring's */
	snprintf(key, sizeof(key), "by_fd_kind.%s.write_bytes", kind);
	assert_int_equal(total(rep, key), said(out, "sent") + (pipe ? (long long)strlen(out) : 0));
	snprintf(key, sizeof(key), "by_fd_kind.%s.read_bytes", kind);
	assert_int_equal(total(rep, key), said(out, "received"));
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
	free(out);
	json_object_put(rep);
}

static void test_uring_multishot(void **state UNUSED)
{
	NEED_BPF();
	check_multishot("", "unix");
}

static void test_uring_read_multishot(void **state UNUSED)
{
	NEED_BPF();
	check_multishot("read", "pipe");
}

/*
 * 40 io_uring writes of 4096 bytes reaped only after all completed: the
 * completion ring holds 16, the other 24 CQEs overflow, which
 * io_uring_complete does not see on 6.18 (io_uring_cqe_overflow does).
 * Every op and byte counted (before: 16 ops, 65,536 bytes). @mode "fixed":
 * a registered file, classified from the ring's file table at submission,
 * so its page-cache inserts are writes (before: 40 read misses).
 */
static void check_uring_overflow(const char *mode)
{
	struct json_object *rep, *f;
	char cmd[256], *out;

	snprintf(cmd, sizeof(cmd), DATAPATHS " overflow 40 4096 %s", mode);
	rep = trace(cmd, &out);
	assert_int_equal(said(out, "overflowed"), 1);
	assert_int_equal(said(out, "ops"), 40);
	assert_int_equal(said(out, "written"), 40 * 4096);
	assert_int_equal(total(rep, "io_uring.ops"), 40);
	assert_int_equal(total(rep, "io_uring.bytes"), said(out, "written"));
	assert_int_equal(total(rep, "by_fd_kind.file.write_bytes"), said(out, "written"));
	assert_int_equal(total(rep, "page_cache.inserted_by_writes"), 40);
	assert_int_equal(total(rep, "page_cache.inserted_by_reads"), 0);
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
	f = file_row(rep, "/tmp/datapaths-overflow-");
	assert_non_null(f);
	assert_int_equal(json_object_get_int64(jget(f, "write_bytes")), said(out, "written"));
	assert_int_equal(json_object_get_int64(jget(f, "page_cache_misses")), 0);
	free(out);
	json_object_put(rep);
}

static void test_uring_overflow(void **state UNUSED)
{
	NEED_BPF();
	check_uring_overflow("");
}

static void test_uring_overflow_fixed(void **state UNUSED)
{
	NEED_BPF();
	check_uring_overflow("fixed");
}

/*
 * 10 io_uring writes with IOSQE_CQE_SKIP_SUCCESS post no CQE: their bytes
 * cannot be counted, so each is not accounted under io_uring_enter (its
 * record replaced when the request is reused, or left at the end), never
 * dropped; the last, plain write is counted.
 */
static void test_uring_cqe_skip(void **state UNUSED)
{
	struct json_object *rep;
	char *out;

	NEED_BPF();
	rep = trace(DATAPATHS " skip 10 4096", &out);
	assert_int_equal(said(out, "written_last"), 4096);
	assert_int_equal(total(rep, "io_uring.ops"), 1);
	assert_int_equal(total(rep, "io_uring.bytes"), 4096);
	assert_int_equal(total(rep, "not_accounted.calls"), 10);
	assert_int_equal(total(rep, "not_accounted.by_syscall.io_uring_enter"), 10);
	free(out);
	json_object_put(rep);
}

#define MAPREAD ".output/tests/mapread"
#define MAPREAD_FILE "/tmp/ipctrace-test-mapread"

/*
 * `mapread MAPREAD_FILE @mb [cold]` traced: the pages its faults mapped
 * (fault_pages + fault_around_pages) in *@mapped, what it says it maps of
 * files at the end (RssFile + RssShmem) in *@rss.
 */
static void trace_mapread(const char *args, long long mb, long long *mapped, long long *rss)
{
	struct json_object *rep;
	char cmd[256], *out;

	snprintf(cmd, sizeof(cmd), MAPREAD " " MAPREAD_FILE " %lld %s", mb, args);
	rep = trace(cmd, &out);
	unlink(MAPREAD_FILE);
	assert_int_equal(said(out, "pages_read"), mb * 256);
	*rss = said(out, "rss_file_pages");
	*mapped = total(rep, "page_cache.fault_pages") + total(rep, "page_cache.fault_around_pages");
	assert_int_equal(total(rep, "page_cache.fault_around_unmeasured"), 0);
	free(out);
	json_object_put(rep);
}

/*
 * Fault-around with large folios (6.18 maps a cached large folio whole,
 * beyond the 16-page window mm_filemap_map_pages names; finish_fault maps
 * a faulted folio whole too): the pages the faults mapped, from the mm's
 * file RSS, against what the process says it maps (a static binary: no
 * ld.so, which unmaps ld.so.cache). Each run's count is its RSS plus the
 * same excess (pages copied on write, which RssFile does not show: a
 * .data page mapped, then written; a private write fault's page, which
 * fault_pages counts as the one filemap_fault served), warm or cold (faults that read the file in, and are
 * retried), so 48 MiB more read through the mapping are as many pages
 * more in both: 12,288, give or take one page of startup (the program's
 * own pages mapped vary by one from run to run, here). Before, the
 * windows mm_filemap_map_pages names: a 64 MiB read, 16,574 pages in
 * RssFile, showed 1,474 (fault_pages 2 + fault_around_pages 1,472).
 */
static void test_fault_around_large_folios(void **state UNUSED)
{
	long long m64, r64, m16, r16, mcold, rcold;

	NEED_BPF();
	trace_mapread("", 64, &m64, &r64);
	trace_mapread("", 16, &m16, &r16);
	trace_mapread("cold", 64, &mcold, &rcold);
	/*
	 * the workload's own RssFile: 48 MiB more is 12,288 pages more, less a
	 * few the kernel reclaimed meanwhile on a busy machine (12,281 and
	 * 12,284 seen under load); ipctrace counts what was mapped, between
	 * what is still resident and the 12,288 pages
	 */
	assert_in_range(r64 - r16, 48 * 256 - 16, 48 * 256 + 1);
	assert_in_range(m64 - m16, r64 - r16, 48 * 256 + 1);
	assert_int_equal(m64 - r64, m16 - r16);
	assert_int_equal(mcold - rcold, m64 - r64);
}

/* fio's own byte count against the ledger's io_uring figures. */
static void check_fio_uring(const char *rw, const char *dir, const char *kind_key)
{
	struct json_object *rep;
	long long io_bytes;

	rep = trace_fio("--ioengine=io_uring", rw, dir, &io_bytes);
	assert_int_equal(total(rep, "io_uring.bytes"), io_bytes);
	assert_int_equal(total(rep, "io_uring.ops"), io_bytes / 65536);
	check_fio_file(rep, kind_key, io_bytes);
	json_object_put(rep);
}

static void test_fio_uring(void **state UNUSED)
{
	NEED_BPF();
	need_fio();
	unlink(FIO_FILE);
	check_fio_uring("write", "write.io_bytes", "write_bytes");
	/* the file is in the page cache now: every read a hit */
	check_fio_uring("read", "read.io_bytes", "read_bytes");
	unlink(FIO_FILE);
}

/*
 * fio's libaio engine (io_submit, io_getevents; 8 ops in flight): every
 * op's result in the ledger, exactly fio's io_bytes. With --direct=1 on a
 * disk's file system all of it is O_DIRECT (device DMA); buffered, none.
 */
static void check_fio_libaio(const char *rw, bool direct)
{
	bool write = !strcmp(rw, "write");
	struct json_object *rep;
	long long io_bytes;

	rep = trace_fio(direct ? "--ioengine=libaio --iodepth=8 --direct=1"
			       : "--ioengine=libaio --iodepth=8",
			rw, write ? "write.io_bytes" : "read.io_bytes", &io_bytes);
	assert_int_equal(total(rep, "aio.bytes"), io_bytes);
	assert_int_equal(total(rep, "aio.ops"), io_bytes / 65536);
	assert_int_equal(total(rep, "direct_io.bytes"), direct ? io_bytes : 0);
	assert_int_equal(total(rep, "direct_io.ops"), direct ? io_bytes / 65536 : 0);
	if (!direct && write)
		assert_true(total(rep, "copies.user_to_kernel.bytes") >= io_bytes);
	if (!direct && !write)
		assert_true(total(rep, "copies.kernel_to_user.bytes") >= io_bytes);
	check_fio_file(rep, write ? "write_bytes" : "read_bytes", io_bytes);
	json_object_put(rep);
}

/*
 * fio --userspace_reap reads completions from the AIO ring in user space,
 * past any syscall: those ops are not accounted (under io_submit), the few
 * it waits for with io_getevents counted; none dropped.
 */
static void check_fio_userspace_reap(void)
{
	struct json_object *rep;
	long long io_bytes;

	rep = trace_fio("--ioengine=libaio --iodepth=8 --userspace_reap=1 "
			"--iodepth_batch_complete_min=0",
			"read", "read.io_bytes", &io_bytes);
	assert_true(total(rep, "not_accounted.by_syscall.io_submit") > 0);
	assert_int_equal(total(rep, "aio.ops") + total(rep, "not_accounted.by_syscall.io_submit"),
			 io_bytes / 65536);
	assert_int_equal(total(rep, "aio.bytes"), total(rep, "aio.ops") * 65536);
	assert_int_equal(total(rep, "not_accounted.calls"),
			 total(rep, "not_accounted.by_syscall.io_submit"));
	json_object_put(rep);
}

static void test_fio_libaio(void **state UNUSED)
{
	struct statfs sf;

	NEED_BPF();
	need_fio();
	unlink(FIO_FILE);
	check_fio_libaio("write", false);
	check_fio_libaio("read", false);
	check_fio_userspace_reap();
	/* tmpfs takes O_DIRECT through its page cache: CPU copies, not device DMA */
	if (statfs("/tmp", &sf) || sf.f_type == TMPFS_MAGIC) {
		unlink(FIO_FILE);
		printf("skipped: /tmp is tmpfs, whose O_DIRECT is no device's\n");
		skip();
	}
	check_fio_libaio("write", true);
	check_fio_libaio("read", true);
	unlink(FIO_FILE);
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

/*
 * Linux AIO (raw syscalls): each reaped op's result in the ledger, as a
 * read or write on its fd, the submitter's; an fsync moves no data; the
 * pread the kernel refused (a closed fd) is forgotten; the pread never
 * reaped is not accounted, under io_submit.
 */
static void test_aio_ops(void **state UNUSED)
{
	struct json_object *rep, *f;
	char *out;

	NEED_BPF();
	rep = trace(DATAPATHS " aio 40", &out);
	assert_int_equal(said(out, "written"), 40 * 4096 + 780);
	assert_int_equal(said(out, "read"), said(out, "written"));
	assert_int_equal(total(rep, "aio.ops"), 2 * 40);
	assert_int_equal(total(rep, "aio.bytes"), said(out, "written") + said(out, "read"));
	assert_int_equal(total(rep, "aio.other_ops"), said(out, "fsyncs"));
	assert_int_equal(total(rep, "not_accounted.calls"), said(out, "unreaped"));
	assert_int_equal(total(rep, "not_accounted.by_syscall.io_submit"), said(out, "unreaped"));
	assert_int_equal(total(rep, "syscalls_by_name.io_submit"), 2 * 40 + 1);
	assert_int_equal(total(rep, "syscalls_by_name.io_getevents"), 40);
	assert_int_equal(total(rep, "syscalls_by_name.io_pgetevents"), 40);
	/* into the kernel: the writes and what the workload printed */
	assert_int_equal(total(rep, "copies.user_to_kernel.bytes"),
			 said(out, "written") + (long long)strlen(out));
	/* out of it: the reads, ld.so's files and glibc's getrandom */
	assert_int_equal(total(rep, "copies.kernel_to_user.bytes"),
			 total(rep, "by_fd_kind.file.read_bytes") +
				 8 * total(rep, "syscalls_by_name.getrandom"));
	assert_int_equal(total(rep, "direct_io.bytes"), 0);
	/* the file: written and read back; the writes' page-cache inserts are no misses */
	f = file_row(rep, "/tmp/datapaths-aio-");
	assert_non_null(f);
	assert_int_equal(json_object_get_int64(jget(f, "write_bytes")), said(out, "written"));
	assert_int_equal(json_object_get_int64(jget(f, "read_bytes")), said(out, "read"));
	assert_int_equal(json_object_get_int64(jget(f, "page_cache_misses")), 0);
	free(out);
	json_object_put(rep);
}

/* A loop device on a file in a private directory, made for one test and removed after it. */
struct loopdev {
	char dir[64];
	char img[96];
	char dev[32]; /* "" when none could be made: the test skips */
	char why[160];
};

static int loop_setup(void **state)
{
	static struct loopdev l;
	char cmd[160], *out;
	int fd, rc;

	memset(&l, 0, sizeof(l));
	*state = &l;
	snprintf(l.dir, sizeof(l.dir), "/tmp/ipctrace-test-loop-XXXXXX");
	if (!mkdtemp(l.dir)) {
		snprintf(l.why, sizeof(l.why), "no temporary directory");
		l.dir[0] = 0;
		return 0;
	}
	snprintf(l.img, sizeof(l.img), "%s/img", l.dir);
	fd = open(l.img, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0600);
	if (fd < 0 || ftruncate(fd, 32 << 20)) {
		snprintf(l.why, sizeof(l.why), "cannot make %s", l.img);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "losetup -f --show %s 2>&1", l.img);
	out = run_shell(cmd, &rc);
	if (rc || strncmp(out, "/dev/loop", 9))
		snprintf(l.why, sizeof(l.why), "losetup failed or is missing (exit %d): %.100s", rc, out);
	else
		snprintf(l.dev, sizeof(l.dev), "%.*s", (int)strcspn(out, "\n"), out);
	free(out);
	return 0;
}

static int loop_teardown(void **state)
{
	struct loopdev *l = *state;
	char cmd[96], *out;
	int rc;

	if (l->dev[0]) {
		snprintf(cmd, sizeof(cmd), "losetup -d %s 2>&1", l->dev);
		out = run_shell(cmd, &rc);
		free(out);
	}
	if (l->img[0])
		unlink(l->img);
	if (l->dir[0])
		rmdir(l->dir);
	return 0;
}

/* ipctrace trace of dd @args (its summary on stdout); dd's own byte count in *bytes. */
static struct json_object *trace_dd(const char *args, long long *bytes, char **out)
{
	struct json_object *rep;
	char cmd[256];
	const char *p;

	snprintf(cmd, sizeof(cmd), "sh -c 'dd %s bs=1M count=16 2>&1'", args);
	rep = trace(cmd, out);

	p = strstr(*out, " bytes");
	assert_non_null(p);
	while (p > *out && p[-1] != '\n')
		p--;
	*bytes = atoll(p);
	assert_int_equal(*bytes, 16 << 20);
	return rep;
}

/*
 * dd on a loop device: with iflag=direct / oflag=direct the block device
 * moves the bytes to or from dd's buffer itself (O_DIRECT, no CPU copy in
 * the syscall), dd's byte count exactly; buffered, the reads copy out of
 * the device's page cache (kernel -> user).
 */
static void test_dd_loop_direct(void **state)
{
	struct loopdev *l = *state;
	struct json_object *rep;
	long long bytes, ldso;
	char args[128], *out;

	NEED_BPF();
	if (!l->dev[0]) {
		printf("skipped: no loop device: %s\n", l->why);
		skip();
	}
	snprintf(args, sizeof(args), "if=/dev/zero of=%s oflag=direct", l->dev);
	rep = trace_dd(args, &bytes, &out);
	assert_int_equal(total(rep, "direct_io.bytes"), bytes);
	assert_int_equal(total(rep, "direct_io.ops"), 16);
	assert_int_equal(total(rep, "by_fd_kind.blockdev.write_bytes"), bytes);
	/* the zero-fill of dd's buffer is the one copy; into the kernel only dd's summary */
	ldso = total(rep, "by_fd_kind.file.read_bytes") + 8 * total(rep, "syscalls_by_name.getrandom");
	assert_int_equal(total(rep, "copies.kernel_to_user.bytes"), bytes + ldso);
	assert_int_equal(total(rep, "copies.user_to_kernel.bytes"), (long long)strlen(out));
	json_object_put(rep);
	free(out);
	snprintf(args, sizeof(args), "if=%s of=/dev/null iflag=direct", l->dev);
	rep = trace_dd(args, &bytes, &out);
	assert_int_equal(total(rep, "direct_io.bytes"), bytes);
	assert_int_equal(total(rep, "by_fd_kind.blockdev.read_bytes"), bytes);
	assert_int_equal(total(rep, "discarded.bytes"), bytes);
	ldso = total(rep, "by_fd_kind.file.read_bytes") + 8 * total(rep, "syscalls_by_name.getrandom");
	assert_int_equal(total(rep, "copies.kernel_to_user.bytes"), ldso);
	json_object_put(rep);
	free(out);
	snprintf(args, sizeof(args), "if=%s of=/dev/null", l->dev);
	rep = trace_dd(args, &bytes, &out);
	assert_int_equal(total(rep, "direct_io.bytes"), 0);
	ldso = total(rep, "by_fd_kind.file.read_bytes") + 8 * total(rep, "syscalls_by_name.getrandom");
	assert_int_equal(total(rep, "copies.kernel_to_user.bytes"), bytes + ldso);
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
	json_object_put(rep);
	free(out);
}

/* fio libaio --direct=1 on the loop device itself: every op's bytes the block device's. */
static void test_fio_libaio_loop(void **state)
{
	struct loopdev *l = *state;
	struct json_object *rep;
	long long io_bytes;
	char opts[160];

	NEED_BPF();
	need_fio();
	if (!l->dev[0]) {
		printf("skipped: no loop device: %s\n", l->why);
		skip();
	}
	snprintf(opts, sizeof(opts), "--ioengine=libaio --iodepth=8 --direct=1 --filename=%s", l->dev);
	rep = trace_fio(opts, "write", "write.io_bytes", &io_bytes);
	assert_int_equal(total(rep, "aio.bytes"), io_bytes);
	assert_int_equal(total(rep, "direct_io.bytes"), io_bytes);
	assert_int_equal(total(rep, "by_fd_kind.blockdev.write_bytes"), io_bytes);
	json_object_put(rep);
	rep = trace_fio(opts, "read", "read.io_bytes", &io_bytes);
	assert_int_equal(total(rep, "aio.bytes"), io_bytes);
	assert_int_equal(total(rep, "direct_io.bytes"), io_bytes);
	assert_int_equal(total(rep, "by_fd_kind.blockdev.read_bytes"), io_bytes);
	assert_int_equal(total(rep, "not_accounted.calls"), 0);
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
	assert_int_equal(total(rep, "not_accounted.by_syscall.move_pages"), 7);
	/* still syscalls like any other */
	assert_int_equal(total(rep, "syscalls_by_name.move_pages"), 7);
	free(out);
	json_object_put(rep);
	/* the text report says so in a line; a run with none has no such line */
	snprintf(cmd, sizeof(cmd), "trace -- " DATAPATHS " unaccounted 3 2>&1");
	out = run_cmd(cmd, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "NOT ACCOUNTED: 3 data calls"));
	assert_non_null(strstr(out, "move_pages 3"));
	free(out);
	out = run_cmd("trace -- true 2>&1", &rc);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "NOT ACCOUNTED"));
	free(out);
}

/*
 * Page-cache hits (tools/workloads/prefetch.c): the workload writes the
 * file, makes it clean and drops it from the cache (mincore: 0 resident),
 * brings it back by @mode, then reads it whole. Only a read's inserts are
 * its misses: after a prefetch every page read is a hit, and the prefetch
 * shows under @cause; read cold, every page is a miss, as always.
 */
static void check_prefetch(const char *mode, const char *cause)
{
	struct json_object *rep, *f;
	long long pages;
	char cmd[256], *out;

	snprintf(cmd, sizeof(cmd), PREFETCH " %s " PREFETCH_FILE " 256", mode);
	rep = trace(cmd, &out);
	unlink(PREFETCH_FILE);
	pages = said(out, "pages");
	assert_int_equal(pages, 256);
	assert_int_equal(said(out, "resident_before"), 0);
	assert_int_equal(said(out, "read"), pages * 4096);
	f = file_row(rep, PREFETCH_FILE);
	assert_non_null(f);
	assert_int_equal(json_object_get_int64(jget(f, "read_bytes")), pages * 4096);
	assert_int_equal(total(rep, "page_cache.inserted_by_writes"), pages);
	if (!cause) { /* cold: every page read was brought in by the reads */
		assert_int_equal(json_object_get_int64(jget(f, "page_cache_misses")), pages);
		assert_true(total(rep, "page_cache.inserted_by_reads") >= pages);
		assert_int_equal(total(rep, "page_cache.prefetched"), 0);
	} else {
		assert_int_equal(total(rep, cause), pages);
		/*
		 * every page looked up; one once more was seen once, in CI on a
		 * loaded machine (257 for 256): filemap_get_pages() can drop the
		 * last folio of a read's batch (its err path) and the next call
		 * looks it up again
		 */
		assert_in_range(json_object_get_int64(jget(f, "page_cache_lookups")), pages,
				pages + 2);
		assert_int_equal(json_object_get_int64(jget(f, "page_cache_misses")), 0);
		assert_true(json_object_get_double(jget(f, "page_cache_hit_ratio")) == 1.0);
		assert_true(total(rep, "page_cache.hits") >= pages);
	}
	free(out);
	json_object_put(rep);
}

static void test_pc_cold(void **state UNUSED)
{
	NEED_BPF();
	check_prefetch("cold", NULL);
}

static void test_pc_fadvise(void **state UNUSED)
{
	NEED_BPF();
	check_prefetch("fadvise", "page_cache.prefetched");
}

static void test_pc_readahead(void **state UNUSED)
{
	NEED_BPF();
	check_prefetch("readahead", "page_cache.prefetched");
}

static void test_pc_madvise(void **state UNUSED)
{
	NEED_BPF();
	check_prefetch("madvise", "page_cache.prefetched");
}

static void test_pc_populate(void **state UNUSED)
{
	NEED_BPF();
	check_prefetch("populate", "page_cache.prefetched");
}

/* stores into a shared mapping fault the pages in: no read asked for them */
static void test_pc_mapstore(void **state UNUSED)
{
	NEED_BPF();
	check_prefetch("mapstore", "page_cache.inserted_by_faults");
}

/*
 * Zerocopy sends over TCP loopback: MSG_ZEROCOPY (tools/workloads/zcsend.c)
 * and io_uring SEND_ZC (datapaths sendzc). The kernel copies every byte
 * before delivery, and every completion the workload reads says so
 * (SO_EE_CODE_ZEROCOPY_COPIED, IORING_NOTIF_USAGE_ZC_COPIED). The ledger must
 * say copied (user -> kernel, observed on the skbs), not page references, to
 * the byte of the workload's copied completions; the receive path's own
 * figure may exceed it by the segments TCP retransmitted (each delivery
 * copies again).
 */
static void check_zerocopy(const char *cmd)
{
	struct json_object *rep;
	char *out;
	long long copied;

	rep = trace(cmd, &out);
	copied = said(out, "copied_bytes");
	assert_int_equal(copied, said(out, "sent"));
	assert_int_equal(said(out, "received"), said(out, "sent"));
	assert_int_equal(total(rep, "page_refs.bytes"), 0);
	assert_int_equal(total(rep, "page_refs.ops"), 0);
	assert_int_equal(total(rep, "copies.user_to_kernel.bytes"),
			 copied + total(rep, "copies.user_to_kernel.derived_bytes"));
	assert_string_equal(json_object_get_string(jget(rep, "totals.copies.user_to_kernel.method")),
			    "observed+derived");
	assert_true(total(rep, "sockets.zerocopy_copied_bytes") >= copied);
	assert_int_equal(total(rep, "sockets.send_bytes"), said(out, "sent"));
	free(out);
	json_object_put(rep);
}

static void test_zerocopy_loopback(void **state UNUSED)
{
	NEED_BPF();
	check_zerocopy(".output/tests/zcsend 64 65536");
	check_zerocopy(".output/tests/zcsend 300 1000"); /* TCP puts several sends in one skb */
	check_zerocopy(DATAPATHS " sendzc 64 65536");
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
		cmocka_unit_test(test_uring_multishot),
		cmocka_unit_test(test_uring_read_multishot),
		cmocka_unit_test(test_uring_overflow),
		cmocka_unit_test(test_uring_overflow_fixed),
		cmocka_unit_test(test_uring_cqe_skip),
		cmocka_unit_test(test_fio_uring),
		cmocka_unit_test(test_aio_ops),
		cmocka_unit_test(test_fio_libaio),
		cmocka_unit_test_setup_teardown(test_dd_loop_direct, loop_setup, loop_teardown),
		cmocka_unit_test_setup_teardown(test_fio_libaio_loop, loop_setup, loop_teardown),
		cmocka_unit_test(test_pc_cold),
		cmocka_unit_test(test_pc_fadvise),
		cmocka_unit_test(test_pc_readahead),
		cmocka_unit_test(test_pc_madvise),
		cmocka_unit_test(test_pc_populate),
		cmocka_unit_test(test_pc_mapstore),
		cmocka_unit_test(test_fault_around_large_folios),
		cmocka_unit_test(test_zerocopy_loopback),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
