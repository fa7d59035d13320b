// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The real scenarios under the real BPF programs. Exact figures where the
 * kernel is deterministic (bytes, syscalls), tight bounds where it is not
 * (faults, context switches).
 */
#include "compiler.h"
#include "harness.h"

#define MiB (1 << 20)

static void test_pipe_1m_64k(void **state UNUSED)
{
	struct json_object *rep, *w, *r;

	NEED_BPF();
	rep = run_report("pipe --size 1M --block 64K");
	w = role_figures(rep, "writer");
	r = role_figures(rep, "reader");
	assert_int_equal(jint(rep, "schema"), 2);
	assert_int_equal(jint(rep, "scenario.units"), 16);
	/* the writer: 16 write()s of 64 KiB, each one copy user -> kernel */
	assert_int_equal(jint(w, "copies.user_to_kernel.bytes"), MiB);
	assert_int_equal(jint(w, "copies.user_to_kernel.ops"), 16);
	assert_int_equal(jint(w, "syscalls_by_name.write"), 16);
	assert_int_equal(jint(w, "syscalls"), 16);
	assert_int_equal(jint(w, "copies.kernel_to_user.bytes"), 0);
	/* the reader: everything back out, kernel -> user, in >= 16 read()s */
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), MiB);
	assert_between(jint(r, "syscalls_by_name.read"), 16, 256);
	assert_int_equal(jint(r, "syscalls"), jint(r, "syscalls_by_name.read"));
	assert_int_equal(jint(r, "copies.user_to_kernel.bytes"), 0);
	/* no references, no kernel copies; no faults once buffers are warm */
	assert_int_equal(jint(rep, "totals.page_refs.bytes"), 0);
	assert_int_equal(jint(rep, "totals.copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(jint(rep, "totals.page_faults.user"), 0);
	assert_int_equal(jint(rep, "totals.mode_switches"), 2 * jint(rep, "totals.syscalls"));
	assert_string_equal(json_object_get_string(jget(w, "copies.user_to_kernel.method")), "derived");
	/* per unit (one 64 KiB block): one write, one copy each way */
	assert_int_equal(jint(rep, "per_unit.copies.user_to_kernel.bytes"), 65536);
	assert_int_equal(jint(rep, "per_unit.copies.kernel_to_user.bytes"), 65536);
	/* what the workload saw */
	assert_int_equal(jint(rep, "facts.reader.bytes_read"), MiB);
	assert_int_equal(jint(rep, "facts.reader.words_mismatched"), 0);
	assert_int_equal(jint(rep, "facts.reader.read_after_writer_closed"), 0);
	assert_true(json_object_get_boolean(jget(rep, "run.complete")));
	json_object_put(rep);
}

static void test_mmap_share(void **state UNUSED)
{
	struct json_object *rep, *w, *r;
	int64_t pages;

	NEED_BPF();
	rep = run_report("mmap-share --size 1M");
	pages = jint(rep, "scenario.units");
	assert_int_equal(pages, 256);
	w = role_figures(rep, "writer");
	r = role_figures(rep, "reader");
	/* after mmap: no syscall, no boundary copy on either side */
	for (struct json_object **f = (struct json_object *[]){ w, r, NULL }; *f; f++) {
		assert_int_equal(jint(*f, "syscalls"), 0);
		assert_int_equal(jint(*f, "copies.user_to_kernel.bytes"), 0);
		assert_int_equal(jint(*f, "copies.kernel_to_user.bytes"), 0);
		assert_int_equal(jint(*f, "copies.kernel_to_kernel.bytes"), 0);
		assert_int_equal(jint(*f, "page_refs.bytes"), 0);
	}
	/*
	 * every page the writer stores to takes one write fault (under ASan, its
	 * shadow of the mapping may fault too: 32 pages for 1 MiB, seen once)
	 */
	assert_between(jint(w, "page_faults.user_write"), pages,
		       pages + SAN_EXTRA(SHADOW_PAGES(pages)));
	assert_between(jint(w, "page_faults.user"), pages, pages + SAN_EXTRA(SHADOW_PAGES(pages)));
	/* the reader's read faults map up to 16 cached pages each (fault-around) */
	assert_between(jint(r, "page_faults.user"), pages / 16,
		       pages / 16 + 4 + SAN_EXTRA(SHADOW_PAGES(pages)));
	assert_int_equal(jint(r, "page_faults.user_write"), 0);
	assert_between(jint(r, "page_cache.fault_around_pages"), pages, pages + 32);
	/* a fault is a round trip too */
	assert_int_equal(jint(rep, "totals.mode_switches"), 2 * jint(rep, "totals.page_faults.user"));
	assert_int_equal(jint(rep, "facts.reader.bytes_checked"), MiB);
	assert_int_equal(jint(rep, "facts.reader.words_mismatched"), 0);
	json_object_put(rep);
}

/* sendfile of 4 MiB in 64 KiB calls into @to; the sender's figures. */
static struct json_object *sendfile_run(const char *to, bool cold, struct json_object **sender)
{
	char args[128];
	struct json_object *rep;

	snprintf(args, sizeof(args), "sendfile --to %s --size 4M --block 64K%s", to,
		 cold ? " --cold" : "");
	rep = run_report(args);
	*sender = role_figures(rep, "sender");
	assert_int_equal(jint(rep, "scenario.units"), 64);
	assert_int_equal(jint(*sender, "syscalls_by_name.sendfile"), 64);
	assert_int_equal(jint(*sender, "syscalls"), 64);
	/* the data never crosses the user boundary on the sender */
	assert_int_equal(jint(*sender, "copies.user_to_kernel.bytes"), 0);
	assert_int_equal(jint(*sender, "copies.kernel_to_user.bytes"), 0);
	check_observed(*sender, "file_read", 0, 0);
	check_observed(*sender, "socket_send", 0, 0);
	return rep;
}

static void check_socket_or_pipe(const char *to, const char *k2u_method)
{
	struct json_object *rep, *s, *r;

	rep = sendfile_run(to, false, &s);
	r = role_figures(rep, "receiver");
	assert_int_equal(jint(s, "page_refs.bytes"), 4 * MiB);
	assert_int_equal(jint(s, "copies.kernel_to_kernel.bytes"), 0);
	/* the receiver still copies everything out */
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 4 * MiB);
	assert_string_equal(json_object_get_string(jget(r, "copies.kernel_to_user.method")),
			    k2u_method);
	assert_int_equal(jint(r, "copies.user_to_kernel.bytes"), 0);
	assert_int_equal(jint(rep, "facts.receiver.words_mismatched"), 0);
	json_object_put(rep);
}

