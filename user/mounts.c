// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The mount table: file-system-relative paths made whole (mounts.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mounts.h"
#include "readfile.h"

/* A mountinfo field: octal escapes (\040 space, \011 tab, \012, \134) decoded. */
static char *unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = 0;
	return out;
}

/* The @i-th space-separated field of @line (up to @end) in *@f, its length returned; -1: none. */
static long field(const char *line, const char *end, int i, const char **f)
{
	const char *p = line, *q;

	for (int k = 0; p < end; k++) {
		q = memchr(p, ' ', end - p);
		if (!q)
			q = end;
		if (k == i) {
			*f = p;
			return q - p;
		}
		p = q + 1;
	}
	return -1;
}

/* One line: "id parent major:minor root point ...": 0 added, 1 skipped, -ENOMEM. */
static int parse_line(struct mount_table *t, const char *line, const char *end)
{
	const char *dev = NULL, *root = NULL, *point = NULL;
	long ndev = field(line, end, 2, &dev), nroot = field(line, end, 3, &root);
	long npoint = field(line, end, 4, &point);
	struct mount_entry e = {}, *ne;

	if (ndev < 3 || nroot < 1 || npoint < 1 || sscanf(dev, "%u:%u", &e.major, &e.minor) != 2)
		return 1;
	e.root = unescape(root, nroot);
	e.point = unescape(point, npoint);
	ne = realloc(t->e, (t->n + 1) * sizeof(*ne));
	if (!e.root || !e.point || !ne) {
		free(e.root);
		free(e.point);
		if (ne)
			t->e = ne;
		return -ENOMEM;
	}
	t->e = ne;
	t->e[t->n++] = e;
	return 0;
}

int mount_table_parse(struct mount_table *t, const char *text)
{
	memset(t, 0, sizeof(*t));
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);

		if (parse_line(t, p, end) < 0) {
			mount_table_free(t);
			return -ENOMEM;
		}
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

void mount_table_load(struct mount_table *t)
{
	char err[256];
	size_t len;
	char *text = read_bounded("/proc/self/mountinfo", 16 * MIB, "mount table", &len, err,
				  sizeof(err));

	memset(t, 0, sizeof(*t));
	if (text && mount_table_parse(t, text))
		memset(t, 0, sizeof(*t));
	free(text);
}

void mount_table_free(struct mount_table *t)
{
	for (int i = 0; i < t->n; i++) {
		free(t->e[i].root);
		free(t->e[i].point);
	}
	free(t->e);
	memset(t, 0, sizeof(*t));
}

/* What of @name lies under the mount root @root ("/a/b" under "/a": "/b"); NULL: not under it. */
static const char *under_root(const char *root, const char *name)
{
	size_t n = strlen(root);

	if (!strcmp(root, "/"))
		return name;
	if (!strncmp(name, "...", 3)) /* its head is unknown: it may not be under @root */
		return NULL;
	if (strncmp(name, root, n) || (name[n] && name[n] != '/'))
		return NULL;
	return name + n;
}

const char *mount_path(const struct mount_table *t, unsigned major, unsigned minor,
		       const char *name, char *buf, size_t len)
{
	for (int i = 0; i < t->n; i++) {
		const struct mount_entry *e = &t->e[i];
		const char *rest;
		bool top = !strcmp(e->point, "/");

		if (e->major != major || e->minor != minor || !(rest = under_root(e->root, name)))
			continue;
		if (!strncmp(rest, "...", 3)) /* "/mnt" + "/..." + "/a/b" */
			snprintf(buf, len, "%s%s%s", top ? "" : e->point, top ? "" : "/", rest);
		else if (!*rest)
			snprintf(buf, len, "%s", e->point);
		else
			snprintf(buf, len, "%s%s", top ? "" : e->point, rest);
		return e->point;
	}
	snprintf(buf, len, "%s", name);
	return NULL;
}
