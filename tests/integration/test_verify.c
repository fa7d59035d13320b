// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace verify: every claim of the note gets a verdict with evidence,
 * from a real run; bad claims files and selections are refused.
 */
#include <time.h>
#include "compiler.h"
#include "harness.h"
#include "timing.h"

/* The claim ids of textbook-claims.md: the contract with the note. */
static const char *const note_claims[] = {
	"ipc.kernel-buffer", "ipc.signal-cheapest", "ipc.socket-stable", "pipe.fds",
	"pipe.kernel-ring", "pipe.half-duplex", "pipe.read-once", "pipe.related-only", "pipe.eof",
	"pipe.read-blocks", "pipe.sigpipe", "pipe.write-blocks", "fifo.open-blocks",
	"fifo.unrelated", "fifo.many-ends", "mmap.offset-aligned", "mmap.zero-size", "mmap.sigbus",
	"mmap.needs-read", "mmap.shared-perms", "mmap.private-perms", "mmap.close-ok",
	"mmap.munmap-addr", "mmap.shared-visible", "mmap.private-cow", "mmap.fork-share",
	"mmap.anonymous", "mmap.unrelated", "mmap.no-syscalls", "mmap.no-copy",
	"cache.page-granular", "cache.write-back", "io.send-buffered", "zc.traditional",
	"zc.mmap-write", "zc.sendfile-21", "zc.sendfile-24", "zc.mmap-small", "zc.sendfile-dma",
};

#define NCLAIMS (sizeof(note_claims) / sizeof(note_claims[0]))

static struct json_object *claim_of(struct json_object *rep, const char *id)
{
	struct json_object *claims = jget(rep, "claims");

	for (size_t i = 0; i < json_object_array_length(claims); i++) {
		struct json_object *c = json_object_array_get_idx(claims, i);

		if (!strcmp(json_object_get_string(jget(c, "id")), id))
			return c;
	}
	return NULL;
}

static void test_every_claim_gets_a_verdict(void **state UNUSED)
{
	struct json_object *rep;
	double t0;
	char *out;
	int rc;

	NEED_BPF();
	t0 = clock_s();
	out = run_cmd("verify --json", &rc);
	printf("verify of the whole note took %.1f s\n", clock_s() - t0);
	assert_int_equal(rc, 0);
	rep = parse_kept("verify", out);
	assert_non_null(rep);
	assert_int_equal(json_object_array_length(jget(rep, "claims")), NCLAIMS);
	for (size_t i = 0; i < NCLAIMS; i++) {
		struct json_object *c = claim_of(rep, note_claims[i]);
		const char *v;

		if (!c)
			fail_msg("claim %s has no verdict", note_claims[i]);
		v = json_object_get_string(jget(c, "verdict"));
		if (strcmp(v, "confirmed") && strcmp(v, "nuanced") && strcmp(v, "refuted") &&
		    strcmp(v, "unobservable"))
			fail_msg("claim %s: verdict %s: %s", note_claims[i], v,
				 json_object_get_string(jget(c, "evidence")));
		assert_true(strlen(json_object_get_string(jget(c, "evidence"))) > 20);
		assert_true(strlen(json_object_get_string(jget(c, "quote"))) > 0);
		assert_true(json_object_object_length(jget(c, "figures")) > 0);
	}
	assert_non_null(jget(rep, "kernel.release"));
	assert_non_null(jget(rep, "probes.sys_enter"));
	json_object_put(rep);
	free(out);
}

