// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Values of a JSON document by dotted path: see jsonpath.h. */
#include <stdio.h>
#include <string.h>
#include "jsonpath.h"

struct json_object *json_at(struct json_object *o, const char *path)
{
	char key[64];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (path[n] == '.');
	}
	return o;
}
