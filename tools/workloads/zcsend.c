// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * zcsend SENDS SIZE: a witness for MSG_ZEROCOPY. Sends SENDS blocks of SIZE
 * bytes with send(MSG_ZEROCOPY) on a TCP connection over loopback (SO_ZEROCOPY
 * set) to a child that reads them all, then reads every completion from the
 * error queue (recvmsg(MSG_ERRQUEUE), Documentation/networking/msg_zerocopy.rst)
 * and says what the kernel said of each send: sent with its pages, or
 * SO_EE_CODE_ZEROCOPY_COPIED (loopback always copies).
 *
 *   sends N, sent BYTES       the send calls and the bytes they returned
 *   completions N             sends the notifications covered
 *   copied_sends N, copied_bytes BYTES   of which marked COPIED
 *   received BYTES            what the reader read (its own line)
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SO_EE_ORIGIN_ZEROCOPY
#define SO_EE_ORIGIN_ZEROCOPY 5
#endif
#ifndef SO_EE_CODE_ZEROCOPY_COPIED
#define SO_EE_CODE_ZEROCOPY_COPIED 1
#endif
#define MAX_SENDS 4096

struct zc {
	long long bytes[MAX_SENDS]; /* by zerocopy id: what each send returned */
	int sends, done, copied;
	long long sent, copied_bytes;
};

/* A child that reads the connection to its end and says how much it read. */
static pid_t reader(int lfd)
{
	static char buf[1 << 16];
	long long got = 0;
	ssize_t n;
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		err(1, "accept");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		got += n;
	printf("received %lld\n", got);
	exit(n < 0);
}

/* One notification off the error queue (waiting for it): the sends it covers. */
static void completion(int fd, struct zc *z)
{
	char control[128];
	struct msghdr msg = { .msg_control = control, .msg_controllen = sizeof(control) };
	struct pollfd pfd = { .fd = fd, .events = 0 };
	struct sock_extended_err *ee;
	struct cmsghdr *cm;

	while (recvmsg(fd, &msg, MSG_ERRQUEUE) < 0) {
		if (errno != EAGAIN)
			err(1, "recvmsg(MSG_ERRQUEUE)");
		if (poll(&pfd, 1, 10000) != 1) /* POLLERR: always reported */
			errx(1, "no completion after 10 s");
	}
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		ee = (struct sock_extended_err *)CMSG_DATA(cm);
		if (ee->ee_origin != SO_EE_ORIGIN_ZEROCOPY)
			continue;
		for (__u32 id = ee->ee_info; id <= ee->ee_data && id < MAX_SENDS; id++) {
			z->done++;
			if (ee->ee_code & SO_EE_CODE_ZEROCOPY_COPIED) {
				z->copied++;
				z->copied_bytes += z->bytes[id];
			}
		}
	}
}

static void send_all(int fd, int sends, size_t size, struct zc *z)
{
	char *buf = malloc(size);
	ssize_t n;

	if (!buf)
		err(1, "malloc");
	memset(buf, 'z', size);
	while (z->sends < sends) {
		n = send(fd, buf, size, MSG_ZEROCOPY);
		if (n < 0 && errno == ENOBUFS) { /* too many in flight: take one back */
			completion(fd, z);
			continue;
		}
		if (n < 0)
			err(1, "send(MSG_ZEROCOPY)");
		z->bytes[z->sends++] = n;
		z->sent += n;
	}
	free(buf);
}

int main(int argc, char **argv)
{
	static struct zc z;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int lfd, fd, one = 1, sends = argc == 3 ? atoi(argv[1]) : 0, status;
	long size = argc == 3 ? atol(argv[2]) : 0;
	pid_t pid;

	if (sends <= 0 || sends > MAX_SENDS || size <= 0 || size > (1 << 24)) {
		fprintf(stderr, "usage: zcsend SENDS(1-%d) SIZE(1-16777216)\n", MAX_SENDS);
		return 2;
	}
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (void *)&a, sizeof(a)) || listen(lfd, 1) ||
	    getsockname(lfd, (void *)&a, &alen))
		err(1, "listen");
	fflush(stdout);
	pid = reader(lfd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)) ||
	    connect(fd, (void *)&a, sizeof(a)))
		err(1, "SO_ZEROCOPY/connect");
	send_all(fd, sends, size, &z);
	shutdown(fd, SHUT_WR);
	while (z.done < z.sends)
		completion(fd, &z);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		errx(1, "the reader failed");
	printf("sends %d\nsent %lld\ncompletions %d\ncopied_sends %d\ncopied_bytes %lld\n", z.sends,
	       z.sent, z.done, z.copied, z.copied_bytes);
	return 0;
}
