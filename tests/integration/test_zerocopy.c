// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The zero-copy family (read-write, mmap-write, splice, vmsplice: each sends
 * a 4 MiB file in 64 KiB blocks, like sendfile in test_scenarios.c) and the
 * page cache (cold-read, write-fsync), under the real BPF programs. Exact
 * figures where the kernel is deterministic (bytes, syscalls), bounds where
 * it is not (faults, readahead, disk bytes).
 */
#include "compiler.h"
#include "harness.h"

#define MiB (1 << 20)
#define BLOCKS 64 /* 4 MiB in 64 KiB blocks */

/* Every --cold run: did the page cache let the file go? */
static bool evicted(struct json_object *rep)
{
	int64_t left = jint(rep, "facts.sender.resident_pages_after_evict");

	if (left)
		printf("note: the page cache kept %lld pages after POSIX_FADV_DONTNEED\n",
		       (long long)left);
	return left == 0;
}

/*
 * ipctrace run SCEN --to TO --size 4M --block 64K [--cold], with what every
 * transfer scenario must show: 64 blocks, and a receiver (or, for a file,
 * the sender itself) that got all 4 MiB intact.
 */
static struct json_object *transfer(const char *scen, const char *to, bool cold,
				    struct json_object **sender)
{
	char args[160];
	struct json_object *rep;
	const char *checker = strcmp(to, "file") ? "receiver" : "sender";
	char key[64];

	snprintf(args, sizeof(args), "%s --to %s --size 4M --block 64K%s", scen, to,
		 cold ? " --cold" : "");
	rep = run_report(args);
	*sender = role_figures(rep, "sender");
	assert_int_equal(jint(rep, "scenario.units"), BLOCKS);
	assert_string_equal(json_object_get_string(jget(rep, "scenario.unit")), "block");
	assert_int_equal(jint(rep, "facts.sender.bytes_sent"), 4 * MiB);
	snprintf(key, sizeof(key), "facts.%s.bytes_read", checker);
	assert_int_equal(jint(rep, key), 4 * MiB);
	snprintf(key, sizeof(key), "facts.%s.words_mismatched", checker);
	assert_int_equal(jint(rep, key), 0);
	assert_true(json_object_get_boolean(jget(rep, "run.complete")));
	return rep;
}

/* A socket receiver copies every byte out once, observed on the skb copy. */
static void check_socket_receiver(struct json_object *rep)
{
	struct json_object *r = role_figures(rep, "receiver");

	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 4 * MiB);
	assert_string_equal(json_object_get_string(jget(r, "copies.kernel_to_user.method")),
			    "observed");
	assert_int_equal(jint(r, "copies.user_to_kernel.bytes"), 0);
	assert_int_equal(jint(r, "page_refs.bytes"), 0);
}

/* A cold file: every page read from the disk once, all of it by readahead. */
static void check_cold_source(struct json_object *s)
{
	assert_int_equal(jint(s, "page_cache.inserted"), 1024);
	assert_between(jint(s, "dma.disk_read_bytes"), 4 * MiB, 4 * MiB + 512 * 1024);
	assert_int_equal(jint(s, "dma.disk_readahead_bytes"), jint(s, "dma.disk_read_bytes"));
	assert_between(jint(s, "page_cache.readahead"), 1, 64);
}

/* A warm file: no page comes in (but those of a copy written), nothing from the disk. */
static void check_warm_source(struct json_object *s)
{
	assert_int_equal(jint(s, "page_cache.inserted"), jint(s, "page_cache.inserted_by_writes"));
	assert_int_equal(jint(s, "dma.disk_read_bytes"), 0);
}

