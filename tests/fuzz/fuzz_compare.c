// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `ipctrace compare`'s reading of verify --json documents: the input is one
 * or more JSON texts separated by form feeds; each is parsed, checked with
 * compare_check(), and those that pass are compared and printed as text and
 * JSON, as compare_main() does with files.
 */
#include <stdio.h>
#include <json-c/json.h>
#include "compare.h"
#include "fuzz.h"

#define MAX_DOCS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *save = NULL, err[256];
	struct json_object *docs[MAX_DOCS];
	const char *names[MAX_DOCS] = { "a.json", "b.json", "c.json", "d.json" };
	int n = 0;
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	for (char *t = strtok_r(s, "\f", &save); t && n < MAX_DOCS; t = strtok_r(NULL, "\f", &save)) {
		struct json_object *d = json_tokener_parse(t);

		if (!d)
			continue;
		if (compare_check(d, err, sizeof(err)) == 0)
			docs[n++] = d;
		else
			json_object_put(d);
	}
	if (n > 0) {
		struct json_object *cmp = compare_build(docs, names, n);

		FUZZ_ASSERT(cmp != NULL);
		compare_print_text(cmp, null);
		fputs(json_object_to_json_string_ext(cmp, JSON_C_TO_STRING_PRETTY), null);
		json_object_put(cmp);
	}
	for (int i = 0; i < n; i++)
		json_object_put(docs[i]);
	free(s);
	return 0;
}
