// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Bad environments, made real where the machine allows: a read-only and a
 * full temporary directory (tmpfs mounts in a private mount namespace), no
 * root (setpriv to nobody), no tracefs and no BTF (unmounted or hidden in a
 * private mount namespace), bpf() refused (a seccomp filter,
 * tools/workloads/denybpf.c), a tracepoint missing (the test-only
 * IPCTRACE_TEST_HIDE: a real kernel lacking some is `make test-kernels`'
 * 6.1), O_DIRECT on tmpfs and a file system without it (ramfs). Each gives
 * its exact message and exit code, or a report that says what is missing.
 */
#include <sys/stat.h>
#include "compiler.h"
#include "harness.h"

static char dir[64]; /* mount point, or TMPDIR */

static int setup_dir(void **state UNUSED)
{
	snprintf(dir, sizeof(dir), "/tmp/ipctrace-env.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int remove_dir(void **state UNUSED)
{
	assert_int_equal(dir_entries(dir), 0); /* nothing left behind by ipctrace */
	rmdir(dir);
	return 0;
}

/* Run the shell command (%s: the test's directory), stdout and stderr together. */
static char *shell(int *rc, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd) - 8, fmt, ap);
	va_end(ap);
	strcat(cmd, " 2>&1");
	return run_shell(cmd, rc);
}

static void expect_output(const char *out, int rc, int want_rc, const char *needle)
{
	const char *line = strstr(out, needle);

	if (rc != want_rc || !line)
		fail_msg("exit %d (expected %d), output lacks '%s':\n%s", rc, want_rc, needle, out);
	while (line > out && line[-1] != '\n')
		line--;
	printf("exit %d: %.*s\n", rc, (int)strcspn(line, "\n"), line);
}

static void test_readonly_tmpdir(void **state UNUSED)
{
	char *out;
	int rc;

	NEED_BPF();
	out = shell(&rc, "unshare -m sh -c 'mount -t tmpfs -o ro none %s && TMPDIR=%s %s run pipe'",
		    dir, dir, ipctrace_bin());
	expect_output(out, rc, 1, "Read-only file system; point TMPDIR at a writable directory");
	free(out);
}

/* A 64 KiB tmpfs: a --size that does not fit is refused before anything is made. */
static void test_full_tmpdir_refused(void **state UNUSED)
{
	char *out;
	int rc;

	NEED_BPF();
	out = shell(&rc, "unshare -m sh -c 'mount -t tmpfs -o size=64k none %s && "
			 "TMPDIR=%s %s run mmap-share --size 1M'", dir, dir, ipctrace_bin());
	expect_output(out, rc, 2, "--size 1048576 needs 1048576 bytes in");
	free(out);
	/* sendfile into a file holds the data twice: 2 x 48 KiB do not fit in 64 KiB */
	out = shell(&rc, "unshare -m sh -c 'mount -t tmpfs -o size=64k none %s && "
			 "TMPDIR=%s %s run sendfile --to file --size 48K --block 16K'",
		    dir, dir, ipctrace_bin());
	expect_output(out, rc, 2, "--size 49152 needs 98304 bytes in");
	free(out);
	/* ramfs tells no size (statvfs: 0 blocks): its files count against memory */
	out = shell(&rc, "unshare -m sh -c 'mount -t ramfs none %s && "
			 "TMPDIR=%s %s run sendfile --to file --size 100T'", dir, dir, ipctrace_bin());
	expect_output(out, rc, 2, "--size 109951162777600 needs 219902325555200 bytes of memory");
	free(out);
}

/*
 * Out of inodes (tmpfs nr_inodes=2: the root and the run's directory):
 * free space says yes, the first file says ENOSPC. The run is cut short
 * with the failing call named.
 */
