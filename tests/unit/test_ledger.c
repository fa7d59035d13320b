// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* fd kinds and syscalls to ledger columns, and how rows add up. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ledger.h"

#define COL(op, kin, kout, flags) ledger_column(op, kin, kout, flags)

static void test_read_write(void **state)
{
	static const __u8 kinds[] = { FD_REG, FD_PIPE, FD_FIFO, FD_UNIX, FD_TCP,
				      FD_UDP, FD_CHR, FD_ANON };

	for (size_t i = 0; i < sizeof(kinds); i++) {
		assert_int_equal(COL(IO_READ, kinds[i], FD_NONE, 0), COL_K2U);
		assert_int_equal(COL(IO_WRITE, kinds[i], FD_NONE, 0), COL_U2K);
	}
	/* O_DIRECT: the device DMAs to or from the user's pages */
	assert_int_equal(COL(IO_READ, FD_REG, FD_NONE, IOF_IN_DIRECT), COL_DIRECT);
	assert_int_equal(COL(IO_WRITE, FD_REG, FD_NONE, IOF_IN_DIRECT), COL_DIRECT);
	/* O_DIRECT means nothing to a pipe */
	assert_int_equal(COL(IO_WRITE, FD_PIPE, FD_NONE, IOF_IN_DIRECT), COL_U2K);
}

static void test_sockets(void **state)
{
	assert_int_equal(COL(IO_SEND, FD_TCP, FD_NONE, 0), COL_U2K);
	assert_int_equal(COL(IO_RECV, FD_UNIX, FD_NONE, 0), COL_K2U);
	assert_int_equal(COL(IO_SEND, FD_TCP, FD_NONE, IOF_ZEROCOPY), COL_PAGEREF);
}

static void test_splice_family(void **state)
{
	/* sendfile(out, in): kin is the source */
	assert_int_equal(COL(IO_SENDFILE, FD_REG, FD_TCP, 0), COL_PAGEREF);
	assert_int_equal(COL(IO_SENDFILE, FD_REG, FD_UNIX, 0), COL_PAGEREF);
	assert_int_equal(COL(IO_SENDFILE, FD_REG, FD_PIPE, 0), COL_PAGEREF);
	assert_int_equal(COL(IO_SENDFILE, FD_REG, FD_REG, 0), COL_K2K);
	assert_int_equal(COL(IO_SENDFILE, FD_REG, FD_REG, IOF_OUT_DIRECT), COL_DIRECT);
	assert_int_equal(COL(IO_SPLICE, FD_PIPE, FD_TCP, 0), COL_PAGEREF);
	assert_int_equal(COL(IO_SPLICE, FD_PIPE, FD_REG, 0), COL_K2K);
	assert_int_equal(COL(IO_SPLICE, FD_REG, FD_PIPE, 0), COL_PAGEREF);
	assert_int_equal(COL(IO_SPLICE, FD_CHR, FD_PIPE, 0), COL_K2K); /* copy_splice_read */
	assert_int_equal(COL(IO_TEE, FD_PIPE, FD_PIPE, 0), COL_PAGEREF);
	assert_int_equal(COL(IO_VMSPLICE, FD_PIPE, FD_NONE, 0), COL_PAGEREF);
	assert_int_equal(COL(IO_VMSPLICE, FD_PIPE, FD_NONE, IOF_IN_RDONLY), COL_K2U);
	assert_int_equal(COL(IO_COPY_RANGE, FD_REG, FD_REG, 0), COL_K2K);
}

