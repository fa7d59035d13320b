// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * FIFOs, unix and TCP sockets, and notifications, under the real BPF
 * programs: exact figures where the kernel is deterministic (bytes,
 * syscalls by name), tight bounds where it is not (context switches).
 */
#include "compiler.h"
#include "harness.h"

#define MiB (1 << 20)

/* The process entry with @role. */
static struct json_object *proc(struct json_object *rep, const char *role)
{
	struct json_object *procs = jget(rep, "processes");

	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);

		if (!strcmp(json_object_get_string(jget(p, "role")), role))
			return p;
	}
	fail_msg("no process with role %s", role);
	return NULL;
}

/* A field of the process entry with @role; 0 when it has no such field. */
static int64_t proc_int(struct json_object *rep, const char *role, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(proc(rep, role), key, &v) ? json_object_get_int64(v) : 0;
}

/* The copy ledger of a one-way stream: @bytes in on @tx, the same out on @rx. */
static void assert_stream_copies(struct json_object *tx, struct json_object *rx, int64_t bytes)
{
	assert_int_equal(jint(tx, "copies.user_to_kernel.bytes"), bytes);
	assert_int_equal(jint(tx, "copies.kernel_to_user.bytes"), 0);
	assert_int_equal(jint(rx, "copies.kernel_to_user.bytes"), bytes);
	assert_int_equal(jint(rx, "copies.user_to_kernel.bytes"), 0);
	for (struct json_object **f = (struct json_object *[]){ tx, rx, NULL }; *f; f++) {
		assert_int_equal(jint(*f, "copies.kernel_to_kernel.bytes"), 0);
		assert_int_equal(jint(*f, "page_refs.bytes"), 0);
		/* buffers were faulted in during setup: none inside the copies either */
		assert_int_equal(jint(*f, "page_faults.user"), 0);
		assert_int_equal(jint(*f, "page_faults.kernel"), 0);
	}
}

static void test_fifo(void **state UNUSED)
{
	struct json_object *rep, *w, *r;

	NEED_BPF();
	rep = run_report("fifo --size 1M --block 64K");
	w = role_figures(rep, "writer");
	r = role_figures(rep, "reader");
	assert_int_equal(jint(rep, "scenario.units"), 16);
	/* exactly as a pipe: 16 writes of 64 KiB in, everything back out */
	assert_stream_copies(w, r, MiB);
	assert_int_equal(jint(w, "syscalls_by_name.write"), 16);
	assert_int_equal(jint(w, "syscalls"), 16);
	assert_between(jint(r, "syscalls_by_name.read"), 16, 256);
	assert_int_equal(jint(r, "syscalls"), jint(r, "syscalls_by_name.read"));
	assert_string_equal(json_object_get_string(jget(w, "copies.user_to_kernel.method")),
			    "derived");
	assert_int_equal(jint(rep, "per_unit.copies.user_to_kernel.bytes"), 65536);
	assert_int_equal(jint(rep, "per_unit.copies.kernel_to_user.bytes"), 65536);
	/* two exec'd processes, neither the parent of the other */
	assert_int_not_equal(proc_int(rep, "writer", "parent_pid"), proc_int(rep, "reader", "pid"));
	assert_int_not_equal(proc_int(rep, "reader", "parent_pid"), proc_int(rep, "writer", "pid"));
	assert_int_equal(jint(rep, "facts.reader.bytes_read"), MiB);
	assert_int_equal(jint(rep, "facts.reader.words_mismatched"), 0);
	assert_int_equal(jint(rep, "facts.reader.read_after_writer_closed"), 0);
	assert_int_equal(jint(rep, "facts.writer.fd_is_named_fifo"), 1);
	assert_int_equal(jint(rep, "facts.reader.fd_is_named_fifo"), 1);
	json_object_put(rep);
}

