/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A TCP connection over 127.0.0.1 between a process of the run and a worker
 * it spawns, that no other process can take: any local user may connect to
 * a loopback listener, and the first connection accepted would get the
 * run's data. So the worker's socket is made, and bound to a port of its
 * own, before the worker starts; the listener takes only a connection from
 * exactly that address and closes any other (counted as the fact
 * @role.foreign_connections_closed).
 */
#ifndef LOOPBACK_H
#define LOOPBACK_H

#include "scenario.h"

struct loopback {
	int listener;
	int client;          /* the worker's socket, bound, not yet connected */
	uint16_t port;       /* the listener's */
	uint16_t client_port;
};

/* In the accepting process, before spawning the worker: both sockets. */
int loopback_open(struct run_ctx *ctx, struct loopback *lb);
/* In the worker: connect its socket; the connected fd, or -1 with ctx->error set. */
int loopback_connect(struct run_ctx *ctx, struct loopback *lb);
/*
 * In the accepting process, after spawning the worker: the worker's
 * connection (the listener is closed), or -1 with ctx->error set.
 */
int loopback_accept(struct run_ctx *ctx, struct loopback *lb, const char *role);

#endif /* LOOPBACK_H */
