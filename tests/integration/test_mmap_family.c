// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The mmap family (mmap-share's file check, mmap-fork, mmap-private,
 * mmap-anon, posix-shm, mmap-rules, mmap-vs-read) under the real BPF
 * programs. Exact figures where the kernel is deterministic (syscalls,
 * bytes copied, one write fault per page stored, signals), bounds where
 * fault-around makes them depend on where a mapping lands (read faults).
 */
#include <dirent.h>
#include "compiler.h"
#include "harness.h"

#define MiB (1 << 20)

/* No syscall and no copy of any kind in @f's transfer phase. */
static void assert_no_syscall_no_copy(struct json_object *f)
{
	assert_int_equal(jint(f, "syscalls"), 0);
	assert_int_equal(jint(f, "copies.user_to_kernel.bytes"), 0);
	assert_int_equal(jint(f, "copies.kernel_to_user.bytes"), 0);
	assert_int_equal(jint(f, "copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(jint(f, "page_refs.bytes"), 0);
}

/* A process that stored into every one of @pages absent pages of a shared mapping. */
static void assert_stored(struct json_object *f, int64_t pages)
{
	assert_no_syscall_no_copy(f);
	assert_between(jint(f, "page_faults.user_write"), pages, pages + SAN_EXTRA(SHADOW_PAGES(pages)));
	assert_between(jint(f, "page_faults.user"), pages, pages + SAN_EXTRA(SHADOW_PAGES(pages)));
}

/*
 * A process that loaded @pages pages already in memory: read faults map up
 * to 16 pages each (fault-around, a window aligned on the virtual address,
 * so the first and last windows may be partial). Where the data shares a
 * VMA with the control page, waiting on the control page in setup often
 * maps the last 16 data pages already (seen: 15 faults and 240 pages of
 * 256 in most mmap-private runs, 16 and 256 in the others).
 */
static void assert_loaded(struct json_object *f, int64_t pages)
{
	assert_no_syscall_no_copy(f);
	assert_int_equal(jint(f, "page_faults.user_write"), 0);
	assert_between(jint(f, "page_faults.user"), pages / 16 - 2, pages / 16 + 4);
	assert_between(jint(f, "page_cache.fault_around_pages"), pages - 32, pages + 32);
}

static void test_mmap_share_file(void **state UNUSED)
{
	struct json_object *rep;

	NEED_BPF();
	rep = run_report("mmap-share --size 1M");
	/* after both munmap()s, read() of the file gives what the writer stored */
	assert_int_equal(jint(rep, "facts.reader.words_mismatched_in_file"), 0);
	assert_int_equal(jint(rep, "facts.reader.words_mismatched"), 0);
	json_object_put(rep);
}

static void test_mmap_fork(void **state UNUSED)
{
	struct json_object *rep;
	int64_t pages;

	NEED_BPF();
	rep = run_report("mmap-fork --size 1M");
	pages = jint(rep, "scenario.units");
	assert_int_equal(pages, 256);
	/* the child stores through the mapping it inherited: one write fault a page */
	assert_stored(role_figures(rep, "child"), pages);
	assert_loaded(role_figures(rep, "parent"), pages);
	assert_int_equal(jint(rep, "totals.mode_switches"),
			 2 * jint(rep, "totals.page_faults.user"));
	assert_int_equal(jint(rep, "facts.child.bytes_stored"), MiB);
	assert_int_equal(jint(rep, "facts.parent.bytes_checked"), MiB);
	assert_int_equal(jint(rep, "facts.parent.words_mismatched"), 0);
	assert_int_equal(jint(rep, "facts.parent.words_mismatched_in_file"), 0);
	json_object_put(rep);
}

static void test_mmap_private(void **state UNUSED)
{
	struct json_object *rep, *w, *rw;
	int64_t pages;

	NEED_BPF();
	rep = run_report("mmap-private --size 1M");
	pages = jint(rep, "scenario.units");
	assert_int_equal(pages, 256);
	w = role_figures(rep, "writer");
	rw = role_figures(rep, "read-then-write");
	/*
	 * Both take one write fault per page and end with one anonymous page
	 * per page (the copies: a COW copy is not in the copy ledger, which
	 * sees syscalls, so the evidence is the faults and smaps).
	 */
	assert_stored(w, pages);
	assert_stored(rw, pages);
	/* straight stores: each fault reads the page-cache page (filemap fault) to copy it */
	assert_int_equal(jint(w, "page_faults.user_protection"), 0);
	assert_int_equal(jint(w, "page_cache.fault_pages"), pages);
	/* after loads the page-cache page is mapped read-only: every store is a COW fault */
	assert_int_equal(jint(rw, "page_faults.user_protection"), pages);
	assert_int_equal(jint(rw, "page_cache.fault_pages"), 0);
	assert_loaded(role_figures(rep, "observer"), pages);
	for (const char *const *r = (const char *const[]){ "writer", "read-then-write", NULL }; *r;
	     r++) {
		char key[96];

		snprintf(key, sizeof(key), "facts.%s.words_not_kept", *r);
		assert_int_equal(jint(rep, key), 0);
		snprintf(key, sizeof(key), "facts.%s.anon_pages", *r);
		assert_int_equal(jint(rep, key), pages);
		snprintf(key, sizeof(key), "facts.%s.words_changed_in_file", *r);
		assert_int_equal(jint(rep, key), 0);
	}
	assert_int_equal(jint(rep, "facts.read-then-write.words_mismatched_before"), 0);
	assert_int_equal(jint(rep, "facts.observer.bytes_checked"), MiB);
	assert_int_equal(jint(rep, "facts.observer.words_changed_seen_by_other"), 0);
	json_object_put(rep);
}

static void check_anon(const char *to)
{
	char args[64];
	struct json_object *rep, *c, *p;
	int64_t pages;

	snprintf(args, sizeof(args), "mmap-anon --size 1M --to %s", to);
	rep = run_report(args);
	pages = jint(rep, "scenario.units");
	assert_int_equal(pages, 256);
	assert_string_equal(json_object_get_string(jget(rep, "scenario.params.to")), to);
	c = role_figures(rep, "child");
	p = role_figures(rep, "parent");
	assert_stored(c, pages);
	/* shmem pages, found in its page cache by fault-around, not filemap faults */
	assert_loaded(p, pages);
	assert_int_equal(jint(c, "page_cache.fault_pages"), 0);
	assert_int_equal(jint(rep, "facts.child.bytes_stored"), MiB);
	assert_int_equal(jint(rep, "facts.parent.bytes_checked"), MiB);
	assert_int_equal(jint(rep, "facts.parent.words_mismatched"), 0);
	json_object_put(rep);
}

static void test_mmap_anon(void **state UNUSED)
{
	NEED_BPF();
	check_anon("anon");
}

static void test_mmap_anon_devzero(void **state UNUSED)
{
	NEED_BPF();
	check_anon("devzero");
}

static void expect_usage_error(const char *args, const char *msg)
{
	int rc;
	char *out = run_cmd(args, &rc);

	assert_int_equal(rc, 2);
	if (!strstr(out, msg))
		fail_msg("ipctrace %s said '%s', not '%s'", args, out, msg);
	free(out);
}

static void test_bad_options(void **state UNUSED)
{
	NEED_BPF();
	expect_usage_error("run mmap-anon --to file 2>&1", "anon or devzero");
	expect_usage_error("run mmap-rules --size 1M 2>&1", "takes no --size");
	expect_usage_error("run mmap-vs-read --size 4K --block 8K 2>&1", "larger than --size");
}

/* Entries of /dev/shm that a posix-shm run could have left. */
static int shm_leftovers(void)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, "ipctrace-", 9);
	closedir(d);
	return n;
}

