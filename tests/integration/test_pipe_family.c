// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The pipe-family scenarios under the real BPF programs: which end does
 * what, data read once, EOF, a read that blocks, SIGPIPE, the capacity and
 * a write that blocks, and a pipe end passed to an unrelated process.
 * Exact figures where the kernel is deterministic (bytes, syscalls by name,
 * return values), bounds where it is not (context switches, timings).
 */
#include "compiler.h"
#include "harness.h"

#define MiB (1 << 20)
#define EBADF_NR 9
#define EAGAIN_NR 11
#define EPIPE_NR 32

static void test_pipe_ends(void **state UNUSED)
{
	struct json_object *rep, *u;

	NEED_BPF();
	rep = run_report("pipe-ends");
	u = role_figures(rep, "user");
	/* fd[0] is opened read-only and fd[1] write-only ... */
	assert_int_equal(jint(rep, "facts.user.fd0_access_mode"), 0);
	assert_int_equal(jint(rep, "facts.user.fd1_access_mode"), 1);
	/* ... so the wrong way round both calls fail with EBADF ... */
	assert_int_equal(jint(rep, "facts.user.write_fd0_ret"), -1);
	assert_int_equal(jint(rep, "facts.user.write_fd0_errno"), EBADF_NR);
	assert_int_equal(jint(rep, "facts.user.read_fd1_ret"), -1);
	assert_int_equal(jint(rep, "facts.user.read_fd1_errno"), EBADF_NR);
	/* ... and the right way round the bytes go through, intact */
	assert_int_equal(jint(rep, "facts.user.write_fd1_ret"), 4096);
	assert_int_equal(jint(rep, "facts.user.read_fd0_ret"), 4096);
	assert_int_equal(jint(rep, "facts.user.words_mismatched"), 0);
	/* four calls; only the two that worked moved data, one copy each way */
	assert_int_equal(jint(u, "syscalls"), 4);
	assert_int_equal(jint(u, "syscalls_by_name.write"), 2);
	assert_int_equal(jint(u, "syscalls_by_name.read"), 2);
	assert_int_equal(jint(u, "copies.user_to_kernel.bytes"), 4096);
	assert_int_equal(jint(u, "copies.user_to_kernel.ops"), 1);
	assert_int_equal(jint(u, "copies.kernel_to_user.bytes"), 4096);
	assert_int_equal(jint(u, "copies.kernel_to_user.ops"), 1);
	assert_int_equal(jint(u, "copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(jint(u, "page_faults.user"), 0);
	json_object_put(rep);
}

static void test_pipe_read_once(void **state UNUSED)
{
	struct json_object *rep, *w, *a, *b;

	NEED_BPF();
	rep = run_report("pipe-read-once --size 64K --block 4K");
	w = role_figures(rep, "writer");
	a = role_figures(rep, "reader_a");
	b = role_figures(rep, "reader_b");
	/* reader_a took the first half ... */
	assert_int_equal(jint(rep, "facts.reader_a.bytes_read"), 32768);
	assert_int_equal(jint(rep, "facts.reader_a.first_offset"), 0);
	assert_int_equal(jint(rep, "facts.reader_a.last_offset"), 32768 - 8);
	/* ... and reader_b, reading the same end afterwards, only the rest */
	assert_int_equal(jint(rep, "facts.reader_b.bytes_read"), 32768);
	assert_int_equal(jint(rep, "facts.reader_b.first_offset"), 32768);
	assert_int_equal(jint(rep, "facts.reader_b.last_offset"), 65536 - 8);
	for (const char **r = (const char *[]){ "reader_a", "reader_b", NULL }; *r; r++) {
		char key[64];

		snprintf(key, sizeof(key), "facts.%s.records", *r);
		assert_int_equal(jint(rep, key), 4096);
		snprintf(key, sizeof(key), "facts.%s.records_invalid", *r);
		assert_int_equal(jint(rep, key), 0);
		snprintf(key, sizeof(key), "facts.%s.records_repeated", *r);
		assert_int_equal(jint(rep, key), 0);
		snprintf(key, sizeof(key), "facts.%s.bytes_leftover", *r);
		assert_int_equal(jint(rep, key), 0);
	}
	/* every record read exactly once, by one reader */
	assert_int_equal(jint(rep, "facts.writer.bytes_written"), 65536);
	assert_int_equal(jint(rep, "facts.writer.bytes_read_total"), 65536);
	assert_int_equal(jint(rep, "facts.writer.records_written"), 8192);
	assert_int_equal(jint(rep, "facts.writer.records_read_twice"), 0);
	assert_int_equal(jint(rep, "facts.writer.records_never_read"), 0);
	/* the kernel: one copy in, one copy out per byte, split between readers */
	assert_int_equal(jint(w, "copies.user_to_kernel.bytes"), 65536);
	assert_int_equal(jint(w, "syscalls_by_name.write"), 16);
	assert_int_equal(jint(a, "copies.kernel_to_user.bytes"), 32768);
	assert_int_equal(jint(a, "syscalls_by_name.read"), 8);
	assert_int_equal(jint(b, "copies.kernel_to_user.bytes"), 32768);
	assert_int_equal(jint(b, "syscalls_by_name.read"), 9); /* 8 with data, 1 at EOF */
	assert_int_equal(jint(rep, "totals.copies.kernel_to_user.bytes"), 65536);
	json_object_put(rep);
}

static void test_pipe_eof(void **state UNUSED)
{
	struct json_object *rep, *r, *w;

	NEED_BPF();
	rep = run_report("pipe-eof --size 16K --block 4K");
	r = role_figures(rep, "reader");
	w = role_figures(rep, "writer");
	/* the writer had exited before the first read: the data outlived it */
	assert_int_equal(jint(rep, "facts.writer.bytes_written"), 16384);
	assert_int_equal(jint(rep, "facts.reader.bytes_read"), 16384);
	assert_int_equal(jint(rep, "facts.reader.words_mismatched"), 0);
	assert_int_equal(jint(rep, "facts.reader.data_reads"), 4);
	/* then end of file: 0, and 0 again, not an error */
	assert_int_equal(jint(rep, "facts.reader.read_after_data_ret"), 0);
	assert_int_equal(jint(rep, "facts.reader.read_after_data_errno"), 0);
	assert_int_equal(jint(rep, "facts.reader.read_again_ret"), 0);
	assert_int_equal(jint(rep, "facts.reader.read_again_errno"), 0);
	/* 4 reads with data + 2 at EOF; only the data was copied */
	assert_int_equal(jint(r, "syscalls_by_name.read"), 6);
	assert_int_equal(jint(r, "syscalls"), 6);
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 16384);
	assert_int_equal(jint(r, "copies.kernel_to_user.ops"), 4);
	/* no read had to wait: data was there, then no writer was left */
	assert_int_equal(jint(r, "context_switches.voluntary_in_io"), 0);
	assert_int_equal(jint(w, "syscalls_by_name.write"), 4);
	assert_int_equal(jint(w, "copies.user_to_kernel.bytes"), 16384);
	json_object_put(rep);
}

static void test_pipe_read_blocks(void **state UNUSED)
{
	struct json_object *rep, *r, *w;

	NEED_BPF();
	rep = run_report("pipe-read-blocks --size 4K");
	r = role_figures(rep, "reader");
	w = role_figures(rep, "writer");
	/* /proc showed the reader asleep in read() before the writer wrote */
	assert_int_equal(jint(rep, "facts.writer.reader_seen_asleep_in_read"), 1);
	/* so read() lasted at least the writer's 50 ms on top of that */
	assert_between(jint(rep, "facts.reader.read_ns"), 50000000, 5000000000);
	assert_int_equal(jint(rep, "facts.reader.read_ret"), 4096);
	assert_int_equal(jint(rep, "facts.reader.words_mismatched"), 0);
	/* one read(), and the kernel saw it give up the CPU inside it */
	assert_int_equal(jint(r, "syscalls"), 1);
	assert_int_equal(jint(r, "syscalls_by_name.read"), 1);
	assert_between(jint(r, "context_switches.voluntary_in_io"), 1, 4);
	assert_int_equal(jint(r, "context_switches.voluntary"),
			 jint(r, "context_switches.voluntary_in_io"));
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 4096);
	assert_int_equal(jint(r, "signals.generated"), 0);
	/* the write into an empty pipe with a waiting reader did not sleep */
	assert_int_equal(jint(w, "syscalls_by_name.write"), 1);
	assert_int_equal(jint(w, "copies.user_to_kernel.bytes"), 4096);
	assert_int_equal(jint(w, "context_switches.voluntary_in_io"), 0);
	json_object_put(rep);
}