/* Verdicts that do not depend on timing: the kernel decides them the same way every run. */
static void test_deterministic_verdicts(void **state UNUSED)
{
	static const struct { const char *id, *verdict; } expect[] = {
		{ "pipe.kernel-ring", "confirmed" },   { "mmap.no-syscalls", "nuanced" },
		{ "mmap.munmap-addr", "refuted" },     { "mmap.zero-size", "nuanced" },
		{ "zc.sendfile-dma", "confirmed" },    { "fifo.unrelated", "confirmed" },
	};
	struct json_object *rep;
	char *out;
	int rc;

	NEED_BPF();
	out = run_cmd("verify --json pipe.kernel-ring mmap.no-syscalls mmap.munmap-addr "
		      "mmap.zero-size zc.sendfile-dma fifo.unrelated", &rc);
	assert_int_equal(rc, 0);
	rep = parse_kept("verify", out);
	assert_non_null(rep);
	assert_int_equal(json_object_array_length(jget(rep, "claims")), 6);
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		assert_string_equal(json_object_get_string(jget(claim_of(rep, expect[i].id), "verdict")),
				    expect[i].verdict);
	json_object_put(rep);
	free(out);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void expect_usage(const char *args, const char *needle)
{
	char a[512];
	int rc;
	char *out;

	snprintf(a, sizeof(a), "verify %s 2>&1 >/dev/null", args);
	out = run_cmd(a, &rc);
	if (rc != 2)
		fail_msg("ipctrace verify %s: exit %d, expected 2 (%s)", args, rc, out);
	if (!strstr(out, needle))
		fail_msg("ipctrace verify %s: '%s' lacks '%s'", args, out, needle);
	free(out);
}

static void test_bad_claims_and_selections(void **state UNUSED)
{
	const char *path = "/tmp/ipctrace-test.claims";

	expect_usage("no.such-claim", "no claim or scenario 'no.such-claim'");
	expect_usage("--claims /nonexistent.claims", "cannot read /nonexistent.claims");
	write_file(path, "[a]\nquote = q\nstatement = s\nevidence = e\nrun p = nosuch --size 1M\nconfirmed = 1\n");
	expect_usage("--claims /tmp/ipctrace-test.claims", "ipctrace-test.claims:5: run p: unknown scenario 'nosuch'");
	write_file(path, "[a]\nquote = q\nstatement = s\nevidence = e\nrun p = pipe --size 0\nconfirmed = 1\n");
	expect_usage("--claims /tmp/ipctrace-test.claims", ":5: run p: --size '0'");
	write_file(path, "[a]\nquote = q\nstatement = s\nevidence = {p.totals.syscalls\nrun p = pipe\nconfirmed = 1\n");
	expect_usage("--claims /tmp/ipctrace-test.claims", ":4: evidence");
	unlink(path);
}

static void test_own_claims_file(void **state UNUSED)
{
	const char *path = "/tmp/ipctrace-test.claims";
	struct json_object *rep, *c;
	char *out;
	int rc;

	NEED_BPF();
	write_file(path, "[my.pipe-writes]\nquote = -\nstatement = 16 writes move 1 MiB\n"
			 "run p = pipe --size 1M --block 64K\n"
			 "confirmed = p.writer.syscalls_by_name.write == 16\n"
			 "refuted = p.writer.syscalls_by_name.write != 16\n"
			 "evidence = {p.writer.syscalls_by_name.write} writes\n"
			 "[my.no-lookups]\nquote = -\nstatement = a pipe looks nothing up in the page cache\n"
			 "run p = pipe --size 1M --block 64K\n"
			 "confirmed = p.totals.page_cache.lookups == 0\notherwise = refuted\n"
			 "evidence = {p.totals.page_cache.lookups} pages\n");
	out = run_cmd("verify --json --claims /tmp/ipctrace-test.claims", &rc);
	unlink(path);
	assert_int_equal(rc, 0);
	rep = parse_kept("verify", out);
	assert_non_null(rep);
	c = claim_of(rep, "my.pipe-writes");
	assert_non_null(c);
	assert_string_equal(json_object_get_string(jget(c, "verdict")), "confirmed");
	assert_string_equal(json_object_get_string(jget(c, "evidence")), "16 writes");
	/* both claims name the same run: it ran once */
	assert_int_equal(json_object_array_length(jget(rep, "runs")), 1);
	json_object_put(rep);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_claim_gets_a_verdict),
		cmocka_unit_test(test_deterministic_verdicts),
		cmocka_unit_test(test_bad_claims_and_selections),
		cmocka_unit_test(test_own_claims_file),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
