/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Reading a report back: values by dotted path ("totals.copies.user_to_kernel"). */
#ifndef JSONPATH_H
#define JSONPATH_H

#include <json-c/json.h>

/* The value at @path of @o (keys up to 63 bytes), NULL when any key is missing or null. */
struct json_object *json_at(struct json_object *o, const char *path);

#endif /* JSONPATH_H */