/* One write() into a pipe with no reader: nothing was copied. */
static void check_readerless_write(struct json_object *f)
{
	assert_int_equal(jint(f, "syscalls_by_name.write"), 1);
	assert_int_equal(jint(f, "copies.user_to_kernel.bytes"), 0);
	assert_int_equal(jint(f, "signals.generated"), 1);
}

static void test_pipe_sigpipe(void **state UNUSED)
{
	struct json_object *rep, *d, *i, *c;

	NEED_BPF();
	rep = run_report("pipe-sigpipe");
	d = role_figures(rep, "dfl_writer");
	i = role_figures(rep, "ign_writer");
	c = role_figures(rep, "caught_writer");
	/* default disposition: SIGPIPE (13) kills the writer inside its write() */
	assert_int_equal(jint(rep, "facts.dfl_parent.child_killed_by_signal"), 13);
	assert_int_equal(jint(rep, "facts.dfl_parent.child_exit_code"), -1);
	assert_null(json_object_object_get(jget(rep, "facts"), "dfl_writer"));
	check_readerless_write(d);
	assert_int_equal(jint(d, "syscalls"), 1);
	assert_int_equal(jint(d, "signals.delivered"), 1);
	/* ignored: generated (the tracepoint fires) but never delivered; EPIPE */
	assert_int_equal(jint(rep, "facts.ign_writer.write_ret"), -1);
	assert_int_equal(jint(rep, "facts.ign_writer.write_errno"), EPIPE_NR);
	check_readerless_write(i);
	assert_int_equal(jint(i, "syscalls"), 1);
	assert_int_equal(jint(i, "signals.delivered"), 0);
	/* caught: delivered to the handler (and its rt_sigreturn), then EPIPE */
	assert_int_equal(jint(rep, "facts.caught_writer.write_ret"), -1);
	assert_int_equal(jint(rep, "facts.caught_writer.write_errno"), EPIPE_NR);
	assert_int_equal(jint(rep, "facts.caught_writer.handler_calls"), 1);
	check_readerless_write(c);
	assert_int_equal(jint(c, "signals.delivered"), 1);
	assert_int_equal(jint(c, "syscalls_by_name.rt_sigreturn"), 1);
	assert_int_equal(jint(c, "syscalls"), 2);
	json_object_put(rep);
}