static void test_fifo_open_blocks(void **state UNUSED)
{
	struct json_object *rep, *w, *r;

	NEED_BPF();
	rep = run_report("fifo-open-blocks");
	w = role_figures(rep, "writer");
	r = role_figures(rep, "reader");
	/* the writer's transfer phase is its one open(), which sleeps */
	assert_int_equal(jint(w, "syscalls_by_name.openat"), 1);
	assert_int_equal(jint(w, "syscalls"), 1);
	assert_between(jint(w, "context_switches.voluntary"), 1, 3);
	/* open() is not a data syscall: its sleep is not "in io" */
	assert_int_equal(jint(w, "context_switches.voluntary_in_io"), 0);
	/* it lasted until the reader came, ~50 ms later */
	assert_between(jint(rep, "facts.writer.open_ns"), 40000000, 5000000000);
	assert_true(json_object_get_double(jget(proc(rep, "writer"), "phase_seconds.transfer")) >=
		    0.04);
	/* the reader's open() found the writer waiting and did not sleep */
	assert_int_equal(jint(r, "syscalls_by_name.openat"), 1);
	assert_int_equal(jint(r, "context_switches.voluntary"), 0);
	assert_int_equal(jint(rep, "facts.reader.read_ret"), 1);
	assert_int_equal(jint(rep, "facts.reader.byte_from_writer"), 1);
	/* with O_NONBLOCK and no reader: ENXIO, no waiting */
	assert_int_equal(jint(rep, "facts.writer.nonblock_open_ret"), -1);
	assert_int_equal(jint(rep, "facts.writer.nonblock_open_errno"), 6);
	json_object_put(rep);
}

static void test_fifo_many(void **state UNUSED)
{
	static const char *const a_writers[] = { "a_writer1", "a_writer2", "a_writer3" };
	struct json_object *rep, *f;
	char key[64];
	int64_t b_out = 0;

	NEED_BPF();
	rep = run_report("fifo-many");
	assert_int_equal(jint(rep, "scenario.units"), 3 * 256 + 512);
	/* part a: three writers, 256 write()s of PIPE_BUF each, one reader gets it all */
	for (int i = 0; i < 3; i++) {
		f = role_figures(rep, a_writers[i]);
		assert_int_equal(jint(f, "syscalls_by_name.write"), 256);
		assert_int_equal(jint(f, "copies.user_to_kernel.bytes"), MiB);
		snprintf(key, sizeof(key), "facts.a_reader.records_from_writer%d", i + 1);
		assert_int_equal(jint(rep, key), 256);
		snprintf(key, sizeof(key), "facts.%s.short_writes", a_writers[i]);
		assert_int_equal(jint(rep, key), 0);
	}
	f = role_figures(rep, "a_reader");
	assert_int_equal(jint(f, "copies.kernel_to_user.bytes"), 3 * MiB);
	assert_int_equal(jint(rep, "facts.a_reader.bytes_read"), 3 * MiB);
	/* PIPE_BUF atomicity: no record mixes two writers' bytes */
	assert_int_equal(jint(rep, "facts.a_reader.records_torn"), 0);
	assert_int_equal(jint(rep, "facts.a_reader.records_out_of_order"), 0);
	assert_int_equal(jint(rep, "facts.a_reader.partial_record_bytes"), 0);
	/* part b: one writer, two readers; every record read once, by one of them */
	f = role_figures(rep, "b_writer");
	assert_int_equal(jint(f, "syscalls_by_name.write"), 512);
	assert_int_equal(jint(f, "copies.user_to_kernel.bytes"), 2 * MiB);
	for (const char *const *r = (const char *const[]){ "b_reader1", "b_reader2", NULL }; *r;
	     r++) {
		snprintf(key, sizeof(key), "facts.%s.bytes_read", *r);
		b_out += jint(rep, key);
		assert_int_equal(jint(role_figures(rep, *r), "copies.kernel_to_user.bytes"),
				 jint(rep, key));
		snprintf(key, sizeof(key), "facts.%s.records_torn", *r);
		assert_int_equal(jint(rep, key), 0);
	}
	assert_int_equal(b_out, 2 * MiB);
	assert_int_equal(jint(rep, "facts.b_readers.records_missing"), 0);
	assert_int_equal(jint(rep, "facts.b_readers.records_read_twice"), 0);
	/* bytes in = bytes out, in the kernel's ledger too */
	assert_int_equal(jint(rep, "totals.copies.user_to_kernel.bytes"), 5 * MiB);
	assert_int_equal(jint(rep, "totals.copies.kernel_to_user.bytes"), 5 * MiB);
	assert_int_equal(jint(rep, "totals.copies.kernel_to_kernel.bytes"), 0);
	assert_int_equal(jint(rep, "totals.page_faults.user"), 0);
	assert_int_equal(jint(rep, "totals.page_faults.kernel"), 0);
	json_object_put(rep);
}

