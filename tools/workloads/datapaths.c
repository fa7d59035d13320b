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
 *   datapaths unaccounted N    N SysV msgsnd + msgrcv of 100 bytes and N
 *                              process_vm_readv of 100 bytes from itself:
 *                              paths the ledger does not count yet.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/uio.h>
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
	struct { long type; char text[100]; } m = { 1, { 0 } };
	char src[100] = "data", dst[100];
	struct iovec liov = { dst, sizeof(dst) }, riov = { src, sizeof(src) };
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	long long moved = 0;

	if (q < 0)
		die("msgget");
	for (int i = 0; i < n; i++) {
		if (msgsnd(q, &m, sizeof(m.text), 0) || msgrcv(q, &m, sizeof(m.text), 0, 0) < 0)
			die("msgsnd/msgrcv");
		if (process_vm_readv(getpid(), &liov, 1, &riov, 1, 0) != (ssize_t)sizeof(dst))
			die("process_vm_readv");
		moved += 3 * sizeof(dst);
	}
	msgctl(q, IPC_RMID, NULL);
	printf("calls %d\nbytes %lld\n", 3 * n, moved);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "mmsg"))
		return mmsg(atoi(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "unaccounted"))
		return unaccounted(atoi(argv[2]));
	fprintf(stderr, "usage: datapaths mmsg ROUNDS VLEN | unaccounted N\n");
	return 1;
}
