// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Peers another user controls: a local user (nobody) connects to every new
 * TCP listener on 127.0.0.1 while ipctrace's TCP scenarios run, and reads
 * what it is sent (tools/hostile/loopback-thief.py). Before the fix the
 * sender accepted the first connection: the thief got the run's data and
 * the run hung. Now only the run's own receiver is accepted.
 */
#include "compiler.h"
#include "harness.h"

#define RUNS 8
#define THIEF_SECONDS "40"

static void test_loopback_listener_takes_only_its_receiver(void **state UNUSED)
{
	static const char *const runs[] = { "sendfile --to tcp --size 4M", "send-buffer",
					    "read-write --to tcp --size 4M --block 64K" };
	char cmd[512], *out;
	FILE *thief;
	int rc, conns = -1;
	long long stolen = -1, refused = 0;

	NEED_BPF();
	/* the script on stdin: nobody need not reach the checkout's directory */
	thief = popen("setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 - "
		      THIEF_SECONDS " < tools/hostile/loopback-thief.py", "r");
	assert_non_null(thief);
	usleep(300 * 1000);
	for (int i = 0; i < RUNS; i++) {
		const char *spec = runs[i % 3];
		struct json_object *rep, *closed;

		snprintf(cmd, sizeof(cmd), "timeout 30 %s run %s --json", ipctrace_bin(), spec);
		out = run_shell(cmd, &rc);
		if (rc)
			fail_msg("%s exited %d (124: hung on a stolen connection)", spec, rc);
		rep = parse_kept("report", out);
		assert_non_null(rep);
		if (strncmp(spec, "send-buffer", 11)) {
			assert_int_equal(jint(rep, "facts.receiver.bytes_read"), 4194304);
			assert_int_equal(jint(rep, "facts.receiver.words_mismatched"), 0);
		} else {
			assert_int_equal(jint(rep, "facts.sender.blocking_send_ret"), 65536);
		}
		/* absent before the fix: the failure to show is the theft, not the key */
		if (json_object_object_get_ex(jget(rep, "facts.sender"), "foreign_connections_closed",
					      &closed))
			refused += json_object_get_int64(closed);
		json_object_put(rep);
		free(out);
	}
	system("pkill -u nobody -f 'python3 - " THIEF_SECONDS "'");
	assert_int_equal(fscanf(thief, "%d %lld", &conns, &stolen), 2);
	pclose(thief);
	printf("the thief connected %d times, was closed %lld times, read %lld bytes\n", conns,
	       refused, stolen);
	assert_int_equal(stolen, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loopback_listener_takes_only_its_receiver),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