static void read_write(const char *to, bool cold)
{
	struct json_object *rep, *s;

	rep = transfer("read-write", to, cold, &s);
	/* per block: one read (page cache -> user), one write (user -> socket) */
	assert_int_equal(jint(s, "syscalls_by_name.read"), BLOCKS);
	assert_int_equal(jint(s, "syscalls_by_name.write"), BLOCKS);
	assert_int_equal(jint(s, "syscalls"), 2 * BLOCKS);
	assert_int_equal(jint(s, "mode_switches"), 4 * BLOCKS);
	assert_int_equal(jint(s, "copies.kernel_to_user.bytes"), 4 * MiB);
	assert_int_equal(jint(s, "copies.user_to_kernel.bytes"), 4 * MiB);
	assert_int_equal(jint(s, "copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(jint(s, "page_refs.bytes"), 0);
	/* the buffer was touched in setup */
	assert_int_equal(jint(s, "page_faults.user"), 0);
	assert_int_equal(jint(s, "page_faults.kernel"), 0);
	assert_int_equal(jint(rep, "per_unit.copies.user_to_kernel.bytes"), 65536);
	/* read(2) copies in filemap_read; unix sends, not TCP's, in skb_copy_datagram_from_iter */
	check_observed(s, "file_read", 4 * MiB, 0);
	check_observed(s, "socket_send", strcmp(to, "unix") ? 0 : 4 * MiB, 0);
	check_observed(s, "file_write", 0, 0);
	check_socket_receiver(rep);
	if (!cold)
		check_warm_source(s);
	else if (evicted(rep))
		check_cold_source(s);
	json_object_put(rep);
}

static void test_read_write_tcp(void **state UNUSED)
{
	NEED_BPF();
	read_write("tcp", false);
}

static void test_read_write_unix_cold(void **state UNUSED)
{
	NEED_BPF();
	read_write("unix", true);
}

static void mmap_write(const char *to, bool cold)
{
	struct json_object *rep, *s;

	rep = transfer("mmap-write", to, cold, &s);
	/* per block: one write straight from the mapping, user -> socket */
	assert_int_equal(jint(s, "syscalls_by_name.write"), BLOCKS);
	assert_int_equal(jint(s, "syscalls"), BLOCKS);
	assert_int_equal(jint(s, "copies.user_to_kernel.bytes"), 4 * MiB);
	assert_int_equal(jint(s, "copies.kernel_to_user.bytes"), 0);
	assert_int_equal(jint(s, "copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(jint(s, "page_refs.bytes"), 0);
	/*
	 * The mapping is first touched by the kernel's copy from it: kernel
	 * faults (no mode switch of their own), each mapping 16 pages by
	 * fault-around, so about one per 64 KiB block.
	 */
	assert_between(jint(s, "page_faults.user"), 0, SAN_EXTRA(SHADOW_PAGES(1024)));
	assert_between(jint(s, "page_faults.kernel"), BLOCKS, BLOCKS + 8);
	assert_between(jint(s, "page_cache.fault_around_pages"), 1024, 1024 + 64);
	/* two per syscall and per user fault (none, but ASan's shadow under SAN=1) */
	assert_int_equal(jint(s, "mode_switches"), 2 * (BLOCKS + jint(s, "page_faults.user")));
	check_socket_receiver(rep);
	if (!cold)
		check_warm_source(s);
	else if (evicted(rep)) {
		/* faults on a cold mapping read the file around them (mmap readahead) */
		assert_int_equal(jint(s, "page_cache.inserted"), 1024);
		assert_between(jint(s, "dma.disk_read_bytes"), 4 * MiB, 4 * MiB + 512 * 1024);
		assert_int_equal(jint(s, "dma.disk_readahead_bytes"),
				 jint(s, "dma.disk_read_bytes"));
		/*
		 * each fault starts the read and is retried (VM_FAULT_RETRY), and
		 * the retry's fault-around maps the pages: filemap_fault itself maps
		 * none (bpf/faultaround.bpf.h measures what was mapped; this counted
		 * filemap_fault calls, 1 to 16, before)
		 */
		assert_between(jint(s, "page_cache.fault_pages") +
				       jint(s, "page_cache.fault_around_pages"),
			       1024, 1024 + 64);
	}
	json_object_put(rep);
}

static void test_mmap_write_tcp(void **state UNUSED)
{
	NEED_BPF();
	mmap_write("tcp", false);
}

static void test_mmap_write_unix_cold(void **state UNUSED)
{
	NEED_BPF();
	mmap_write("unix", true);
}

/*
 * Nothing crossed the user boundary on the sender, and nothing faulted
 * (under ASan, a shadow page may: seen once in 5 SAN runs of vmsplice to TCP).
 */
static void check_no_cpu_copy(struct json_object *s)
{
	assert_int_equal(jint(s, "copies.user_to_kernel.bytes"), 0);
	assert_int_equal(jint(s, "copies.kernel_to_user.bytes"), 0);
	assert_between(jint(s, "page_faults.user"), 0, SAN_EXTRA(2));
	assert_int_equal(jint(s, "page_faults.kernel"), 0);
}

static void splice_to(const char *to, bool cold)
{
	struct json_object *rep, *s;

	rep = transfer("splice", to, cold, &s);
	assert_int_equal(jint(rep, "facts.sender.pipe_size"), 65536);
	/* per block: splice(file -> pipe), splice(pipe -> destination) */
	assert_int_equal(jint(s, "syscalls_by_name.splice"), 2 * BLOCKS);
	assert_int_equal(jint(s, "syscalls"), 2 * BLOCKS);
	check_no_cpu_copy(s);
	if (!strcmp(to, "file")) {
		/* the pipe's pages are copied into the new file's page cache */
		assert_int_equal(jint(s, "page_refs.bytes"), 4 * MiB);
		assert_int_equal(jint(s, "copies.kernel_to_kernel.bytes"), 4 * MiB);
		assert_int_equal(jint(s, "page_cache.inserted_by_writes"), 1024);
	} else {
		/* references twice: into the pipe, then on to the socket */
		assert_int_equal(jint(s, "page_refs.bytes"), 8 * MiB);
		assert_int_equal(jint(s, "page_refs.ops"), 2 * BLOCKS);
		assert_int_equal(jint(s, "copies.kernel_to_kernel.bytes"), 0);
		check_socket_receiver(rep);
	}
	if (!cold)
		check_warm_source(s);
	else if (evicted(rep))
		check_cold_source(s);
	json_object_put(rep);
}

static void test_splice_tcp(void **state UNUSED)
{
	NEED_BPF();
	splice_to("tcp", false);
}

static void test_splice_unix_cold(void **state UNUSED)
{
	NEED_BPF();
	splice_to("unix", true);
}

static void test_splice_file(void **state UNUSED)
{
	NEED_BPF();
	splice_to("file", false);
}

static void vmsplice_to(const char *to)
{
	bool direct = !strcmp(to, "pipe");
	struct json_object *rep, *s, *r;

	rep = transfer("vmsplice", to, false, &s);
	r = role_figures(rep, "receiver");
	/* per block: one vmsplice of user pages into the pipe (+ a splice on) */
	assert_int_equal(jint(s, "syscalls_by_name.vmsplice"), BLOCKS);
	assert_int_equal(jint(s, "syscalls"), (direct ? 1 : 2) * BLOCKS);
	check_no_cpu_copy(s);
	assert_int_equal(jint(s, "copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(jint(s, "page_refs.bytes"), (direct ? 1 : 2) * 4 * MiB);
	assert_int_equal(jint(s, "page_refs.ops"), (direct ? 1 : 2) * BLOCKS);
	assert_int_equal(jint(s, "page_cache.inserted"), 0);
	/* the one CPU copy: the receiver's, out of the sender's own pages */
	if (direct) {
		assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 4 * MiB);
		assert_int_equal(jint(r, "syscalls_by_name.read"), jint(r, "syscalls"));
		assert_int_equal(jint(r, "copies.user_to_kernel.bytes"), 0);
	} else {
		check_socket_receiver(rep);
	}
	json_object_put(rep);
}

static void test_vmsplice_pipe(void **state UNUSED)
{
	NEED_BPF();
	vmsplice_to("pipe");
}

static void test_vmsplice_tcp(void **state UNUSED)
{
	NEED_BPF();
	vmsplice_to("tcp");
}

static void test_cold_read(void **state UNUSED)
{
	struct json_object *rep, *r;
	int64_t pages;

	NEED_BPF();
	rep = run_report("cold-read --size 1M");
	r = role_figures(rep, "reader");
	assert_int_equal(jint(rep, "scenario.units"), 1);
	assert_int_equal(jint(rep, "facts.reader.bytes_returned"), 100);
	assert_int_equal(jint(rep, "facts.reader.words_mismatched"), 0);
	assert_int_equal(jint(rep, "facts.reader.page_size"), 4096);
	/* one read() syscall copying 100 bytes out, nothing else */
	assert_int_equal(jint(r, "syscalls"), 1);
	assert_int_equal(jint(r, "syscalls_by_name.read"), 1);
	assert_int_equal(jint(r, "copies.kernel_to_user.bytes"), 100);
	if (jint(rep, "facts.reader.resident_pages_after_evict") != 0) {
		printf("skipped: the page cache kept pages after POSIX_FADV_DONTNEED\n");
		json_object_put(rep);
		skip();
	}
	/*
	 * At least the whole page, and more: readahead's first window. All of
	 * it from the disk as readahead, one window, and all still resident.
	 */
	pages = jint(r, "page_cache.inserted");
	assert_between(pages, 1, 64);
	assert_int_equal(jint(r, "page_cache.readahead"), 1);
	assert_int_equal(jint(r, "dma.disk_read_bytes"), pages * 4096);
	assert_int_equal(jint(r, "dma.disk_readahead_bytes"), pages * 4096);
	assert_int_equal(jint(rep, "facts.reader.resident_pages_after_read"), pages);
	/* with readahead off (teardown), exactly the one page */
	assert_int_equal(jint(rep, "facts.reader.random_resident_pages_after_evict"), 0);
	assert_int_equal(jint(rep, "facts.reader.random_bytes_returned"), 100);
	assert_int_equal(jint(rep, "facts.reader.random_resident_pages_after_read"), 1);
	json_object_put(rep);
}

static void test_write_fsync(void **state UNUSED)
{
	struct json_object *rep, *w, *f;

	NEED_BPF();
	rep = run_report("write-fsync --size 4M --block 64K");
	w = role_figures(rep, "writer");
	f = role_figures(rep, "syncer");
	assert_int_equal(jint(rep, "scenario.units"), BLOCKS);
	/* the writes: copies into new page-cache pages, and no disk I/O yet */
	assert_int_equal(jint(w, "syscalls_by_name.write"), BLOCKS);
	assert_int_equal(jint(w, "syscalls"), BLOCKS);
	assert_int_equal(jint(w, "copies.user_to_kernel.bytes"), 4 * MiB);
	assert_int_equal(jint(w, "page_cache.inserted_by_writes"), 1024);
	assert_int_equal(jint(w, "dma.disk_write_bytes"), 0);
	assert_int_equal(jint(w, "dma.disk_read_bytes"), 0);
	assert_int_equal(jint(rep, "facts.writer.resident_pages_after_writes"), 1024);
	/* fsync: one syscall that writes it all to the disk (plus a little metadata) */
	assert_int_equal(jint(f, "syscalls"), 1);
	assert_int_equal(jint(f, "syscalls_by_name.fsync"), 1);
	assert_between(jint(f, "dma.disk_write_bytes"), 4 * MiB, 4 * MiB + 256 * 1024);
	assert_int_equal(jint(f, "copies.user_to_kernel.bytes"), 0);
	assert_int_equal(jint(f, "page_cache.inserted_by_writes"), 0);
	assert_int_equal(jint(rep, "facts.syncer.fsync_return"), 0);
	assert_int_equal(jint(rep, "facts.writer.bytes_written"), 4 * MiB);
	assert_int_equal(jint(rep, "facts.syncer.bytes_checked"), 4 * MiB);
	assert_int_equal(jint(rep, "facts.syncer.words_mismatched"), 0);
	assert_true(jint(rep, "facts.writer.write_ns") > 0);
	assert_true(jint(rep, "facts.syncer.fsync_ns") > 0);
	json_object_put(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_write_tcp),
		cmocka_unit_test(test_read_write_unix_cold),
		cmocka_unit_test(test_mmap_write_tcp),
		cmocka_unit_test(test_mmap_write_unix_cold),
		cmocka_unit_test(test_splice_tcp),
		cmocka_unit_test(test_splice_unix_cold),
		cmocka_unit_test(test_splice_file),
		cmocka_unit_test(test_vmsplice_pipe),
		cmocka_unit_test(test_vmsplice_tcp),
		cmocka_unit_test(test_cold_read),
		cmocka_unit_test(test_write_fsync),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