static void test_unix_stream(void **state UNUSED)
{
	struct json_object *rep, *s, *r;

	NEED_BPF();
	rep = run_report("unix-stream --size 1M --block 64K");
	s = role_figures(rep, "sender");
	r = role_figures(rep, "receiver");
	assert_int_equal(jint(rep, "scenario.units"), 16);
	assert_stream_copies(s, r, MiB);
	assert_int_equal(jint(s, "syscalls_by_name.write"), 16);
	assert_int_equal(jint(s, "syscalls"), 16);
	assert_between(jint(r, "syscalls_by_name.read"), 16, 256);
	assert_int_equal(jint(r, "syscalls"), jint(r, "syscalls_by_name.read"));
	/* the receiver's copy is seen on the skb -> user copy itself */
	assert_string_equal(json_object_get_string(jget(r, "copies.kernel_to_user.method")),
			    "observed");
	assert_int_equal(jint(r, "sockets.recv_copied_bytes"), MiB);
	assert_int_equal(jint(rep, "facts.receiver.bytes_read"), MiB);
	assert_int_equal(jint(rep, "facts.receiver.words_mismatched"), 0);
	/* a dead peer: EPIPE every way; SIGPIPE only without MSG_NOSIGNAL */
	assert_int_equal(jint(rep, "facts.sender.nosignal_send_ret"), -1);
	assert_int_equal(jint(rep, "facts.sender.nosignal_send_errno"), 32);
	assert_int_equal(jint(rep, "facts.sender.sigpipes_after_nosignal_send"), 0);
	assert_int_equal(jint(rep, "facts.sender.handled_write_ret"), -1);
	assert_int_equal(jint(rep, "facts.sender.handled_write_errno"), 32);
	assert_int_equal(jint(rep, "facts.sender.sigpipes_caught"), 1);
	assert_int_equal(jint(rep, "facts.sender.ignored_write_ret"), -1);
	assert_int_equal(jint(rep, "facts.sender.ignored_write_errno"), 32);
	/* one SIGPIPE reached the handler (the teardown also sees SIGCHLD generated) */
	assert_int_equal(jint(proc(rep, "sender"), "phases.teardown.signals.delivered"), 1);
	json_object_put(rep);
}

