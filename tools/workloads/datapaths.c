// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * datapaths: data paths beyond read/write, each counting on stdout ("key
 * value" lines) what it moved, for the witness tests of `ipctrace trace`.
 *
 *   datapaths mmsg N VLEN      N rounds over UDP on loopback: sendmmsg of VLEN
 *                              datagrams (sizes 1000, 1001, ... bytes), then
 *                              recvmmsg until all VLEN are back. Prints the
 *                              bytes in the msg_len fields the kernel set:
 *                              sent, received, and the calls made.
 *   datapaths unaccounted N    N move_pages calls (querying one page's node,
 *                              raw syscalls): a path the ledger does not
 *                              count yet.
 *   datapaths aio N            N rounds of Linux AIO (raw syscalls, no
 *                              libaio) on a file: one io_submit of a pwrite
 *                              (pwritev on odd rounds) of 4096 + i bytes and
 *                              an fsync, both reaped by io_getevents; one of
 *                              a preadv of the same bytes and a pread on a
 *                              closed fd, which the kernel refuses (io_submit
 *                              returns 1), reaped by io_pgetevents. Then one
 *                              100-byte pread never reaped (io_destroy).
 *                              Prints the bytes the events reported.
 *   datapaths vm N             a child waits with a buffer; N rounds of
 *                              process_vm_readv of 1000 + i bytes from it and
 *                              process_vm_writev of 2000 + i bytes into it
 *                              (two iovecs each side). Prints the bytes the
 *                              calls returned and the child's pid.
 *   datapaths ipc N            N rounds of SysV msgsnd of 100 + i bytes and
 *                              its msgrcv, then POSIX mq_timedsend of 300 + i
 *                              bytes and its mq_timedreceive. Prints the sizes
 *                              sent and what the receives returned.
 *   datapaths uring N [sqpoll] N rounds of io_uring ops (raw syscalls, no
 *                              liburing), each waited for: a write (writev
 *                              on odd rounds) of 4096 + i bytes into a file,
 *                              its read back (readv), a send and a recv of
 *                              1000 + i bytes over a unix socket pair, a
 *                              splice of 4096 bytes of the file into a pipe
 *                              and a tee of them into a second pipe (both
 *                              drained with read()). sqpoll: submitted by the
 *                              ring's SQPOLL thread. Prints the bytes the
 *                              CQEs reported, per kind of op, and the ops.
 *   datapaths sendzc N SIZE    N io_uring SEND_ZC of SIZE bytes over TCP on
 *                              loopback, each read by the receiver, then its
 *                              notification reaped (IORING_SEND_ZC_REPORT_USAGE:
 *                              IORING_NOTIF_USAGE_ZC_COPIED when the kernel
 *                              copied). Prints the bytes sent, received, and
 *                              the bytes of the sends reported copied.
 *   datapaths mshot N SIZE [read]
 *                              one multishot io_uring recv (IORING_RECV_MULTISHOT,
 *                              provided buffers) on a unix socket pair (read:
 *                              a READ_MULTISHOT on a pipe); N
 *                              write()s of SIZE + i bytes, each reaped as its
 *                              own CQE with IORING_CQE_F_MORE, then the writer
 *                              shuts down (a last CQE, res 0). Prints the bytes
 *                              written and the CQEs' results.
 *   datapaths overflow N SIZE [fixed]
 *                              N io_uring writes of SIZE bytes into a file (a
 *                              registered file with `fixed`), submitted 8 at a
 *                              time and reaped only after all: past the 16
 *                              entries of the completion ring they overflow.
 *                              Prints the bytes the CQEs reported, the CQEs,
 *                              and whether the kernel said the ring overflowed.
 *   datapaths skip N SIZE      N io_uring writes of SIZE bytes into a file with
 *                              IOSQE_CQE_SKIP_SUCCESS (no CQE), then one plain
 *                              write, waited for. Prints N and its result.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/io_uring.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_VLEN 64
