// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The pipe family: each scenario's exact figures and what its processes saw. */
#include "harness.h"

static void test_pipe_rules(void **state)
{
	struct json_object *rep, *p;

	NEED_BPF();
	rep = run_report("pipe-rules");
	p = role_figures(rep, "prober");
	assert_int_equal(jint(rep, "facts.prober.write_read_end_errno"), 9);
	assert_int_equal(jint(rep, "facts.prober.read_write_end_errno"), 9);
	assert_int_equal(jint(rep, "facts.prober.read_read_end_ret"), 5);
	/* the failed calls are syscalls too, but they move no byte */
	assert_int_equal(jint(p, "syscalls_by_name.write"), 2);
	assert_int_equal(jint(p, "syscalls_by_name.read"), 2);
	assert_int_equal(jint(p, "copies.user_to_kernel.bytes"), 5);
	assert_int_equal(jint(p, "copies.user_to_kernel.ops"), 1);
	assert_int_equal(jint(p, "copies.kernel_to_user.bytes"), 5);
	assert_int_equal(jint(p, "syscalls"), 4);
	/* read once: 64 records of 4096 bytes, each to exactly one reader */
	assert_int_equal(jint(rep, "facts.prober.records_missing"), 0);
	assert_int_equal(jint(rep, "facts.prober.records_read_twice"), 0);
	assert_int_equal(jint(rep, "facts.reader1.records_read") + jint(rep, "facts.reader2.records_read"), 64);
	assert_int_equal(jint(role_figures(rep, "reader1"), "copies.kernel_to_user.bytes") +
				 jint(role_figures(rep, "reader2"), "copies.kernel_to_user.bytes"),
			 64 * 4096);
	json_object_put(rep);
}

static void test_pipe_eof(void **state)
{
	struct json_object *rep, *r;

	NEED_BPF();
	rep = run_report("pipe-eof");
	r = role_figures(rep, "reader");
	assert_int_equal(jint(rep, "facts.reader.bytes_read"), 12288);
	assert_int_equal(jint(rep, "facts.reader.read_after_data_ret"), 0);
	assert_int_equal(jint(rep, "facts.reader.read_again_ret"), 0);
	/* the reader's transfer: exactly the two reads at end of file, nothing copied */
	assert_int_equal(jint(r, "syscalls_by_name.read"), 2);
	assert_int_equal(jint(r, "syscalls"), 2);
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 0);
	assert_int_equal(jint(role_figures(rep, "writer"), "copies.user_to_kernel.bytes"), 12288);
	json_object_put(rep);
}

static void test_pipe_read_blocks(void **state)
{
	struct json_object *rep, *r;

	NEED_BPF();
	rep = run_report("pipe-read-blocks");
	r = role_figures(rep, "reader");
	assert_int_equal(jint(r, "syscalls"), 1);
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 1);
	/* it slept inside that read, once (a wake-up may be followed by a preemption) */
	assert_int_equal(jint(r, "context_switches.voluntary_in_io"), 1);
	assert_int_equal(jint(r, "context_switches.voluntary"), 1);
	assert_between(jint(rep, "facts.reader.read_ns"), 40000000, 2000000000);
	json_object_put(rep);
}

static void test_pipe_sigpipe(void **state)
{
	struct json_object *rep, *v, *p;

	NEED_BPF();
	rep = run_report("pipe-sigpipe");
	v = role_figures(rep, "victim");
	p = role_figures(rep, "prober");
	assert_int_equal(jint(rep, "facts.prober.victim_killed_by_signal"), 13);
	assert_int_equal(jint(rep, "facts.prober.ignored_write_ret"), -1);
	assert_int_equal(jint(rep, "facts.prober.ignored_write_errno"), 32);
	/* default action: generated and delivered; ignored: generated only */
	assert_int_equal(jint(v, "signals.generated"), 1);
	assert_int_equal(jint(v, "signals.delivered"), 1);
	assert_int_equal(jint(p, "signals.generated"), 1);
	assert_int_equal(jint(p, "signals.delivered"), 0);
	assert_int_equal(jint(v, "copies.user_to_kernel.bytes"), 0);
	json_object_put(rep);
}

static void test_pipe_capacity(void **state)
{
	struct json_object *rep, *f;

	NEED_BPF();
	rep = run_report("pipe-capacity");
	assert_int_equal(jint(rep, "facts.prober.pipe_size"), 65536);
	/* small writes fill each page buffer (as far as whole writes fit), larger ones do not merge */
	assert_int_equal(jint(rep, "facts.prober.cap_1_bytes"), 65536);
	assert_int_equal(jint(rep, "facts.prober.cap_100_bytes"), 16 * (4096 / 100) * 100);
	assert_int_equal(jint(rep, "facts.prober.cap_4096_bytes"), 65536);
	assert_int_equal(jint(rep, "facts.prober.cap_65536_bytes"), 65536);
	/* 4097-byte writes take two page buffers each; the last one may be taken in part */
	assert_true(jint(rep, "facts.prober.cap_4097_bytes") < 65536);
	assert_between(jint(rep, "facts.prober.cap_4097_bytes"),
		       (jint(rep, "facts.prober.cap_4097_writes") - 1) * 4097 + 1,
		       jint(rep, "facts.prober.cap_4097_writes") * 4097);
	/* the kernel's copies match the bytes accepted, every write size together */
	assert_int_equal(jint(role_figures(rep, "prober"), "copies.user_to_kernel.bytes"),
			 jint(rep, "facts.prober.cap_1_bytes") + jint(rep, "facts.prober.cap_100_bytes") +
				 jint(rep, "facts.prober.cap_4096_bytes") +
				 jint(rep, "facts.prober.cap_4097_bytes") +
				 jint(rep, "facts.prober.cap_65536_bytes"));
	f = role_figures(rep, "filler");
	assert_int_equal(jint(f, "syscalls"), 1);
	assert_int_equal(jint(f, "context_switches.voluntary_in_io"), 1);
	assert_int_equal(jint(rep, "facts.filler.blocking_write_ret"), 4096);
	assert_true(jint(rep, "facts.filler.blocking_write_ns") > 40000000);
	json_object_put(rep);
}

static void test_pipe_scm_rights(void **state)
{
	struct json_object *rep, *s, *r;

	NEED_BPF();
	rep = run_report("pipe-scm-rights --size 1M --block 64K");
	s = role_figures(rep, "sender");
	r = role_figures(rep, "receiver");
	assert_int_equal(jint(rep, "facts.receiver.bytes_read"), 1 << 20);
	assert_int_equal(jint(rep, "facts.receiver.words_mismatched"), 0);
	assert_int_equal(jint(s, "by_fd_kind.pipe.write_bytes"), 1 << 20);
	assert_int_equal(jint(s, "syscalls_by_name.write"), 16);
	assert_int_equal(jint(r, "by_fd_kind.pipe.read_bytes"), 1 << 20);
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 1 << 20);
	json_object_put(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_rules),
		cmocka_unit_test(test_pipe_eof),
		cmocka_unit_test(test_pipe_read_blocks),
		cmocka_unit_test(test_pipe_sigpipe),
		cmocka_unit_test(test_pipe_capacity),
		cmocka_unit_test(test_pipe_scm_rights),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