static void test_unix_dgram(void **state UNUSED)
{
	struct json_object *rep, *s, *r;
	const int64_t bytes = 64 * (1 + 100 + 1000 + 4000);

	NEED_BPF();
	rep = run_report("unix-dgram");
	s = role_figures(rep, "sender");
	r = role_figures(rep, "receiver");
	assert_int_equal(jint(rep, "scenario.units"), 256);
	/* one send() and one recv() per message, one copy each way */
	assert_int_equal(jint(s, "syscalls_by_name.sendto"), 256);
	assert_int_equal(jint(s, "syscalls"), 256);
	assert_int_equal(jint(r, "syscalls_by_name.recvfrom"), 256);
	assert_int_equal(jint(r, "syscalls"), 256);
	assert_stream_copies(s, r, bytes);
	assert_int_equal(jint(s, "copies.user_to_kernel.ops"), 256);
	assert_string_equal(json_object_get_string(jget(r, "copies.kernel_to_user.method")),
			    "observed");
	assert_int_equal(jint(r, "sockets.recv_bytes"), bytes);
	/* the queue filled while the receiver waited: the sender slept in send() */
	assert_between(jint(s, "context_switches.voluntary_in_io"), 1, 64);
	assert_between(jint(rep, "facts.sender.blocked_ns"), 30000000, 5000000000);
	assert_between(jint(rep, "facts.sender.messages_before_first_block"), 1, 255);
	assert_int_equal(jint(rep, "facts.sender.send_errors"), 0);
	/* every recv() one whole message, as sent; none lost, none extra */
	assert_int_equal(jint(rep, "facts.receiver.messages_received"), 256);
	assert_int_equal(jint(rep, "facts.receiver.boundaries_kept"), 256);
	assert_int_equal(jint(rep, "facts.receiver.wrong_size"), 0);
	assert_int_equal(jint(rep, "facts.receiver.wrong_data"), 0);
	assert_int_equal(jint(rep, "facts.receiver.messages_lost"), 0);
	assert_int_equal(jint(rep, "facts.receiver.extra_messages"), 0);
	json_object_put(rep);
}

/*
 * One notify-cost run: the syscalls each side makes per notification are
 * exact (@calls, by name, 1000 each). Sleeps are bounded, not exact: one
 * per wait at most when idle, but on a busy machine a side can also sleep
 * on a lock its preempted peer holds (the pipe's mutex, the socket lock),
 * up to once per call.
 */
static struct json_object *notify_run(const char *to, const char *const *calls)
{
	struct json_object *rep, *f;
	char args[64];

	snprintf(args, sizeof(args), "notify-cost --to %s", to);
	rep = run_report(args);
	assert_string_equal(json_object_get_string(jget(rep, "scenario.params.to")), to);
	assert_int_equal(jint(rep, "scenario.units"), 2000);
	for (const char *const *role = (const char *const[]){ "pinger", "ponger", NULL }; *role;
	     role++) {
		int64_t n = 0;
		char key[64];

		f = role_figures(rep, *role);
		for (const char *const *c = calls; *c; c++) {
			snprintf(key, sizeof(key), "syscalls_by_name.%s", *c);
			assert_int_equal(jint(f, key), 1000);
			n += 1000;
		}
		if (n)
			assert_int_equal(jint(f, "syscalls"), n);
		assert_between(jint(f, "context_switches.voluntary"), 0, 3000);
		assert_int_equal(jint(f, "page_faults.user"), 0);
	}
	assert_int_equal(jint(rep, "facts.pinger.round_trips"), 1000);
	assert_int_equal(jint(rep, "facts.ponger.notifications_received"), 1000);
	assert_true(jint(rep, "facts.pinger.ns_per_notification") > 0);
	assert_true(jint(rep, "facts.pinger.ns_per_notification_median") > 0);
	return rep;
}