static void test_full_tmpdir_mid_run(void **state UNUSED)
{
	char *out;
	int rc;

	NEED_BPF();
	out = shell(&rc, "unshare -m sh -c 'mount -t tmpfs -o size=1m,nr_inodes=2 none %s && "
			 "TMPDIR=%s %s run fifo --size 64K --json >/dev/null'",
		    dir, dir, ipctrace_bin());
	expect_output(out, rc, 1, "fifo: run cut short: mkfifo ");
	assert_non_null(strstr(out, "/fifo: No space left on device"));
	free(out);
	out = shell(&rc, "unshare -m sh -c 'mount -t tmpfs -o size=1m,nr_inodes=2 none %s && "
			 "TMPDIR=%s %s run write-fsync --size 64K --json >/dev/null'",
		    dir, dir, ipctrace_bin());
	expect_output(out, rc, 1, "write-fsync: run cut short: writer (pid ");
	assert_non_null(strstr(out, "failed (exit 1): create "));
	assert_non_null(strstr(out, "/written.dat: No space left on device"));
	free(out);
}

static void test_not_root(void **state UNUSED)
{
	char *out;
	int rc;

	NEED_BPF();
	chmod(dir, 01777); /* nobody's TMPDIR (sticky, as TMPDIR must be): left empty too */
	out = shell(&rc, "TMPDIR=%s setpriv --reuid nobody --regid nogroup --clear-groups "
			 "--inh-caps=-all %s run pipe", dir, ipctrace_bin());
	expect_output(out, rc, 1, "needs root, or CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN before "
				  "Linux 5.8), which this process does not have");
	free(out);
	out = shell(&rc, "setpriv --reuid nobody --regid nogroup --clear-groups --inh-caps=-all "
			 "%s trace -- true", ipctrace_bin());
	expect_output(out, rc, 1, "CAP_BPF and CAP_PERFMON");
	free(out);
}

/* ipctrace uses tp_btf programs: without tracefs (or debugfs) the figures are the same. */
static void test_no_tracefs(void **state UNUSED)
{
	char *out;
	int rc;
	struct json_object *o;

	NEED_BPF();
	out = shell(&rc, "unshare -m sh -c 'umount /sys/kernel/debug/tracing 2>/dev/null; "
			 "umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug 2>/dev/null; "
			 "test ! -e /sys/kernel/tracing/trace && "
			 "%s run pipe --size 1M --block 64K --json' 2>/dev/null",
		    ipctrace_bin());
	assert_int_equal(rc, 0);
	o = parse_kept("report", out);
	assert_non_null(o);
	assert_int_equal(jint(role_figures(o, "writer"), "copies.user_to_kernel.bytes"), 1048576);
	assert_int_equal(jint(role_figures(o, "reader"), "copies.kernel_to_user.bytes"), 1048576);
	json_object_put(o);
	free(out);
}

/* The probe's own pass over the mapped BTF finds what libbpf's parse finds. */
static void test_btf_scan_as_libbpf(void **state UNUSED)
{
	char *scan, *parsed;
	int rc;

	NEED_BPF();
	scan = shell(&rc, "%s probe --json", ipctrace_bin());
	assert_int_equal(rc, 0);
	parsed = shell(&rc, "IPCTRACE_TEST_BTF_LIBBPF=1 %s probe --json", ipctrace_bin());
	assert_int_equal(rc, 0);
	assert_non_null(strstr(scan, "\"sys_enter\""));
	assert_string_equal(scan, parsed);
	free(scan);
	free(parsed);
}

/*
 * The CO-RE BTF (user/corebtf.c, a copy of the kernel types the object
 * reads) relocates every program exactly as the kernel's whole BTF does.
 */
static void test_core_btf_as_kernel(void **state UNUSED)
{
	char core[] = "/tmp/ipct-core-XXXXXX", whole[] = "/tmp/ipct-whole-XXXXXX";
	char *a, *b, *out;
	int rc;

	NEED_BPF();
	close(mkstemp(core));
	close(mkstemp(whole));
	out = shell(&rc, "IPCTRACE_TEST_INSNS=%s %s trace -o /dev/null -- true && "
			 "IPCTRACE_TEST_NO_CORE_BTF=1 IPCTRACE_TEST_INSNS=%s %s trace -o /dev/null -- true && "
			 "cat %s && echo ==== && cat %s", core, ipctrace_bin(), whole, ipctrace_bin(),
		    core, whole);
	unlink(core);
	unlink(whole);
	assert_int_equal(rc, 0);
	a = out;
	b = strstr(out, "\n====\n");
	assert_non_null(b);
	b[1] = 0; /* a ends with its last line's newline, as b does */
	b += 6;
	/* the first line says which BTF; the programs follow */
	assert_true(!strncmp(a, "CO-RE against the CO-RE BTF\n", 28));
	assert_true(!strncmp(b, "CO-RE against the kernel's BTF\n", 31));
	assert_non_null(strstr(a, "\nsys_exit_btf "));
	assert_non_null(strstr(a, "\nsched_switch_btf "));
	assert_string_equal(strchr(a, '\n'), strchr(b, '\n'));
	free(out);
}