static void test_posix_shm(void **state UNUSED)
{
	struct json_object *rep;
	int64_t pages;

	NEED_BPF();
	rep = run_report("posix-shm --size 1M");
	pages = jint(rep, "scenario.units");
	assert_int_equal(pages, 256);
	assert_stored(role_figures(rep, "writer"), pages);
	assert_loaded(role_figures(rep, "reader"), pages);
	assert_int_equal(jint(rep, "facts.writer.bytes_stored"), MiB);
	assert_int_equal(jint(rep, "facts.writer.shm_unlink_ret"), 0);
	assert_int_equal(jint(rep, "facts.reader.bytes_checked"), MiB);
	assert_int_equal(jint(rep, "facts.reader.words_mismatched"), 0);
	assert_int_equal(shm_leftovers(), 0);
	json_object_put(rep);
}

static void test_posix_shm_interrupted(void **state UNUSED)
{
	int rc;
	char *out;

	NEED_BPF();
	/* Ctrl-C in the middle (or after the end, on a fast machine): nothing left */
	out = run_cmd("run posix-shm --size 256M --json >/dev/null 2>&1 & pid=$!; sleep 0.15; "
		      "kill -INT $pid; wait $pid", &rc);
	free(out);
	assert_true(rc == 0 || rc == 1 || rc == 128 + 2);
	assert_int_equal(shm_leftovers(), 0);
}

struct expect {
	const char *key;
	int64_t value;
};

