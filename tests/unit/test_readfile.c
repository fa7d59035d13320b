// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* read_bounded(): input files read whole, never past their limit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "compiler.h"
#include "readfile.h"

static char path[] = "/tmp/ipctrace-readfile.XXXXXX";

/* The test file, @n bytes of 'x'. */
static void make_file(size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc('x', f);
	fclose(f);
}

static void test_regular_file(void **state UNUSED)
{
	char err[256] = "", *s;
	size_t len = 0;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	/* at the limit: read; one byte past it: refused, unread */
	make_file(100000);
	s = read_bounded(path, 100000, "test file", &len, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(len, 100000);
	assert_int_equal(strlen(s), 100000);
	free(s);
	make_file(100001);
	assert_null(read_bounded(path, 100000, "test file", &len, err, sizeof(err)));
	assert_non_null(strstr(err, "is larger than 100000 bytes, the limit for a test file"));
	make_file(0);
	s = read_bounded(path, 100000, "test file", &len, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(len, 0);
	free(s);
	unlink(path);
	assert_null(read_bounded(path, 100000, "test file", &len, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot read /tmp/ipctrace-readfile."));
	assert_non_null(strstr(err, ": No such file or directory"));
}

/* Files with no size: /dev/zero never ends, a pipe ends when its writer closes it. */
static void test_endless_and_pipes(void **state UNUSED)
{
	char err[256] = "", name[64], *s;
	size_t len = 0;
	int fds[2];

	assert_null(read_bounded("/dev/zero", 2 * MIB, "claims file", &len, err, sizeof(err)));
	assert_string_equal(err, "/dev/zero is larger than 2 MiB, the limit for a claims file");
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "hello", 5), 5);
	close(fds[1]);
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fds[0]);
	s = read_bounded(name, 5, "test file", &len, err, sizeof(err));
	assert_non_null(s);
	assert_string_equal(s, "hello");
	free(s);
	close(fds[0]);
}

/* A path is quoted escaped: a name cannot put controls on the terminal. */
static void test_path_escaped(void **state UNUSED)
{
	char err[256] = "";
	size_t len;

	assert_null(read_bounded("/nonexistent/\x1b]0;t\x07\nX", 10, "test file", &len, err,
				 sizeof(err)));
	assert_string_equal(err, "cannot read /nonexistent/\\x1b]0;t\\x07\\nX: "
				 "No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular_file),
		cmocka_unit_test(test_endless_and_pipes),
		cmocka_unit_test(test_path_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
