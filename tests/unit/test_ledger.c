// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* fd kinds and syscalls to ledger columns, and how rows add up. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "compiler.h"
#include "ledger.h"

#define COL(op, kin, kout, flags) ledger_column(op, kin, kout, flags)

static void test_read_write(void **state UNUSED)
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

/*
 * A block device: O_DIRECT is the driver's to or from the user's pages;
 * buffered, a copy through the device's page cache.
 */
static void test_block_devices(void **state UNUSED)
{
	assert_int_equal(COL(IO_READ, FD_BLK, FD_NONE, IOF_IN_DIRECT), COL_DIRECT);
	assert_int_equal(COL(IO_WRITE, FD_BLK, FD_NONE, IOF_IN_DIRECT), COL_DIRECT);
	assert_int_equal(COL(IO_READ, FD_BLK, FD_NONE, 0), COL_K2U);
	assert_int_equal(COL(IO_WRITE, FD_BLK, FD_NONE, 0), COL_U2K);
	assert_int_equal(COL(IO_SPLICE, FD_PIPE, FD_BLK, IOF_OUT_DIRECT), COL_DIRECT);
	assert_int_equal(COL(IO_SPLICE, FD_PIPE, FD_BLK, 0), COL_K2K);
	/* the flag of the other fd says nothing about this one */
	assert_int_equal(COL(IO_READ, FD_BLK, FD_NONE, IOF_OUT_DIRECT), COL_K2U);
}

/*
 * Linux AIO: io_submit and io_getevents carry no bytes of their own (their
 * ops come as read and write rows); ops the ledger could not count are
 * not accounted, one each, under io_submit.
 */
static void test_aio(void **state UNUSED)
{
	static struct figures f;
	struct ipct_io_key submit = { .op = IO_AIO_SUBMIT, .nr = 209 };
	struct ipct_io_key reap = { .op = IO_AIO_REAP, .nr = 208 };
	struct ipct_io_key op = { .op = IO_READ, .kin = FD_REG, .flags = IOF_IN_DIRECT,
				  .nr = IPCT_NR_AIO_BASE + 0 };
	struct ipct_io_val calls = { .bytes = 0, .calls = 0, .attempts = 3 };
	struct ipct_io_val ops = { .bytes = 3 << 16, .calls = 3, .attempts = 0 };

	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &submit, &calls, false);
	ledger_add_row(&f, &reap, &calls, false);
	ledger_add_row(&f, &op, &ops, false);
	assert_int_equal(f.col[COL_DIRECT].bytes, 3 << 16);
	assert_int_equal(f.col[COL_DIRECT].ops, 3);
	for (int c = 0; c < NR_COLUMNS; c++)
		if (c != COL_DIRECT)
			assert_int_equal(f.col[c].bytes + f.col[c].ops, 0);
	assert_int_equal(f.by_kind[FD_REG].read_bytes, 3 << 16);
	assert_int_equal(f.unacc_calls, 0);
	f.k.aio_unaccounted = 2;
	ledger_add_ops_unaccounted(&f);
	assert_int_equal(f.unacc_calls, 2);
	assert_int_equal(f.unacc_by_nr[209], 2);
	assert_string_equal(io_op_name(IO_AIO_SUBMIT), "aio_submit");
	assert_string_equal(io_op_name(IO_AIO_REAP), "aio_reap");
}

static void test_sockets(void **state UNUSED)
{
	assert_int_equal(COL(IO_SEND, FD_TCP, FD_NONE, 0), COL_U2K);
	assert_int_equal(COL(IO_RECV, FD_UNIX, FD_NONE, 0), COL_K2U);
	assert_int_equal(COL(IO_SEND, FD_TCP, FD_NONE, IOF_ZEROCOPY), COL_PAGEREF);
}

static void test_splice_family(void **state UNUSED)
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

static void test_rows_add_up(void **state UNUSED)
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

static void expect_site_none(__u8 op, __u8 kin, __u32 flags);

#define IN_CHR(c) ((__u32)(c) << IOF_IN_CHR_SHIFT)
#define OUT_CHR(c) ((__u32)(c) << IOF_OUT_CHR_SHIFT)