static void test_notify_cost(void **state UNUSED)
{
	struct json_object *rep, *f;

	NEED_BPF();
	/* a signal: kill, the wait in sigsuspend, the handler's return */
	rep = notify_run("signal", (const char *const[]){ "kill", "rt_sigsuspend", "rt_sigreturn",
							  NULL });
	f = role_figures(rep, "pinger");
	assert_int_equal(jint(f, "signals.generated"), 1000);
	assert_int_equal(jint(f, "signals.delivered"), 1000);
	assert_int_equal(jint(f, "signals.merged"), 0); /* each taken before the next is sent */
	assert_int_equal(jint(rep, "per_unit.syscalls"), 3);
	assert_int_equal(jint(rep, "totals.copies.user_to_kernel.bytes"), 0);
	json_object_put(rep);
	/* a pipe: one byte written, one read: a copy each way */
	rep = notify_run("pipe", (const char *const[]){ "write", "read", NULL });
	assert_int_equal(jint(rep, "per_unit.syscalls"), 2);
	assert_int_equal(jint(rep, "totals.copies.user_to_kernel.bytes"), 2000);
	assert_int_equal(jint(rep, "totals.copies.kernel_to_user.bytes"), 2000);
	assert_int_equal(jint(rep, "totals.signals.generated"), 0);
	json_object_put(rep);
	/* a unix socket: the same, through an skb */
	rep = notify_run("unix", (const char *const[]){ "sendto", "recvfrom", NULL });
	assert_int_equal(jint(rep, "per_unit.syscalls"), 2);
	assert_int_equal(jint(rep, "totals.copies.user_to_kernel.bytes"), 2000);
	assert_int_equal(jint(rep, "totals.sockets.recv_copied_bytes"), 2000);
	json_object_put(rep);
	/* a futex: one FUTEX_WAKE per notification, a FUTEX_WAIT unless already woken */
	rep = notify_run("futex", (const char *const[]){ NULL });
	for (const char *const *role = (const char *const[]){ "pinger", "ponger", NULL }; *role;
	     role++) {
		f = role_figures(rep, *role);
		assert_between(jint(f, "syscalls_by_name.futex"), 1000, 2200);
		assert_int_equal(jint(f, "syscalls"), jint(f, "syscalls_by_name.futex"));
	}
	assert_int_equal(jint(rep, "totals.copies.user_to_kernel.bytes"), 0);
	assert_int_equal(jint(rep, "totals.copies.kernel_to_user.bytes"), 0);
	assert_int_equal(jint(rep, "totals.signals.generated"), 0);
	json_object_put(rep);
}

static void test_send_buffer(void **state UNUSED)
{
	struct json_object *rep, *s, *r;
	int64_t buffered;

	NEED_BPF();
	rep = run_report("send-buffer");
	s = role_figures(rep, "sender");
	r = role_figures(rep, "receiver");
	buffered = jint(rep, "facts.sender.bytes_before_eagain");
	/* send() accepted data while the peer had read nothing: it was only buffered */
	assert_true(buffered >= 65536);
	assert_int_equal(jint(rep, "facts.sender.peer_read_bytes_at_send_return"), 0);
	assert_int_equal(jint(rep, "facts.sender.nonblocking_errno"), 11); /* EAGAIN */
	assert_true(jint(rep, "facts.sender.so_sndbuf_at_start") > 0);
	assert_true(jint(rep, "facts.receiver.so_rcvbuf_at_start") > 0);
	/* on the full buffer a blocking send() slept until the peer read */
	assert_int_equal(jint(rep, "facts.sender.blocking_send_ret"), 65536);
	assert_between(jint(rep, "facts.sender.blocking_send_ns"), 40000000, 5000000000);
	assert_true(jint(rep, "facts.sender.peer_read_bytes_at_blocking_send_return") > 0);
	assert_between(jint(s, "context_switches.voluntary_in_io"), 1, 4);
	assert_int_equal(jint(s, "context_switches.voluntary"),
			 jint(s, "context_switches.voluntary_in_io"));
	/* only send() calls in the sender's transfer: the fill, EAGAIN, the blocking one */
	assert_int_equal(jint(s, "syscalls_by_name.sendto"),
			 jint(rep, "facts.sender.nonblocking_sends") + 1);
	assert_int_equal(jint(s, "syscalls"), jint(s, "syscalls_by_name.sendto"));
	/* everything accepted crossed once each way */
	assert_stream_copies(s, r, buffered + 65536);
	assert_int_equal(jint(rep, "facts.receiver.bytes_read"), buffered + 65536);
	assert_int_equal(jint(rep, "facts.receiver.words_mismatched"), 0);
	assert_string_equal(json_object_get_string(jget(r, "copies.kernel_to_user.method")),
			    "observed");
	assert_true(json_object_get_type(jget(s, "dma.nic_bytes")) == json_type_null);
	json_object_put(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_fifo_open_blocks),
		cmocka_unit_test(test_fifo_many),
		cmocka_unit_test(test_unix_stream),
		cmocka_unit_test(test_unix_dgram),
		cmocka_unit_test(test_notify_cost),
		cmocka_unit_test(test_send_buffer),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
