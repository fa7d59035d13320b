// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The pictures as a person sees them: the timeline recorded from real
 * events, its SVG rendered by headless Chromium (not blank: far more ink
 * than an empty picture of the same size; its text in the rendered DOM),
 * and the HTML report of verify likewise.
 */
#include <sys/stat.h>
#include "compiler.h"
#include "harness.h"

#define CHROMIUM "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run " \
		 "--disable-background-networking --disable-component-update --disable-sync " \
		 "--user-data-dir=/tmp/ipctrace-test-chromium "

static bool have_chromium(void)
{
	return system("command -v chromium >/dev/null 2>&1") == 0;
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

/* Screenshot of @url (a file://), bytes of PNG written. */
static long screenshot(const char *url, const char *png)
{
	char cmd[1024];

	unlink(png);
	snprintf(cmd, sizeof(cmd), CHROMIUM "--window-size=1400,400 --screenshot=%s %s >/dev/null 2>&1",
		 png, url);
	if (system(cmd) != 0)
		fail_msg("chromium failed: %s", cmd);
	return file_size(png);
}

/* The DOM chromium built from @url, as text. */
static char *dom(const char *url)
{
	char cmd[1024], *out = NULL, buf[4096];
	size_t len = 0, n;
	FILE *p, *m = open_memstream(&out, &len);

	snprintf(cmd, sizeof(cmd), CHROMIUM "--dump-dom %s 2>/dev/null", url);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		fwrite(buf, 1, n, m);
	pclose(p);
	fclose(m);
	return out;
}

static void test_timeline_json(void **state UNUSED)
{
	struct json_object *rep, *tl, *events;
	bool write_copy = false, enter = false;

	NEED_BPF();
	rep = run_report("pipe --size 1M --block 64K --timeline");
	tl = jget(rep, "timeline");
	assert_int_equal(jint(tl, "events_dropped"), 0);
	assert_string_equal(json_object_get_string(jget(tl, "driver")), "writer");
	/* the middle of 16 writes, not the first */
	assert_int_equal(jint(tl, "units_seen"), 16);
	assert_int_equal(jint(tl, "unit"), 9);
	events = jget(tl, "events");
	for (size_t i = 0; i < json_object_array_length(events); i++) {
		struct json_object *e = json_object_array_get_idx(events, i), *d;

		enter |= !strcmp(json_object_get_string(jget(e, "what")), "-> write()");
		if (json_object_object_get_ex(e, "detail", &d) &&
		    !strcmp(json_object_get_string(d), "65536 bytes copied user->kernel (pipe)"))
			write_copy = true;
	}
	assert_true(enter);
	assert_true(write_copy);
	json_object_put(rep);
}

static void test_timeline_svg_renders(void **state UNUSED)
{
	const char *svg = "/tmp/ipctrace-test-timeline.svg", *blank = "/tmp/ipctrace-test-blank.svg";
	long ours, empty;
	char *text;
	int rc;
	FILE *f;

	NEED_BPF();
	if (!have_chromium()) {
		printf("skipped: chromium is not installed (make test installs it)\n");
		skip();
	}
	free(run_cmd("run pipe --size 1M --block 64K --svg /tmp/ipctrace-test-timeline.svg >/dev/null", &rc));
	assert_int_equal(rc, 0);
	f = fopen(blank, "w");
	assert_non_null(f);
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1400\" height=\"400\">"
	      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/></svg>\n", f);
	fclose(f);
	ours = screenshot("file:///tmp/ipctrace-test-timeline.svg", "/tmp/ipctrace-test-timeline.png");
	empty = screenshot("file:///tmp/ipctrace-test-blank.svg", "/tmp/ipctrace-test-blank.png");
	printf("screenshot: %ld bytes of PNG, an empty picture %ld\n", ours, empty);
	assert_true(empty > 0);
	assert_true(ours > 3 * empty);
	text = dom("file:///tmp/ipctrace-test-timeline.svg");
	assert_non_null(strstr(text, "-&gt; write()"));
	assert_non_null(strstr(text, "bytes copied user-&gt;kernel (pipe)"));
	assert_non_null(strstr(text, "writer"));
	free(text);
	unlink(svg);
	unlink(blank);
	unlink("/tmp/ipctrace-test-timeline.png");
	unlink("/tmp/ipctrace-test-blank.png");
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	assert_int_equal(fread(buf, 1, n, f), n);
	fclose(f);
	return buf;
}

static void test_verify_html(void **state UNUSED)
{
	const char *blank = "/tmp/ipctrace-test-blank.html";
	char *html, *text;
	long ours, empty;
	int rc;
	FILE *f;

	NEED_BPF();
	if (!have_chromium()) {
		printf("skipped: chromium is not installed (make test installs it)\n");
		skip();
	}
	free(run_cmd("verify --html /tmp/ipctrace-test-verify.html pipe.kernel-ring zc.traditional "
		     ">/dev/null", &rc));
	assert_int_equal(rc, 0);
	html = slurp("/tmp/ipctrace-test-verify.html");
	/* self-contained: nothing to fetch, no script needed */
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "<script"));
	free(html);
	f = fopen(blank, "w");
	assert_non_null(f);
	fputs("<!doctype html><html><body></body></html>\n", f);
	fclose(f);
	ours = screenshot("file:///tmp/ipctrace-test-verify.html", "/tmp/ipctrace-test-verify.png");
	empty = screenshot("file:///tmp/ipctrace-test-blank.html", "/tmp/ipctrace-test-blank.png");
	printf("screenshot: %ld bytes of PNG, an empty page %ld\n", ours, empty);
	assert_true(ours > 5 * empty);
	text = dom("file:///tmp/ipctrace-test-verify.html");
	assert_non_null(strstr(text, "pipe.kernel-ring"));
	assert_non_null(strstr(text, "zc.traditional"));
	assert_non_null(strstr(text, "textbook"));
	assert_non_null(strstr(text, "CPU copies per block"));
	assert_non_null(strstr(text, "timeline of one unit of work"));
	assert_non_null(strstr(text, "bytes copied user-&gt;kernel (pipe)"));
	free(text);
	unlink("/tmp/ipctrace-test-verify.html");
	unlink("/tmp/ipctrace-test-verify.png");
	unlink(blank);
	unlink("/tmp/ipctrace-test-blank.png");
}