/* The prober's facts for one write size: bytes and writes before EAGAIN. */
static void check_capacity(struct json_object *rep, int size, int64_t bytes, int64_t writes,
			   int64_t last)
{
	char key[96];

	snprintf(key, sizeof(key), "facts.prober.cap_%d_bytes", size);
	assert_int_equal(jint(rep, key), bytes);
	snprintf(key, sizeof(key), "facts.prober.cap_%d_writes", size);
	assert_int_equal(jint(rep, key), writes);
	snprintf(key, sizeof(key), "facts.prober.cap_%d_last_write", size);
	assert_int_equal(jint(rep, key), last);
	snprintf(key, sizeof(key), "facts.prober.cap_%d_stop_errno", size);
	assert_int_equal(jint(rep, key), EAGAIN_NR);
	/* what the pipe says it holds agrees */
	snprintf(key, sizeof(key), "facts.prober.cap_%d_queued", size);
	assert_int_equal(jint(rep, key), bytes);
}

static void test_pipe_capacity(void **state UNUSED)
{
	struct json_object *rep, *p, *w, *d;

	NEED_BPF();
	rep = run_report("pipe-capacity");
	p = role_figures(rep, "prober");
	w = role_figures(rep, "writer");
	d = role_figures(rep, "drainer");
	assert_int_equal(jint(rep, "facts.prober.pipe_size"), 65536);
	/*
	 * A full pipe is 16 page buffers, not 65536 bytes: small writes merge
	 * into the last page while they fit (1 byte: 65536; 100 bytes: 40 per
	 * page, 64000), 4097-byte writes leave 1- and 2-byte pages behind
	 * (10 whole writes and a 4096-byte partial one: 45066).
	 */
	check_capacity(rep, 1, 65536, 65536, 1);
	check_capacity(rep, 100, 64000, 640, 100);
	check_capacity(rep, 4096, 65536, 16, 4096);
	check_capacity(rep, 4097, 45066, 11, 4096);
	check_capacity(rep, 65536, 65536, 1, 65536);
	/* the kernel counted the same: every accepted byte copied in once */
	assert_int_equal(jint(p, "syscalls_by_name.write"), 65536 + 640 + 16 + 11 + 1 + 5);
	assert_int_equal(jint(p, "copies.user_to_kernel.bytes"),
			 65536 + 64000 + 65536 + 45066 + 65536);
	assert_int_equal(jint(p, "copies.user_to_kernel.ops"), 65536 + 640 + 16 + 11 + 1);
	/* non-blocking: the prober never slept in a write */
	assert_int_equal(jint(p, "context_switches.voluntary_in_io"), 0);
	/* a blocking write to the full pipe sleeps until the drainer reads */
	assert_int_equal(jint(rep, "facts.writer.fill_bytes"), 65536);
	assert_int_equal(jint(rep, "facts.drainer.writer_seen_asleep_in_write"), 1);
	assert_int_equal(jint(rep, "facts.writer.blocked_write_ret"), 4096);
	assert_between(jint(rep, "facts.writer.blocked_write_ns"), 50000000, 5000000000);
	assert_int_equal(jint(w, "syscalls"), 1);
	assert_between(jint(w, "context_switches.voluntary_in_io"), 1, 4);
	assert_int_equal(jint(w, "copies.user_to_kernel.bytes"), 4096);
	assert_int_equal(jint(rep, "facts.drainer.bytes_read"), 65536 + 4096);
	assert_int_equal(jint(rep, "facts.drainer.words_mismatched"), 0);
	assert_int_equal(jint(d, "copies.kernel_to_user.bytes"), 65536 + 4096);
	json_object_put(rep);
}