/* Character devices by what their driver does (drivers/char/mem.c). */
static void test_char_devices(void **state UNUSED)
{
	/* /dev/null, /dev/zero: write_iter_null() reads nothing */
	assert_int_equal(COL(IO_WRITE, FD_CHR, FD_NONE, IN_CHR(CHR_NULL)), COL_DISCARD);
	assert_int_equal(COL(IO_WRITE, FD_CHR, FD_NONE, IN_CHR(CHR_ZERO)), COL_DISCARD);
	/* random_write_iter() copies the bytes in to mix them; a tty copies into its buffer */
	assert_int_equal(COL(IO_WRITE, FD_CHR, FD_NONE, IN_CHR(CHR_RANDOM)), COL_U2K);
	assert_int_equal(COL(IO_WRITE, FD_CHR, FD_NONE, IN_CHR(CHR_TTY)), COL_U2K);
	assert_int_equal(COL(IO_WRITE, FD_CHR, FD_NONE, IN_CHR(CHR_UNKNOWN)), COL_U2K);
	/* reads: zero-fill (iov_iter_zero) and generated bytes are written into user memory */
	assert_int_equal(COL(IO_READ, FD_CHR, FD_NONE, IN_CHR(CHR_ZERO)), COL_K2U);
	assert_int_equal(COL(IO_READ, FD_CHR, FD_NONE, IN_CHR(CHR_FULL)), COL_K2U);
	assert_int_equal(COL(IO_READ, FD_CHR, FD_NONE, IN_CHR(CHR_RANDOM)), COL_K2U);
	/* splice_write_null()/splice_write_zero() drop the pipe buffers */
	assert_int_equal(COL(IO_SENDFILE, FD_REG, FD_CHR, OUT_CHR(CHR_NULL)), COL_DISCARD);
	assert_int_equal(COL(IO_SPLICE, FD_PIPE, FD_CHR, OUT_CHR(CHR_NULL)), COL_DISCARD);
	assert_int_equal(COL(IO_SPLICE, FD_PIPE, FD_CHR, OUT_CHR(CHR_ZERO)), COL_DISCARD);
	assert_int_equal(COL(IO_SENDFILE, FD_CHR, FD_CHR, IN_CHR(CHR_ZERO) | OUT_CHR(CHR_NULL)),
			 COL_DISCARD);
	/* a copy_splice_read() source copied before the sink dropped it */
	assert_int_equal(COL(IO_SENDFILE, FD_CHR, FD_CHR, IN_CHR(CHR_RANDOM) | OUT_CHR(CHR_NULL)),
			 COL_K2K);
	/* into any other character device: as before */
	assert_int_equal(COL(IO_SPLICE, FD_PIPE, FD_CHR, OUT_CHR(CHR_TTY)), COL_K2K);
	/* a discarded write passes no copy routine */
	expect_site_none(IO_WRITE, FD_CHR, IN_CHR(CHR_NULL));
}

/*
 * copy_file_range (bpf/remap.bpf.h): spliced (a copy), extents shared (XFS
 * said so: no copy), or, where a remap or the file system's own copy may
 * have served it and nothing watched, "copied or remapped, unknown".
 */
static void test_copy_range(void **state UNUSED)
{
	struct figures f;
	struct ipct_io_key k = { .op = IO_COPY_RANGE, .kin = FD_REG, .kout = FD_REG,
				 .flags = IOF_MAY_REMAP | IOF_REMAP_WATCHED | IOF_REMAPPED };
	struct ipct_io_val v = { .bytes = 64 << 20, .calls = 1, .attempts = 2 };
	int site, cls;

	/* ext4, tmpfs: no remap there, the splice copies */
	assert_int_equal(COL(IO_COPY_RANGE, FD_REG, FD_REG, 0), COL_K2K);
	/* XFS, its remap tracepoint attached, the remap refused (unaligned): spliced */
	assert_int_equal(COL(IO_COPY_RANGE, FD_REG, FD_REG, IOF_MAY_REMAP | IOF_REMAP_WATCHED),
			 COL_K2K);
	assert_int_equal(COL(IO_COPY_RANGE, FD_REG, FD_REG,
			     IOF_MAY_REMAP | IOF_REMAP_WATCHED | IOF_REMAPPED),
			 COL_REMAP);
	/* btrfs, NFS, XFS without the tracepoint: either, and said so */
	assert_int_equal(COL(IO_COPY_RANGE, FD_REG, FD_REG, IOF_MAY_REMAP), COL_COPY_OR_REMAP);
	/* a remapped row: in its column only, no copy site predicted, the files' bytes kept */
	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &k, &v, false);
	assert_int_equal(f.col[COL_REMAP].bytes, 64 << 20);
	assert_int_equal(f.col[COL_REMAP].ops, 1);
	assert_int_equal(f.col[COL_K2K].bytes + f.col[COL_COPY_OR_REMAP].bytes, 0);
	assert_int_equal(f.by_kind[FD_REG].read_bytes, 64 << 20);
	assert_int_equal(f.by_kind[FD_REG].write_bytes, 64 << 20);
	assert_false(ledger_site(&k, &site, &cls));
	assert_string_equal(column_name(COL_REMAP), "remapped");
	assert_string_equal(column_name(COL_COPY_OR_REMAP), "copied_or_remapped");
}