static void test_sweep(void **state UNUSED)
{
	struct json_object *doc, *rows, *r;
	char *out, *text;
	int rc;

	NEED_BPF();
	out = run_cmd("run pipe --size 1M --sweep block=4K,64K --json "
		      "--svg /tmp/ipctrace-test-sweep.svg", &rc);
	assert_int_equal(rc, 0);
	doc = parse_kept("sweep", out);
	assert_non_null(doc);
	assert_int_equal(jint(doc, "schema"), 2);
	assert_string_equal(json_object_get_string(jget(doc, "scenario")), "pipe");
	assert_string_equal(json_object_get_string(jget(doc, "param")), "block");
	rows = jget(doc, "rows");
	assert_int_equal(json_object_array_length(rows), 2);
	for (size_t i = 0; i < 2; i++) {
		r = json_object_array_get_idx(rows, i);
		assert_int_equal(jint(r, "value"), i ? 65536 : 4096);
		assert_int_equal(jint(r, "params.block"), i ? 65536 : 4096);
		assert_int_equal(jint(r, "params.size"), 1 << 20);
		/* every byte copied in and out once, whatever the block */
		assert_true(json_object_get_double(jget(r, "figures.cpu_copies_per_byte")) == 2.0);
		assert_true(json_object_get_double(jget(r, "figures.throughput_mb_s")) > 0);
		assert_int_equal(jint(r, "figures.syscalls_per_unit"), 2);
	}
	rows = doc;
	json_object_put(rows);
	free(out);
	if (!have_chromium()) {
		printf("skipped rendering: chromium is not installed\n");
		return;
	}
	text = dom("file:///tmp/ipctrace-test-sweep.svg");
	assert_non_null(strstr(text, "throughput (MB/s)"));
	assert_non_null(strstr(text, "CPU copies per byte"));
	assert_non_null(strstr(text, "polyline"));
	free(text);
	unlink("/tmp/ipctrace-test-sweep.svg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeline_json),
		cmocka_unit_test(test_timeline_svg_renders),
		cmocka_unit_test(test_verify_html),
		cmocka_unit_test(test_sweep),
	};

	int rc = cmocka_run_group_tests(tests, require_root_bpf, NULL);

	/* Chromium's profile of these tests */
	if (system("rm -rf /tmp/ipctrace-test-chromium") != 0)
		fprintf(stderr, "could not remove /tmp/ipctrace-test-chromium\n");
	return rc;
}