#define BASE 1000

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int mmsg(int rounds, int vlen)
{
	static char bufs[MAX_VLEN][BASE + MAX_VLEN];
	struct mmsghdr msgs[MAX_VLEN];
	struct iovec iov[MAX_VLEN];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	long long sent = 0, received = 0, sends = 0, recvs = 0;
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);

	if (vlen < 1 || vlen > MAX_VLEN)
		return 1;
	if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(rx, (struct sockaddr *)&a, &alen) ||
	    connect(tx, (struct sockaddr *)&a, sizeof(a)))
		die("socket");
	memset(bufs, 'x', sizeof(bufs));
	for (int r = 0; r < rounds; r++) {
		int n, got = 0;

		for (int i = 0; i < vlen; i++) {
			iov[i] = (struct iovec){ bufs[i], BASE + i };
			msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		for (int done = 0; done < vlen; done += n) {
			n = sendmmsg(tx, msgs + done, vlen - done, 0);
			sends++;
			if (n <= 0)
				die("sendmmsg");
			for (int i = done; i < done + n; i++)
				sent += msgs[i].msg_len;
		}
		while (got < vlen) {
			for (int i = 0; i < vlen; i++) {
				iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
				msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
			}
			n = recvmmsg(rx, msgs, vlen - got, MSG_WAITFORONE, NULL);
			recvs++;
			if (n <= 0)
				die("recvmmsg");
			for (int i = 0; i < n; i++)
				received += msgs[i].msg_len;
			got += n;
		}
	}
	printf("sent %lld\nreceived %lld\nsendmmsg_calls %lld\nrecvmmsg_calls %lld\n", sent, received,
	       sends, recvs);
	return 0;
}

static int unaccounted(int n)
{
	static char page[4096] __attribute__((aligned(4096)));
	void *pages[1] = { page };
	int status;

	page[0] = 1;
	for (int i = 0; i < n; i++)
		if (syscall(__NR_move_pages, 0, 1, pages, NULL, &status, 0))
			die("move_pages");
	printf("calls %d\n", n);
	return 0;
}

/* Submit @nr iocbs and reap @reap events with @reaper (io_getevents or io_pgetevents). */
static long long aio_round(aio_context_t ctx, struct iocb **cbs, long nr, long taken, long reap,
			   long reaper)
{
	struct io_event ev[4];
	long long bytes = 0;

	if (syscall(__NR_io_submit, ctx, nr, cbs) != taken)
		die("io_submit");
	if (syscall(reaper, ctx, reap, reap, ev, NULL, NULL) != reap)
		die("io_getevents");
	for (int e = 0; e < reap; e++) {
		if ((long long)ev[e].res < 0)
			die("aio op");
		if (((struct iocb *)ev[e].obj)->aio_lio_opcode != IOCB_CMD_FSYNC)
			bytes += ev[e].res;
	}
	return bytes;
}

static int aio(int n)
{
	static char buf[2][8192];
	char path[] = "/tmp/datapaths-aio-XXXXXX";
	int fd = mkstemp(path), closed = dup(fd);
	aio_context_t ctx = 0;
	long long written = 0, read_bytes = 0;
	struct iocb last = { .aio_lio_opcode = IOCB_CMD_PREAD, .aio_buf = (__u64)buf[1],
			     .aio_nbytes = 100 };
	struct iocb *lcbs[1] = { &last };

	if (fd < 0 || closed < 0 || close(closed) || syscall(__NR_io_setup, 8, &ctx))
		die("aio setup");
	memset(buf, 'a', sizeof(buf));
	for (int i = 0; i < n; i++) {
		__u64 len = 4096 + i;
		struct iovec wv[2] = { { buf[0], 1000 }, { buf[0] + 1000, len - 1000 } };
		struct iovec rv[2] = { { buf[1], 1000 }, { buf[1] + 1000, len - 1000 } };
		struct iocb w = { .aio_fildes = fd }, f = { .aio_lio_opcode = IOCB_CMD_FSYNC, .aio_fildes = fd };
		struct iocb r = { .aio_lio_opcode = IOCB_CMD_PREADV, .aio_fildes = fd,
				  .aio_buf = (__u64)rv, .aio_nbytes = 2 };
		struct iocb bad = { .aio_lio_opcode = IOCB_CMD_PREAD, .aio_fildes = closed,
				    .aio_buf = (__u64)buf[1], .aio_nbytes = 100 };
		struct iocb *wcbs[2] = { &w, &f }, *rcbs[2] = { &r, &bad };

		w.aio_lio_opcode = i & 1 ? IOCB_CMD_PWRITEV : IOCB_CMD_PWRITE;
		w.aio_buf = i & 1 ? (__u64)wv : (__u64)buf[0];
		w.aio_nbytes = i & 1 ? 2 : len;
		written += aio_round(ctx, wcbs, 2, 2, 2, __NR_io_getevents);
		read_bytes += aio_round(ctx, rcbs, 2, 1, 1, __NR_io_pgetevents);
	}
	/* one more pread, never reaped: io_destroy waits for it */
	last.aio_fildes = fd;
	if (syscall(__NR_io_submit, ctx, 1, lcbs) != 1)
		die("io_submit");
	syscall(__NR_io_destroy, ctx);
	unlink(path);
	printf("written %lld\nread %lld\nfsyncs %d\nunreaped 1\n", written, read_bytes, n);
	return 0;
}