static void test_sendfile_unix(void **state UNUSED)
{
	NEED_BPF();
	check_socket_or_pipe("unix", "observed"); /* skb:skb_copy_datagram_iovec */
}

static void test_sendfile_tcp(void **state UNUSED)
{
	NEED_BPF();
	check_socket_or_pipe("tcp", "observed");
}

static void test_sendfile_pipe(void **state UNUSED)
{
	NEED_BPF();
	check_socket_or_pipe("pipe", "derived");
}

static void test_sendfile_file(void **state UNUSED)
{
	struct json_object *rep, *s;

	NEED_BPF();
	rep = sendfile_run("file", false, &s);
	/* into a regular file the kernel copies (splice through its internal pipe) */
	assert_int_equal(jint(s, "copies.kernel_to_kernel.bytes"), 4 * MiB);
	assert_int_equal(jint(s, "page_refs.bytes"), 0);
	check_observed(s, "file_write", 0, 4 * MiB); /* generic_perform_write on a bvec */
	/* the copy's pages are new page-cache pages, written, not read misses */
	assert_int_equal(jint(s, "page_cache.inserted_by_writes"), 1024);
	assert_int_equal(jint(s, "page_cache.hits"), jint(s, "page_cache.lookups"));
	assert_int_equal(jint(rep, "facts.sender.words_mismatched"), 0);
	json_object_put(rep);
}

static void test_sendfile_cold(void **state UNUSED)
{
	struct json_object *rep, *s;
	int64_t left;

	NEED_BPF();
	rep = sendfile_run("unix", true, &s);
	left = jint(rep, "facts.sender.resident_pages_after_evict");
	assert_int_equal(jint(rep, "phases.setup.page_cache.evicted"), 1024);
	if (left != 0) {
		printf("skipped: the page cache kept %lld pages after POSIX_FADV_DONTNEED\n",
		       (long long)left);
		json_object_put(rep);
		skip();
	}
	/* every page comes from the disk, through readahead, once */
	assert_int_equal(jint(s, "page_cache.inserted"), 1024);
	assert_between(jint(s, "dma.disk_read_bytes"), 4 * MiB, 4 * MiB + 512 * 1024);
	assert_int_equal(jint(s, "dma.disk_readahead_bytes"), jint(s, "dma.disk_read_bytes"));
	assert_between(jint(s, "page_cache.readahead"), 1, 64);
	assert_true(json_object_get_type(jget(s, "dma.nic_bytes")) == json_type_null);
	json_object_put(rep);
}

/* Two runs at once: each counts its own processes only, exactly as alone. */
static void test_two_runs_at_once(void **state UNUSED)
{
	struct json_object *a, *b;
	char cmd[512];
	int rc;

	NEED_BPF();
	snprintf(cmd, sizeof(cmd),
		 "sh -c '%s run pipe --size 4M --block 64K --json >/tmp/ipctrace-test-a.json & "
		 "%s run sendfile --to unix --size 4M --block 64K --json >/tmp/ipctrace-test-b.json; "
		 "wait $!'", ipctrace_bin(), ipctrace_bin());
	rc = system(cmd);
	assert_int_equal(rc, 0);
	a = load_kept("report", "/tmp/ipctrace-test-a.json");
	b = load_kept("report", "/tmp/ipctrace-test-b.json");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(jint(role_figures(a, "writer"), "copies.user_to_kernel.bytes"), 4 * MiB);
	assert_int_equal(jint(role_figures(a, "writer"), "syscalls"), 64);
	assert_int_equal(jint(a, "totals.page_refs.bytes"), 0);
	assert_int_equal(jint(role_figures(b, "sender"), "page_refs.bytes"), 4 * MiB);
	assert_int_equal(jint(role_figures(b, "sender"), "syscalls"), 64);
	assert_int_equal(jint(b, "totals.copies.user_to_kernel.bytes"), 0);
	assert_int_equal(json_object_array_length(jget(a, "processes")), 2);
	assert_int_equal(json_object_array_length(jget(b, "processes")), 2);
	unlink("/tmp/ipctrace-test-a.json");
	unlink("/tmp/ipctrace-test-b.json");
	json_object_put(a);
	json_object_put(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_1m_64k),
		cmocka_unit_test(test_mmap_share),
		cmocka_unit_test(test_sendfile_unix),
		cmocka_unit_test(test_sendfile_tcp),
		cmocka_unit_test(test_sendfile_pipe),
		cmocka_unit_test(test_sendfile_file),
		cmocka_unit_test(test_sendfile_cold),
		cmocka_unit_test(test_two_runs_at_once),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