static void test_pipe_scm_rights(void **state UNUSED)
{
	struct json_object *rep, *rel, *w, *r;
	const char *paths[] = {
		"copies.user_to_kernel.bytes", "copies.user_to_kernel.ops",
		"copies.kernel_to_user.bytes", "copies.kernel_to_kernel.bytes", "page_refs.bytes",
	};

	NEED_BPF();
	rep = run_report("pipe-scm-rights --size 1M --block 64K");
	w = role_figures(rep, "writer");
	r = role_figures(rep, "receiver");
	/* the exec'd receiver did not have the pipe until SCM_RIGHTS brought it ... */
	assert_int_equal(jint(rep, "facts.receiver.held_it_before_recv"), 0);
	assert_int_equal(jint(rep, "facts.receiver.received_is_fifo"), 1);
	assert_int_equal(jint(rep, "facts.receiver.received_access_mode"), 0);
	assert_int_equal(jint(rep, "facts.receiver.received_inode"),
			 jint(rep, "facts.writer.pipe_inode"));
	/* ... and then read everything the writer wrote into it */
	assert_int_equal(jint(rep, "facts.writer.bytes_written"), MiB);
	assert_int_equal(jint(rep, "facts.receiver.bytes_received"), MiB);
	assert_int_equal(jint(rep, "facts.receiver.words_mismatched"), 0);
	assert_int_equal(jint(w, "syscalls_by_name.write"), 16);
	assert_int_equal(jint(w, "copies.user_to_kernel.bytes"), MiB);
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), MiB);
	assert_int_equal(jint(r, "copies.user_to_kernel.bytes"), 0);
	/* the same ledger as a pipe from a parent to its child */
	rel = run_report("pipe --size 1M --block 64K");
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		assert_int_equal(jint(jget(rep, "totals"), paths[i]),
				 jint(jget(rel, "totals"), paths[i]));
	json_object_put(rel);
	json_object_put(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_ends),
		cmocka_unit_test(test_pipe_read_once),
		cmocka_unit_test(test_pipe_eof),
		cmocka_unit_test(test_pipe_read_blocks),
		cmocka_unit_test(test_pipe_sigpipe),
		cmocka_unit_test(test_pipe_capacity),
		cmocka_unit_test(test_pipe_scm_rights),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