/*
 * With the CO-RE BTF and the probe's tracepoint ids, libbpf does not read
 * the kernel's BTF at all (10 to 13 ms of start-up); with
 * IPCTRACE_TEST_NO_CORE_BTF=1 it does, which shows the check can see it.
 */
static void test_libbpf_skips_kernel_btf(void **state UNUSED)
{
	const char *grep = "2>&1 | grep -c \"loading kernel BTF\"";
	char *with, *without;
	int rc;

	NEED_BPF();
	without = shell(&rc, "IPCTRACE_DEBUG=1 IPCTRACE_TEST_NO_CORE_BTF=1 %s trace -o /dev/null -- true %s",
			ipctrace_bin(), grep);
	/* once per copy of the object: two where the load is split over two CPUs */
	if (atoi(without) < 1) {
		printf("skipped: libbpf's debug log does not say when it loads the kernel's BTF (%s)\n",
		       without);
		free(without);
		skip();
	}
	with = shell(&rc, "IPCTRACE_DEBUG=1 %s trace -o /dev/null -- true %s", ipctrace_bin(), grep);
	assert_string_equal(with, "0\n");
	free(with);
	free(without);
}

static void test_no_btf(void **state UNUSED)
{
	char *out, release[128] = "", path[256];
	int rc;
	FILE *f = popen("uname -r", "r");

	NEED_BPF();
	if (!f || !fgets(release, sizeof(release), f))
		fail_msg("uname -r");
	pclose(f);
	release[strcspn(release, "\n")] = 0;
	snprintf(path, sizeof(path), "/boot/vmlinux-%s", release);
	if (!access(path, F_OK)) {
		printf("skipped: %s exists, and libbpf would take its BTF\n", path);
		skip();
	}
	out = shell(&rc, "unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && %s run pipe'",
		    ipctrace_bin());
	expect_output(out, rc, 1, "no kernel BTF: /sys/kernel/btf/vmlinux is missing, and no "
				  "vmlinux image with BTF in /boot or /usr/lib/debug; tp_btf programs "
				  "need it (CONFIG_DEBUG_INFO_BTF)");
	free(out);
	out = shell(&rc, "unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && %s probe'",
		    ipctrace_bin());
	expect_output(out, rc, 1, "BTF: no kernel BTF");
	assert_null(strstr(out, "libbpf:")); /* libbpf's own words stay quiet */
	free(out);
}

static void test_bpf_refused(void **state UNUSED)
{
	char *out;
	int rc;

	NEED_BPF();
	out = shell(&rc, ".output/tests/denybpf EPERM %s run pipe", ipctrace_bin());
	expect_output(out, rc, 1, "the kernel refused bpf() although this process has CAP_BPF and "
				  "CAP_PERFMON: it runs under a seccomp filter");
	free(out);
	out = shell(&rc, ".output/tests/denybpf ENOSYS %s trace -- true", ipctrace_bin());
	expect_output(out, rc, 1, "bpf() is not implemented: ipctrace runs under a seccomp filter");
	free(out);
}