static void test_rows_add_up(void **state)
{
	struct figures f;
	struct ipct_io_key w = { .op = IO_WRITE, .kin = FD_PIPE };
	struct ipct_io_key r = { .op = IO_READ, .kin = FD_UNIX };
	struct ipct_io_val v1 = { .bytes = 1000, .calls = 3 }, v2 = { .bytes = 24, .calls = 1 };

	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &w, &v1, true);
	ledger_add_row(&f, &w, &v2, true);
	assert_int_equal(f.col[COL_U2K].bytes, 1024);
	assert_int_equal(f.site_derived[OBS_PIPE_WRITE][IC_USER], 1024);
	assert_int_equal(f.col[COL_U2K].ops, 4);
	assert_int_equal(cell_method(&f.col[COL_U2K]), M_DERIVED);

	/* a socket receive with the skb tracepoint on: the observed bytes count */
	ledger_add_row(&f, &r, &v1, true);
	assert_int_equal(f.col[COL_K2U].bytes, 0);
	assert_int_equal(f.col[COL_K2U].derived_bytes, 1000);
	f.k.skb_copy_bytes = 1000;
	ledger_add_observed_socket_rx(&f);
	assert_int_equal(f.col[COL_K2U].bytes, 1000);
	assert_int_equal(f.col[COL_K2U].ops, 3);
	assert_int_equal(cell_method(&f.col[COL_K2U]), M_OBSERVED);

	/* without it, derived */
	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &r, &v1, false);
	assert_int_equal(f.col[COL_K2U].bytes, 1000);
	assert_int_equal(cell_method(&f.col[COL_K2U]), M_DERIVED);
	assert_int_equal(cell_method(&f.col[COL_K2K]), M_NONE);
}

/* The copy caller the model predicts for a row, and its iov_iter class (-1: none). */
static void expect_site(__u8 op, __u8 kin, __u8 kout, __u32 flags, int site, int cls)
{
	struct ipct_io_key key = { .op = op, .kin = kin, .kout = kout, .flags = flags };
	int s = -1, c = -1;

	if (!ledger_site(&key, &s, &c))
		s = c = -1;
	assert_int_equal(s, site);
	assert_int_equal(c, cls);
}

static void test_sites(void **state)
{
	expect_site(IO_READ, FD_REG, FD_NONE, 0, OBS_FILE_READ, IC_USER);
	expect_site(IO_WRITE, FD_REG, FD_NONE, 0, OBS_FILE_WRITE, IC_USER);
	expect_site(IO_READ, FD_REG, FD_NONE, IOF_IN_DIRECT, -1, -1); /* DMA, no copy */
	expect_site(IO_WRITE, FD_PIPE, FD_NONE, 0, OBS_PIPE_WRITE, IC_USER);
	expect_site(IO_READ, FD_FIFO, FD_NONE, 0, OBS_PIPE_READ, IC_USER);
	expect_site(IO_WRITE, FD_UNIX, FD_NONE, 0, OBS_SOCK_SEND, IC_USER);
	expect_site(IO_SEND, FD_UNIX, FD_NONE, 0, OBS_SOCK_SEND, IC_USER);
	expect_site(IO_SEND, FD_TCP, FD_NONE, 0, -1, -1); /* tcp_sendmsg_locked copies itself */
	expect_site(IO_SEND, FD_UNIX, FD_NONE, IOF_ZEROCOPY, -1, -1);
	expect_site(IO_READ, FD_TCP, FD_NONE, 0, OBS_SOCK_RECV, IC_USER);
	expect_site(IO_RECV, FD_UNIX, FD_NONE, 0, OBS_SOCK_RECV, IC_USER);
	/* sendfile: references out of the page cache; into a file, a bvec copy */
	expect_site(IO_SENDFILE, FD_REG, FD_UNIX, 0, -1, -1);
	expect_site(IO_SENDFILE, FD_REG, FD_TCP, 0, -1, -1);
	expect_site(IO_SENDFILE, FD_REG, FD_PIPE, 0, -1, -1);
	expect_site(IO_SENDFILE, FD_REG, FD_REG, 0, OBS_FILE_WRITE, IC_KERNEL);
	expect_site(IO_SPLICE, FD_PIPE, FD_REG, 0, OBS_FILE_WRITE, IC_KERNEL);
	expect_site(IO_SENDFILE, FD_REG, FD_REG, IOF_OUT_DIRECT, -1, -1);
	expect_site(IO_VMSPLICE, FD_PIPE, FD_NONE, IOF_IN_RDONLY, -1, -1);
}

static void test_names(void **state)
{
	assert_string_equal(fd_kind_name(FD_FIFO), "fifo");
	assert_string_equal(fd_kind_name(200), "?");
	assert_string_equal(io_op_name(IO_SENDFILE), "sendfile");
	assert_true(fd_kind_is_socket(FD_UDP));
	assert_false(fd_kind_is_socket(FD_PIPE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_write),
		cmocka_unit_test(test_sockets),
		cmocka_unit_test(test_splice_family),
		cmocka_unit_test(test_rows_add_up),
		cmocka_unit_test(test_sites),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