static void test_mmap_rules(void **state UNUSED)
{
	static const struct expect facts[] = {
		{ "offset_4096_ret", 0 },		{ "offset_4096_words_mismatched", 0 },
		{ "offset_100_ret", -1 },		{ "offset_100_errno", 22 },
		{ "offset_100_libc_ret", -1 },		{ "offset_100_libc_errno", 22 },
		{ "length_0_ret", -1 },			{ "length_0_errno", 22 },
		{ "empty_ret", 0 },			{ "empty_touch_signal", 7 },
		{ "small_ret", 0 },			{ "small_head_mismatched", 0 },
		{ "small_tail_nonzero_bytes", 0 },	{ "small_page2_touch_signal", 7 },
		{ "wronly_read_ret", -1 },		{ "wronly_read_errno", 13 },
		{ "wronly_write_ret", -1 },		{ "wronly_write_errno", 13 },
		{ "rdonly_shared_write_ret", -1 },	{ "rdonly_shared_write_errno", 13 },
		{ "rdonly_private_write_ret", 0 },	{ "rdonly_private_write_seen", 1 },
		{ "rdonly_private_write_file_words_changed", 0 },
		{ "closed_ret", 0 },			{ "closed_close_ret", 0 },
		{ "closed_words_mismatched", 0 },	{ "closed_stamp_seen", 1 },
		{ "closed_stamp_in_file", 1 },		{ "unmap_map_ret", 0 },
		{ "unmap_unaligned_ret", -1 },		{ "unmap_unaligned_errno", 22 },
		{ "unmap_inside_ret", 0 },		{ "unmap_rest_words_mismatched", 0 },
		{ "unmap_hole_touch_signal", 11 },	{ "unmap_whole_ret", 0 },
	};
	struct json_object *rep, *f;
	char key[96];

	NEED_BPF();
	rep = run_report("mmap-rules");
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		snprintf(key, sizeof(key), "facts.prober.%s", facts[i].key);
		if (jint(rep, key) != facts[i].value)
			fail_msg("%s = %lld, expected %lld", key, (long long)jint(rep, key),
				 (long long)facts[i].value);
	}
	f = role_figures(rep, "prober");
	/* two SIGBUS (empty file, page past EOF) and one SIGSEGV (the unmapped hole) */
	assert_int_equal(jint(f, "signals.generated"), 3);
	assert_int_equal(jint(f, "signals.delivered"), 3);
	/* glibc answers the unaligned offset itself: 11 mmap calls reach the kernel, not 12 */
	assert_int_equal(jint(f, "syscalls_by_name.mmap"), 11);
	assert_int_equal(jint(f, "syscalls_by_name.munmap"), 8);
	assert_int_equal(jint(f, "syscalls_by_name.close"), 1);
	/* under ASan, sigaltstack on and off around each of the 3 signals, in some runs */
	assert_between(jint(f, "syscalls"), 20, 20 + SAN_EXTRA(6));
	assert_int_equal(jint(f, "copies.user_to_kernel.bytes"), 0);
	assert_int_equal(jint(f, "copies.kernel_to_user.bytes"), 0);
	/* one fault per touched page, the three signalled touches included */
	assert_between(jint(f, "page_faults.user"), 9, 12);
	json_object_put(rep);
}

static void test_mmap_vs_read(void **state UNUSED)
{
	struct json_object *rep, *r, *m;
	int64_t pages;

	NEED_BPF();
	rep = run_report("mmap-vs-read --size 4M --block 64K");
	pages = jint(rep, "scenario.units");
	assert_int_equal(pages, 1024);
	r = role_figures(rep, "reader");
	m = role_figures(rep, "mapper");
	/* read(): 64 calls, every byte copied page cache -> user, all cache hits */
	assert_int_equal(jint(r, "syscalls_by_name.read"), 64);
	assert_int_equal(jint(r, "syscalls"), 64);
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 4 * MiB);
	assert_int_equal(jint(r, "copies.kernel_to_user.ops"), 64);
	assert_int_equal(jint(r, "page_cache.lookups"), pages);
	assert_int_equal(jint(r, "page_cache.hits"), pages);
	assert_int_equal(jint(r, "page_faults.user"), 0);
	/* the mapping: no syscall, no copy, read faults mapping the cached pages */
	assert_loaded(m, pages);
	assert_int_equal(jint(m, "page_cache.lookups"), 0);
	assert_int_equal(jint(rep, "facts.reader.bytes_checked"), 4 * MiB);
	assert_int_equal(jint(rep, "facts.reader.words_mismatched"), 0);
	assert_int_equal(jint(rep, "facts.mapper.bytes_checked"), 4 * MiB);
	assert_int_equal(jint(rep, "facts.mapper.words_mismatched"), 0);
	json_object_put(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mmap_share_file),
		cmocka_unit_test(test_mmap_fork),
		cmocka_unit_test(test_mmap_private),
		cmocka_unit_test(test_mmap_anon),
		cmocka_unit_test(test_mmap_anon_devzero),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_posix_shm),
		cmocka_unit_test(test_posix_shm_interrupted),
		cmocka_unit_test(test_mmap_rules),
		cmocka_unit_test(test_mmap_vs_read),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
