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
		    !strcmp(json_object_get_string(d), "65,536 bytes copied user->kernel (pipe)"))
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

/* Times @needle occurs in @hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The tallest and the widest <svg> of @text (px), and how many there are. */
static int svg_extent(const char *text, long *max_w, long *max_h)
{
	int n = 0;

	*max_w = *max_h = 0;
	for (const char *p = strstr(text, "<svg"); p; p = strstr(p + 1, "<svg"), n++) {
		const char *w = strstr(p, " width=\""), *h = strstr(p, " height=\"");

		assert_non_null(w);
		assert_non_null(h);
		if (strtol(w + 8, NULL, 10) > *max_w)
			*max_w = strtol(w + 8, NULL, 10);
		if (strtol(h + 9, NULL, 10) > *max_h)
			*max_h = strtol(h + 9, NULL, 10);
	}
	return n;
}

/*
 * The timeline of a run whatever it recorded: pipe-sigpipe's writers spin
 * on and off CPU hundreds of times in its unit (2030 x 122,782 px once),
 * cold-read waits for the disk: at most 48 rows, the runs of scheduling
 * events one row each, never the phase marker (a syscall that fails with
 * ENOSYS, -38), the time unit on the axis and a legend.
 */
static void check_timeline_bounded(const char *args)
{
	const char *path = "/tmp/ipctrace-test-bounded.svg";
	char cmd[256];
	long w, h;
	char *svg;
	int rc;

	snprintf(cmd, sizeof(cmd), "run %s --svg %s >/dev/null", args, path);
	free(run_cmd(cmd, &rc));
	assert_int_equal(rc, 0);
	svg = slurp(path);
	assert_int_equal(svg_extent(svg, &w, &h), 1);
	printf("%s: %ld x %ld px, %d rows\n", args, w, h, count(svg, "<g class=\"row\">"));
	assert_true(w <= 2030 && h <= 1160);
	assert_true(count(svg, "<g class=\"row\">") >= 1);
	assert_true(count(svg, "<g class=\"row\">") <= 48);
	assert_null(strstr(svg, "= -38"));
	assert_true(strstr(svg, "t (\xc2\xb5s)") || strstr(svg, "t (ms)"));
	assert_non_null(strstr(svg, ">legend</text>"));
	free(svg);
	unlink(path);
}

static void test_timeline_bounded(void **state UNUSED)
{
	NEED_BPF();
	for (int i = 0; i < 3; i++) /* its rows vary from run to run */
		check_timeline_bounded("pipe-sigpipe");
	check_timeline_bounded("cold-read --size 1M");
	check_timeline_bounded("pipe --size 1M --block 64K");
}

static void test_verify_html(void **state UNUSED)
{
	const char *blank = "/tmp/ipctrace-test-blank.html";
	char *html, *text;
	long ours, empty, w, h;
	int rc;
	FILE *f;

	NEED_BPF();
	if (!have_chromium()) {
		printf("skipped: chromium is not installed (make test installs it)\n");
		skip();
	}
	free(run_cmd("verify --html /tmp/ipctrace-test-verify.html pipe.kernel-ring zc.traditional "
		     "cache.page-granular >/dev/null", &rc));
	assert_int_equal(rc, 0);
	html = slurp("/tmp/ipctrace-test-verify.html");
	/* every picture bounded, cold-read's timeline too (67,078 px once) */
	assert_true(svg_extent(html, &w, &h) >= 4);
	printf("verify --html: the largest picture %ld x %ld px\n", w, h);
	assert_true(w <= 2030 && h <= 1160);
	assert_null(strstr(html, "= -38"));
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

/* Two runs a value: their median, min and max; the copies the same in every run. */
static void check_sweep_rows(struct json_object *rows)
{
	assert_non_null(rows);
	assert_int_equal(json_object_array_length(rows), 2);
	for (size_t i = 0; i < 2; i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		double med = json_object_get_double(jget(r, "figures.throughput_mb_s"));

		assert_int_equal(jint(r, "value"), i ? 65536 : 4096);
		assert_int_equal(jint(r, "params.block"), i ? 65536 : 4096);
		assert_int_equal(jint(r, "params.size"), 1 << 20);
		assert_int_equal(jint(r, "runs"), 2);
		assert_int_equal(jint(r, "figures.syscalls_per_unit"), 2);
		/* every byte copied in and out once, whatever the block */
		assert_true(json_object_get_double(jget(r, "figures.cpu_copies_per_byte")) == 2.0);
		assert_true(json_object_get_double(jget(r, "figures_min.cpu_copies_per_byte")) == 2.0);
		assert_true(json_object_get_double(jget(r, "figures_max.cpu_copies_per_byte")) == 2.0);
		assert_true(med > 0);
		assert_true(json_object_get_double(jget(r, "figures_min.throughput_mb_s")) <= med);
		assert_true(json_object_get_double(jget(r, "figures_max.throughput_mb_s")) >= med);
	}
}

/*
 * The charts: x labels as typed, a panel a figure that varies (copies per
 * byte is 2 at every block: named, not charted), min-max bars of the runs.
 */
static void check_sweep_svg(const char *svg)
{
	assert_non_null(strstr(svg, ">4K</text>"));
	assert_non_null(strstr(svg, ">64K</text>"));
	assert_null(strstr(svg, ">65536</text>"));
	assert_non_null(strstr(svg, "constant across the sweep, not charted: "));
	assert_non_null(strstr(svg, "CPU copies per byte 2"));
	assert_null(strstr(svg, "font-weight=\"bold\">CPU copies per byte</text>"));
	assert_non_null(strstr(svg, "font-weight=\"bold\">throughput (MB/s)</text>"));
	assert_non_null(strstr(svg, "median of 2 runs at each value"));
	assert_non_null(strstr(svg, "<path d=\"M")); /* a min-max bar */
	assert_non_null(strstr(svg, "stroke=\"#e3e3e3\"")); /* gridlines */
}

static void test_sweep(void **state UNUSED)
{
	struct json_object *doc;
	char *out, *text;
	int rc;

	NEED_BPF();
	out = run_cmd("run pipe --size 1M --sweep block=4K,64K --repeat 2 --json "
		      "--svg /tmp/ipctrace-test-sweep.svg", &rc);
	assert_int_equal(rc, 0);
	doc = parse_kept("sweep", out);
	assert_non_null(doc);
	assert_int_equal(jint(doc, "schema"), 2);
	assert_string_equal(json_object_get_string(jget(doc, "scenario")), "pipe");
	assert_string_equal(json_object_get_string(jget(doc, "param")), "block");
	check_sweep_rows(jget(doc, "rows"));
	json_object_put(doc);
	free(out);
	text = slurp("/tmp/ipctrace-test-sweep.svg");
	check_sweep_svg(text);
	free(text);
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
		cmocka_unit_test(test_timeline_bounded),
		cmocka_unit_test(test_verify_html),
		cmocka_unit_test(test_sweep),
	};

	int rc = cmocka_run_group_tests(tests, require_root_bpf, NULL);

	/* Chromium's profile of these tests */
	if (system("rm -rf /tmp/ipctrace-test-chromium") != 0)
		fprintf(stderr, "could not remove /tmp/ipctrace-test-chromium\n");
	return rc;
}