/* Data the ledger cannot count: every call, per syscall, in no column. */
static void test_not_accounted(void **state UNUSED)
{
	struct figures f;
	struct ipct_io_key k = { .op = IO_UNACCOUNTED, .nr = 279 /* move_pages */ };
	struct ipct_io_val v = { .bytes = 0, .calls = 0, .attempts = 5 };

	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &k, &v, false);
	assert_int_equal(f.unacc_calls, 5);
	assert_int_equal(f.unacc_by_nr[279], 5);
	for (int c = 0; c < NR_COLUMNS; c++)
		assert_int_equal(f.col[c].bytes + f.col[c].ops, 0);
}

/*
 * Socket receives where the copy tracepoint is on: its bytes when it saw at
 * least what the receives returned; else (UDP copies past it) the derived
 * bytes, and the difference said.
 */
static void test_socket_rx_observed_or_derived(void **state UNUSED)
{
	static struct figures f;
	struct ipct_io_key udp = { .op = IO_RECV, .kin = FD_UDP };
	struct ipct_io_val v = { .bytes = 806000, .calls = 800, .attempts = 800 };

	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &udp, &v, true);
	f.k.skb_copy_bytes = 0;
	ledger_add_observed_socket_rx(&f);
	assert_int_equal(f.col[COL_K2U].bytes, 806000);
	assert_int_equal(cell_method(&f.col[COL_K2U]), M_DERIVED);
	assert_int_equal(f.sock_rx_unseen, 806000);
	/* the observation saw it all: it stands, the derived figure kept beside it */
	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &udp, &v, true);
	f.k.skb_copy_bytes = 806000;
	ledger_add_observed_socket_rx(&f);
	assert_int_equal(f.col[COL_K2U].bytes, 806000);
	assert_int_equal(f.col[COL_K2U].derived_bytes, 806000);
	assert_int_equal(cell_method(&f.col[COL_K2U]), M_OBSERVED);
	assert_int_equal(f.sock_rx_unseen, 0);
}

/*
 * MSG_ZEROCOPY sends the receive path copied: their bytes (at most what the
 * zerocopy sends returned; retransmits are copied again) leave page
 * references for user -> kernel, observed; the calls move only when all
 * their bytes did. sendfile's page references stay.
 */
static void test_zerocopy_copied(void **state UNUSED)
{
	static struct figures f;
	struct ipct_io_key zc = { .op = IO_SEND, .kin = FD_TCP, .flags = IOF_ZEROCOPY };
	struct ipct_io_key sf = { .op = IO_SENDFILE, .kin = FD_REG, .kout = FD_TCP };
	struct ipct_io_val v = { .bytes = 65536, .calls = 4, .attempts = 4 };
	struct ipct_io_val s = { .bytes = 4096, .calls = 1, .attempts = 1 };

	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &zc, &v, true);
	ledger_add_row(&f, &sf, &s, true);
	f.k.zc_copied_bytes = 65536 + 1448; /* one segment retransmitted */
	ledger_zerocopy_copied(&f);
	assert_int_equal(f.col[COL_PAGEREF].bytes, 4096);
	assert_int_equal(f.col[COL_PAGEREF].ops, 1);
	assert_int_equal(f.col[COL_U2K].bytes, 65536);
	assert_int_equal(f.col[COL_U2K].ops, 4);
	assert_int_equal(cell_method(&f.col[COL_U2K]), M_OBSERVED);
	/* some copied (one receiver local, one not): the bytes move, the calls stay */
	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &zc, &v, true);
	f.k.zc_copied_bytes = 16384;
	ledger_zerocopy_copied(&f);
	assert_int_equal(f.col[COL_PAGEREF].bytes, 65536 - 16384);
	assert_int_equal(f.col[COL_PAGEREF].ops, 4);
	assert_int_equal(f.col[COL_U2K].bytes, 16384);
	assert_int_equal(f.col[COL_U2K].ops, 0);
	/* none copied (a real NIC): page references, as before */
	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &zc, &v, true);
	ledger_zerocopy_copied(&f);
	assert_int_equal(f.col[COL_PAGEREF].bytes, 65536);
	assert_int_equal(f.col[COL_U2K].bytes, 0);
	assert_int_equal(cell_method(&f.col[COL_U2K]), M_NONE);
}

