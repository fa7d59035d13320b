// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "loopback.h"

/* A TCP socket bound to 127.0.0.1 on a port the kernel picks; that port, or -1. */
static int bound_socket(int *fd)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);

	*fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd < 0 || bind(*fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(*fd, (struct sockaddr *)&sa, &len))
		return -1;
	return ntohs(sa.sin_port);
}

int loopback_open(struct run_ctx *ctx, struct loopback *lb)
{
	int port, cport;

	lb->listener = lb->client = -1;
	port = bound_socket(&lb->listener);
	if (port < 0 || listen(lb->listener, 16))
		return ctx_error(ctx, "TCP listener on 127.0.0.1: %s", strerror(errno));
	cport = bound_socket(&lb->client);
	if (cport < 0)
		return ctx_error(ctx, "TCP socket on 127.0.0.1: %s", strerror(errno));
	lb->port = port;
	lb->client_port = cport;
	return 0;
}

int loopback_connect(struct run_ctx *ctx, struct loopback *lb)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons(lb->port) };

	close(lb->listener);
	if (connect(lb->client, (struct sockaddr *)&sa, sizeof(sa)))
		return ctx_error(ctx, "connect to 127.0.0.1:%u: %s", lb->port, strerror(errno));
	return lb->client;
}

int loopback_accept(struct run_ctx *ctx, struct loopback *lb, const char *role)
{
	int foreign = 0, fd = -1;

	close(lb->client);
	while (fd < 0) {
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);

		fd = accept4(lb->listener, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0)
			break;
		if (peer.sin_family != AF_INET || ntohs(peer.sin_port) != lb->client_port ||
		    peer.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) {
			close(fd); /* someone else's: not the run's receiver */
			fd = -1;
			foreign++;
		}
	}
	close(lb->listener);
	fact_set(ctx, role, "foreign_connections_closed", foreign);
	return fd < 0 ? ctx_error(ctx, "accept: %s", strerror(errno)) : fd;
}