static void test_tracepoint_missing(void **state UNUSED)
{
	char *out;
	int rc;
	struct json_object *o, *why;

	NEED_BPF();
	/* one that feeds a figure: null, and the reason */
	out = shell(&rc, "IPCTRACE_TEST_HIDE=mm_filemap_add_to_page_cache %s run write-fsync "
			 "--size 64K --json 2>/dev/null", ipctrace_bin());
	assert_int_equal(rc, 0);
	o = parse_kept("report", out);
	assert_non_null(o);
	assert_null(jget(o, "totals.page_cache.inserted"));
	why = json_object_object_get(jget(o, "totals.unavailable"), "page_cache.inserted");
	assert_non_null(why);
	assert_string_equal(json_object_get_string(why), "tracepoint mm_filemap_add_to_page_cache: "
							 "hidden by IPCTRACE_TEST_HIDE (test-only)");
	/* the rest is still counted */
	assert_int_equal(jint(role_figures(o, "writer"), "copies.user_to_kernel.bytes"), 65536);
	json_object_put(o);
	free(out);
	/* one ipctrace cannot work without */
	out = shell(&rc, "IPCTRACE_TEST_HIDE=sys_enter %s run pipe", ipctrace_bin());
	expect_output(out, rc, 1, "required tracepoint sys_enter is missing: hidden by "
				  "IPCTRACE_TEST_HIDE (test-only)");
	free(out);
}

/* The bytes of a figure in `trace --json` of dd writing 1 MiB with O_DIRECT into @fstype. */
static void dd_direct(const char *fstype, int *rc, int64_t *direct, int64_t *u2k, char **err)
{
	char report[300];
	struct json_object *o;

	snprintf(report, sizeof(report), "%s.json", dir);
	*err = shell(rc, "unshare -m sh -c 'mount -t %s none %s && %s trace --json -o %s -- dd "
			 "if=/dev/zero of=%s/x bs=64k count=16 oflag=direct status=none'",
		     fstype, dir, ipctrace_bin(), report, dir);
	o = load_kept("report", report);
	unlink(report);
	assert_non_null(o);
	*direct = jint(o, "totals.direct_io.bytes");
	*u2k = jint(o, "totals.copies.user_to_kernel.bytes");
	json_object_put(o);
}

/*
 * No scenario opens a file O_DIRECT (grep O_DIRECT scenarios/: none), so a
 * TMPDIR without O_DIRECT changes no scenario. For `trace`: tmpfs takes
 * O_DIRECT (6.6+) but copies through its page cache, and ipctrace counts
 * it as a copy, not as device DMA; ramfs refuses it (EINVAL), and the
 * command's failure is the command's.
 */
static void test_o_direct(void **state UNUSED)
{
	int64_t direct, u2k;
	char *err;
	int rc;

	NEED_BPF();
	dd_direct("tmpfs", &rc, &direct, &u2k, &err);
	if (rc == 1 && strstr(err, "Invalid argument")) {
		printf("tmpfs refuses O_DIRECT on this kernel (before 6.6): %s", err);
	} else {
		assert_int_equal(rc, 0);
		assert_int_equal(direct, 0);
		assert_int_equal(u2k, 1048576);
	}
	free(err);
	dd_direct("ramfs", &rc, &direct, &u2k, &err);
	expect_output(err, rc, 1, "Invalid argument");
	assert_int_equal(direct, 0);
	assert_in_range(u2k, 1, 200); /* dd's message on stderr, no data */
	free(err);
	/* the file scenarios run on ramfs: they do not use O_DIRECT */
	err = shell(&rc, "unshare -m sh -c 'mount -t ramfs none %s && TMPDIR=%s %s run mmap-share "
			 "--size 64K --json >/dev/null'", dir, dir, ipctrace_bin());
	expect_output(err, rc, 0, "");
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_readonly_tmpdir, setup_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_full_tmpdir_refused, setup_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_full_tmpdir_mid_run, setup_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_not_root, setup_dir, remove_dir),
		cmocka_unit_test(test_no_tracefs),
		cmocka_unit_test(test_btf_scan_as_libbpf),
		cmocka_unit_test(test_core_btf_as_kernel),
		cmocka_unit_test(test_libbpf_skips_kernel_btf),
		cmocka_unit_test(test_no_btf),
		cmocka_unit_test(test_bpf_refused),
		cmocka_unit_test(test_tracepoint_missing),
		cmocka_unit_test_setup_teardown(test_o_direct, setup_dir, remove_dir),
	};

	return cmocka_run_group_tests(tests, require_root_bpf, NULL);
}