static int vm(int n)
{
	static char mine[2][4096], theirs[2][4096];
	long long read_bytes = 0, write_bytes = 0;
	int go[2];
	pid_t child;

	if (pipe(go))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) { /* holds theirs[] (the same address: a fork) until the pipe closes */
		char c;

		close(go[1]);
		while (read(go[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(go[0]);
	for (int i = 0; i < n; i++) {
		struct iovec l[2] = { { mine[0], 500 }, { mine[1], 500 + i } };
		struct iovec r[2] = { { theirs[0], 700 }, { theirs[1], 300 + i } };
		ssize_t got = process_vm_readv(child, l, 2, r, 2, 0);

		if (got != 1000 + i)
			die("process_vm_readv");
		read_bytes += got;
		l[0].iov_len = 1000;
		l[1].iov_len = 1000 + i;
		r[0].iov_len = 1500;
		r[1].iov_len = 500 + i;
		got = process_vm_writev(child, l, 2, r, 2, 0);
		if (got != 2000 + i)
			die("process_vm_writev");
		write_bytes += got;
	}
	close(go[1]);
	waitpid(child, NULL, 0);
	printf("read %lld\nwritten %lld\ncalls %d\npeer %d\n", read_bytes, write_bytes, 2 * n,
	       (int)child);
	return 0;
}

static int ipc(int n)
{
	struct { long type; char text[1024]; } m = { 1, { 0 } };
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 1024 };
	char name[64], buf[1024] = { 0 };
	long long msg_sent = 0, msg_received = 0, mq_sent = 0, mq_received = 0;
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	mqd_t mq;

	snprintf(name, sizeof(name), "/datapaths-%d", (int)getpid());
	mq = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	if (q < 0 || mq == (mqd_t)-1)
		die("msgget/mq_open");
	mq_unlink(name);
	for (int i = 0; i < n; i++) {
		ssize_t got;

		if (msgsnd(q, &m, 100 + i, 0))
			die("msgsnd");
		msg_sent += 100 + i;
		got = msgrcv(q, &m, sizeof(m.text), 0, 0);
		if (got != 100 + i)
			die("msgrcv");
		msg_received += got;
		if (mq_send(mq, buf, 300 + i, 0))
			die("mq_send");
		mq_sent += 300 + i;
		got = mq_receive(mq, buf, sizeof(buf), NULL);
		if (got != 300 + i)
			die("mq_receive");
		mq_received += got;
	}
	msgctl(q, IPC_RMID, NULL);
	mq_close(mq);
	printf("msg_sent %lld\nmsg_received %lld\nmq_sent %lld\nmq_received %lld\n", msg_sent,
	       msg_received, mq_sent, mq_received);
	return 0;
}

struct ring {
	int fd;
	bool sqpoll;
	unsigned *sq_tail, *sq_mask, *sq_array, *sq_flags, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static void ring_init(struct ring *r, bool sqpoll)
{
	struct io_uring_params p = { .flags = sqpoll ? IORING_SETUP_SQPOLL : 0, .sq_thread_idle = 2000 };
	char *sq, *cq;

	r->fd = syscall(__NR_io_uring_setup, 8, &p);
	if (r->fd < 0)
		die("io_uring_setup");
	r->sqpoll = sqpoll;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED)
		die("mmap ring");
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->sq_flags = (unsigned *)(sq + p.sq_off.flags);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
}

/* Queue @sqe in the submission ring (not yet submitted). */
static void ring_queue(struct ring *r, const struct io_uring_sqe *sqe)
{
	unsigned tail = *r->sq_tail, idx = tail & *r->sq_mask;

	r->sqes[idx] = *sqe;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
}

/* Submit @sqe and wait for its completion: its result. */
static int ring_op(struct ring *r, const struct io_uring_sqe *sqe)
{
	unsigned head;
	int res;

	ring_queue(r, sqe);
	if (syscall(__NR_io_uring_enter, r->fd, r->sqpoll ? 0 : 1, 1,
		    IORING_ENTER_GETEVENTS | (r->sqpoll ? IORING_ENTER_SQ_WAKEUP : 0), NULL, 0) < 0)
		die("io_uring_enter");
	head = *r->cq_head;
	while (__atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) == head)
		;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	if (res < 0) {
		fprintf(stderr, "io_uring op %d: %s\n", sqe->opcode, strerror(-res));
		exit(2);
	}
	return res;
}

static int uring(int rounds, bool sqpoll)
{
	static char buf[8192], in[8192];
	char path[] = "/tmp/datapaths-uring-XXXXXX";
	long long written = 0, read_back = 0, sent = 0, received = 0, spliced = 0, teed = 0;
	int file = mkstemp(path), sv[2], p1[2], p2[2], ops = 0;
	struct iovec iov;
	struct ring r;

	if (file < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(p1) || pipe(p2))
		die("setup");
	unlink(path);
	memset(buf, 'u', sizeof(buf));
	ring_init(&r, sqpoll);
	for (int i = 0; i < rounds; i++) {
		bool vec = i & 1;
		__u64 off = (__u64)i * 8192;
		int n;

		iov = (struct iovec){ buf, 4096 + i };
		n = ring_op(&r, &(struct io_uring_sqe){
			.opcode = vec ? IORING_OP_WRITEV : IORING_OP_WRITE, .fd = file, .off = off,
			.addr = vec ? (__u64)&iov : (__u64)buf, .len = vec ? 1 : 4096 + i });
		written += n;
		iov = (struct iovec){ in, sizeof(in) };
		n = ring_op(&r, &(struct io_uring_sqe){
			.opcode = vec ? IORING_OP_READV : IORING_OP_READ, .fd = file, .off = off,
			.addr = vec ? (__u64)&iov : (__u64)in, .len = vec ? 1 : 4096 + i });
		read_back += n;
		sent += ring_op(&r, &(struct io_uring_sqe){ .opcode = IORING_OP_SEND, .fd = sv[0],
							 .addr = (__u64)buf, .len = 1000 + i });
		received += ring_op(&r, &(struct io_uring_sqe){ .opcode = IORING_OP_RECV, .fd = sv[1],
							     .addr = (__u64)in, .len = sizeof(in) });
		n = ring_op(&r, &(struct io_uring_sqe){ .opcode = IORING_OP_SPLICE, .fd = p1[1],
							 .splice_fd_in = file, .splice_off_in = off,
							 .off = (__u64)-1, .len = 4096 });
		spliced += n;
		teed += ring_op(&r, &(struct io_uring_sqe){ .opcode = IORING_OP_TEE, .fd = p2[1],
							 .splice_fd_in = p1[0], .len = n });
		if (read(p1[0], in, n) != n || read(p2[0], in, n) != n)
			die("drain");
		ops += 6;
	}
	printf("written %lld\nread %lld\nsent %lld\nreceived %lld\nspliced %lld\nteed %lld\n"
	       "ops %d\n", written, read_back, sent, received, spliced, teed, ops);
	return 0;
}

/* A TCP connection over loopback: *tx connected to *rx. */
static void tcp_pair(int *tx, int *rx)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	if (l < 0 || bind(l, (void *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (void *)&a, &alen))
		die("listen");
	*tx = socket(AF_INET, SOCK_STREAM, 0);
	if (*tx < 0 || connect(*tx, (void *)&a, sizeof(a)))
		die("connect");
	*rx = accept(l, NULL, NULL);
	if (*rx < 0)
		die("accept");
	close(l);
}

/* The next completion, waited for: its result; its flags in *@flags. */
static int ring_next(struct ring *r, unsigned *flags)
{
	unsigned head = *r->cq_head;
	struct io_uring_cqe *cqe;

	while (__atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) == head)
		if (syscall(__NR_io_uring_enter, r->fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
			die("io_uring_enter");
	cqe = &r->cqes[head & *r->cq_mask];
	*flags = cqe->flags;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return cqe->res;
}

static int sendzc(int n, int size)
{
	static char buf[65536], in[65536];
	long long sent = 0, received = 0, copied = 0;
	unsigned flags;
	struct ring r;
	int tx, rx, res;
	ssize_t got;

	if (size <= 0 || size > (int)sizeof(buf))
		die("size");
	tcp_pair(&tx, &rx);
	ring_init(&r, false);
	memset(buf, 'z', sizeof(buf));
	for (int i = 0; i < n; i++) {
		res = ring_op(&r, &(struct io_uring_sqe){ .opcode = IORING_OP_SEND_ZC, .fd = tx,
							  .addr = (__u64)buf, .len = size,
							  .ioprio = IORING_SEND_ZC_REPORT_USAGE });
		sent += res;
		for (long want = res; want > 0; want -= got, received += got)
			if ((got = read(rx, in, sizeof(in))) <= 0)
				die("read");
		if (!(ring_next(&r, &flags) & IORING_NOTIF_USAGE_ZC_COPIED) ||
		    !(flags & IORING_CQE_F_NOTIF))
			continue;
		copied += res;
	}
	printf("sent %lld\nreceived %lld\ncopied_bytes %lld\n", sent, received, copied);
	return 0;
}

#define MSHOT_BUF 4096
/* IORING_OP_READ_MULTISHOT (6.7): uapi's number; Debian 12's headers are 6.1's */
#define DP_OP_READ_MULTISHOT 49
#define MSHOT_BUFS 64

/*
 * One multishot recv (IORING_RECV_MULTISHOT, provided buffers) on a unix
 * socket pair (@read_op: a READ_MULTISHOT on a pipe); @n writes of @size + i
 * bytes, each waited for as its own CQE (IORING_CQE_F_MORE), then the
 * writer shuts down (closes): the last CQE.
 */
static int mshot(int n, int size, bool read_op)
{
	static char bufs[MSHOT_BUFS][MSHOT_BUF], msg[MSHOT_BUF];
	long long sent = 0, received = 0;
	int sv[2], res, cqes = 0, more = 0;
	unsigned flags;
	struct ring r;

	if (n <= 0 || n >= MSHOT_BUFS || size <= 0 || size + n > MSHOT_BUF ||
	    (read_op ? pipe(sv) : socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		die("mshot setup");
	memset(msg, 'm', sizeof(msg));
	ring_init(&r, false);
	ring_op(&r, &(struct io_uring_sqe){ .opcode = IORING_OP_PROVIDE_BUFFERS, .fd = MSHOT_BUFS,
					    .addr = (__u64)bufs, .len = MSHOT_BUF, .buf_group = 1 });
	ring_queue(&r, &(struct io_uring_sqe){
			       .opcode = read_op ? DP_OP_READ_MULTISHOT : IORING_OP_RECV,
			       .fd = read_op ? sv[0] : sv[1], .flags = IOSQE_BUFFER_SELECT,
			       .buf_group = 1, .ioprio = read_op ? 0 : IORING_RECV_MULTISHOT,
			       .user_data = 7 });
	if (syscall(__NR_io_uring_enter, r.fd, 1, 0, 0, NULL, 0) != 1)
		die("io_uring_enter");
	for (int i = 0; i < n; i++) {
		if (write(read_op ? sv[1] : sv[0], msg, size + i) != size + i)
			die("write");
		sent += size + i;
		res = ring_next(&r, &flags);
		cqes++;
		if (res <= 0 || !(flags & IORING_CQE_F_MORE))
			die("multishot recv ended early");
		more++;
		received += res;
	}
	if (read_op)
		close(sv[1]);
	else
		shutdown(sv[0], SHUT_WR);
	res = ring_next(&r, &flags); /* the end of the stream: res 0, no F_MORE */
	cqes++;
	received += res > 0 ? res : 0;
	printf("sent %lld\nreceived %lld\ncqes %d\ncqes_more %d\nlast_res %d\n", sent, received,
	       cqes, more, res);
	return 0;
}

/*
 * @n writes of @size bytes into a file (a registered file: @fixed),
 * submitted 8 at a time and reaped only when all are in: past the 16
 * entries of the completion ring, CQEs overflow (kept by the kernel,
 * flushed to the ring as it empties).
 */
static int overflow(int n, int size, bool fixed)
{
	static char buf[65536];
	char path[] = "/tmp/datapaths-overflow-XXXXXX";
	int file = mkstemp(path), left = n, res, ops = 0;
	long long written = 0;
	unsigned flags, overflowed;
	struct ring r;

	if (file < 0 || size <= 0 || size > (int)sizeof(buf))
		die("overflow setup");
	unlink(path);
	memset(buf, 'o', sizeof(buf));
	ring_init(&r, false);
	if (fixed && syscall(__NR_io_uring_register, r.fd, IORING_REGISTER_FILES, &file, 1))
		die("IORING_REGISTER_FILES");
	for (int i = 0; i < n; i += 8) {
		int batch = n - i < 8 ? n - i : 8;

		for (int j = 0; j < batch; j++)
			ring_queue(&r, &(struct io_uring_sqe){
				.opcode = IORING_OP_WRITE, .fd = fixed ? 0 : file,
				.flags = fixed ? IOSQE_FIXED_FILE : 0, .addr = (__u64)buf,
				.len = size, .off = (__u64)(i + j) * size, .user_data = i + j });
		if (syscall(__NR_io_uring_enter, r.fd, batch, 0, 0, NULL, 0) != batch)
			die("io_uring_enter");
	}
	/* let every write complete (io-wq, then task work at the syscall's return) */
	while (__atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE) - *r.cq_head < (unsigned)(n < 16 ? n : 16))
		usleep(1000);
	usleep(100000);
	overflowed = __atomic_load_n(r.sq_flags, __ATOMIC_ACQUIRE) & IORING_SQ_CQ_OVERFLOW;
	for (; left > 0; left--, ops++) {
		res = ring_next(&r, &flags);
		if (res < 0)
			die("write");
		written += res;
	}
	printf("written %lld\nops %d\noverflowed %d\n", written, ops, !!overflowed);
	return 0;
}

/*
 * @n writes of @size bytes into a file with IOSQE_CQE_SKIP_SUCCESS (no CQE
 * when they succeed), then one plain write, waited for.
 */
static int cqeskip(int n, int size)
{
	static char buf[65536];
	char path[] = "/tmp/datapaths-skip-XXXXXX";
	int file = mkstemp(path), res;
	struct ring r;

	if (file < 0 || size <= 0 || size > (int)sizeof(buf))
		die("skip setup");
	unlink(path);
	memset(buf, 's', sizeof(buf));
	ring_init(&r, false);
	for (int i = 0; i < n; i++) {
		ring_queue(&r, &(struct io_uring_sqe){ .opcode = IORING_OP_WRITE, .fd = file,
						       .flags = IOSQE_CQE_SKIP_SUCCESS,
						       .addr = (__u64)buf, .len = size,
						       .off = (__u64)i * size });
		if (syscall(__NR_io_uring_enter, r.fd, 1, 0, 0, NULL, 0) != 1)
			die("io_uring_enter");
	}
	res = ring_op(&r, &(struct io_uring_sqe){ .opcode = IORING_OP_WRITE, .fd = file,
						  .addr = (__u64)buf, .len = size,
						  .off = (__u64)n * size });
	printf("skipped %d\nwritten_last %d\n", n, res);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 3 || (argc == 4 && !strcmp(argv[3], "sqpoll"))) && !strcmp(argv[1], "uring"))
		return uring(atoi(argv[2]), argc == 4);
	if (argc == 4 && !strcmp(argv[1], "mmsg"))
		return mmsg(atoi(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "unaccounted"))
		return unaccounted(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "aio"))
		return aio(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "vm"))
		return vm(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "ipc"))
		return ipc(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "sendzc"))
		return sendzc(atoi(argv[2]), atoi(argv[3]));
	if ((argc == 4 || (argc == 5 && !strcmp(argv[4], "read"))) && !strcmp(argv[1], "mshot"))
		return mshot(atoi(argv[2]), atoi(argv[3]), argc == 5);
	if ((argc == 4 || (argc == 5 && !strcmp(argv[4], "fixed"))) &&
	    !strcmp(argv[1], "overflow"))
		return overflow(atoi(argv[2]), atoi(argv[3]), argc == 5);
	if (argc == 4 && !strcmp(argv[1], "skip"))
		return cqeskip(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: datapaths mmsg ROUNDS VLEN | unaccounted N | aio N | vm N | ipc N |"
			" uring N [sqpoll] | sendzc N SIZE | mshot N SIZE [read] |"
			" overflow N SIZE [fixed] | skip N SIZE\n");
	return 1;
}
