// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* mount_path(): a path from its file system's root, made whole from the mount table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "compiler.h"
#include "mounts.h"

/* A mount table: the root, /dev/shm over-mounted, a bind mount of a subdirectory, escapes. */
static const char mountinfo[] =
	"24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw\n"
	"25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw\n"
	"27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
	"30 25 0:27 / /dev/shm rw,relatime - tmpfs tmpfs rw\n"
	"31 27 254:0 /srv/data /mnt/my\\040data rw - ext4 /dev/vda rw\n"
	"32 27 8:1 /vol /mnt/vol rw - ext4 /dev/sda1 rw\n"
	"33 27 8:1 / /mnt/whole rw - ext4 /dev/sda1 rw\n"
	"garbage\n"
	"34 27 8:2 /sub\\134x /mnt/b rw - ext4 /dev/sda2 rw";

static void expect(const struct mount_table *t, unsigned major, unsigned minor, const char *name,
		   const char *path, const char *point)
{
	char buf[256];
	const char *p = mount_path(t, major, minor, name, buf, sizeof(buf));

	assert_string_equal(buf, path);
	if (point)
		assert_string_equal(p, point);
	else
		assert_null(p);
}

static void test_paths(void **state UNUSED)
{
	struct mount_table t;

	assert_int_equal(mount_table_parse(&t, mountinfo), 0);
	assert_int_equal(t.n, 8); /* "garbage" skipped */
	/* tmpfs: the kernel's "/x" is /dev/shm/x; the over-mounted 0:23 too */
	expect(&t, 0, 27, "/x", "/dev/shm/x", "/dev/shm");
	expect(&t, 0, 23, "/y", "/dev/shm/y", "/dev/shm");
	/* the root file system: unchanged, whole or not */
	expect(&t, 254, 0, "/etc/hostname", "/etc/hostname", "/");
	expect(&t, 254, 0, ".../x86_64-linux-gnu/libc.so.6", ".../x86_64-linux-gnu/libc.so.6", "/");
	/* the first mount that shows it: / before the bind mount of /srv/data */
	expect(&t, 254, 0, "/srv/data/f", "/srv/data/f", "/");
	/* only under a mounted subdirectory: its root taken off, its mount point put on */
	expect(&t, 8, 1, "/vol/a/b", "/mnt/vol/a/b", "/mnt/vol");
	expect(&t, 8, 1, "/volume/a", "/mnt/whole/volume/a", "/mnt/whole");
	expect(&t, 8, 1, "/vol", "/mnt/vol", "/mnt/vol");
	/* a head unknown: only a mount of the whole file system can hold it */
	expect(&t, 8, 1, ".../a/b/c", "/mnt/whole/.../a/b/c", "/mnt/whole");
	expect(&t, 8, 2, ".../a/b/c", ".../a/b/c", NULL);
	/* escapes decoded: \134 is a backslash */
	expect(&t, 8, 2, "/sub\\x/f", "/mnt/b/f", "/mnt/b");
	expect(&t, 8, 2, "/other/f", "/other/f", NULL);
	/* a device mounted nowhere: the name as the kernel gave it */
	expect(&t, 0, 99, "/x", "/x", NULL);
	assert_string_equal(t.e[4].point, "/mnt/my data");
	mount_table_free(&t);
}

/* This machine's table: / is mounted, and the buffer's end is kept. */
static void test_load_and_truncation(void **state UNUSED)
{
	struct mount_table t;
	char buf[8];

	mount_table_load(&t);
	assert_true(t.n > 0);
	mount_table_free(&t);
	assert_int_equal(mount_table_parse(&t, mountinfo), 0);
	assert_non_null(mount_path(&t, 0, 27, "/a-long-name", buf, sizeof(buf)));
	assert_string_equal(buf, "/dev/sh");
	mount_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_load_and_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