/*
 * process_vm_*: user -> user, the caller's, by peer (readv: from it, writev:
 * into it); message queues: into the kernel at send, out at receive.
 */
static void test_process_vm_and_messages(void **state UNUSED)
{
	static struct figures f, sum;
	struct ipct_io_key rd = { .op = IO_PROCESS_VM, .nr = 310, .peer = 42 };
	struct ipct_io_key wr = { .op = IO_PROCESS_VM, .nr = 311, .peer = 42 };
	struct ipct_io_key other = { .op = IO_PROCESS_VM, .nr = 310, .peer = 7 };
	struct ipct_io_val v = { .bytes = 1000, .calls = 2, .attempts = 2 };

	assert_int_equal(ledger_column(IO_PROCESS_VM, FD_NONE, FD_NONE, 0), COL_U2U);
	assert_int_equal(ledger_column(IO_MSG_SEND, FD_NONE, FD_NONE, 0), COL_U2K);
	assert_int_equal(ledger_column(IO_MSG_RECV, FD_NONE, FD_NONE, 0), COL_K2U);
	memset(&f, 0, sizeof(f));
	ledger_add_row(&f, &rd, &v, false);
	v.bytes = 3000;
	ledger_add_row(&f, &wr, &v, false);
	v.bytes = 5;
	ledger_add_row(&f, &other, &v, false);
	assert_int_equal(f.col[COL_U2U].bytes, 4005);
	assert_int_equal(f.col[COL_U2U].ops, 6);
	assert_int_equal(f.vm_peers[0].pid, 42);
	assert_int_equal(f.vm_peers[0].read_bytes, 1000);
	assert_int_equal(f.vm_peers[0].write_bytes, 3000);
	assert_int_equal(f.vm_peers[1].pid, 7);
	/* summed over processes by peer; past the table, "others" */
	memset(&sum, 0, sizeof(sum));
	figures_add(&sum, &f);
	figures_add(&sum, &f);
	assert_int_equal(sum.vm_peers[0].write_bytes, 6000);
	assert_int_equal(sum.vm_peers[1].read_bytes, 10);
	for (__u32 pid = 100; pid < 100 + MAX_VM_PEERS; pid++)
		vm_peer_add(&sum, pid, 1, 0);
	assert_int_equal(sum.vm_peers[MAX_VM_PEERS - 1].pid, VM_PEER_OTHERS);
	assert_int_equal(sum.vm_peers[MAX_VM_PEERS - 1].read_bytes, 3);
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

static void test_sites(void **state UNUSED)
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

static void expect_site_none(__u8 op, __u8 kin, __u32 flags)
{
	expect_site(op, kin, FD_NONE, flags, -1, -1);
}

static void test_names(void **state UNUSED)
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
		cmocka_unit_test(test_block_devices),
		cmocka_unit_test(test_aio),
		cmocka_unit_test(test_sockets),
		cmocka_unit_test(test_splice_family),
		cmocka_unit_test(test_rows_add_up),
		cmocka_unit_test(test_sites),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_char_devices),
		cmocka_unit_test(test_not_accounted),
		cmocka_unit_test(test_copy_range),
		cmocka_unit_test(test_process_vm_and_messages),
		cmocka_unit_test(test_socket_rx_observed_or_derived),
		cmocka_unit_test(test_zerocopy_copied),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
