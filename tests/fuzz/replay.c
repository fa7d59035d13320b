// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A fuzz harness as a test: every file of tests/fuzz/corpus/NAME (the seeds)
 * and tests/fuzz/regress/NAME (inputs that once crashed it, kept after the
 * fix) goes through LLVMFuzzerTestOneInput; a crash or a sanitizer report
 * (make test SAN=1) fails the test. NAME comes from the build (FUZZ_NAME).
 */
#include <dirent.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>
#include "compiler.h"
#include "fuzz.h"

/* Feed every file of @dir; the number fed. */
static int replay_dir(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[512], *buf;
		long len;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		buf = malloc(len + 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf, 1, len, f), (size_t)len);
		fclose(f);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void test_corpus(void **state UNUSED)
{
	int n = replay_dir("tests/fuzz/corpus/" FUZZ_NAME);

	printf("%s: %d seed inputs\n", FUZZ_NAME, n);
	assert_true(n > 0);
}

static void test_regressions(void **state UNUSED)
{
	int n = replay_dir("tests/fuzz/regress/" FUZZ_NAME);

	if (n == 0) {
		printf("skipped: no regression inputs for %s (fuzzing has found no crash)\n", FUZZ_NAME);
		skip();
	}
	printf("%s: %d regression inputs\n", FUZZ_NAME, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_regressions),
	};

	return cmocka_run_group_tests_name(FUZZ_NAME, tests, NULL, NULL);
}
