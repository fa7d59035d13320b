/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The signals that ask ipctrace to stop: SIGINT (Ctrl-C), SIGTERM (kill)
 * and SIGHUP (the terminal gone). Every part that catches, ignores, resets
 * or blocks them does it to these three, here.
 */
#ifndef STOPSIG_H
#define STOPSIG_H

#include <signal.h>
#include <stddef.h>

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* sigaction(@sa) for each stop signal. */
static inline void stop_signals_action(const struct sigaction *sa)
{
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaction(stop_signals[i], sa, NULL);
}

/* SIG_DFL or SIG_IGN for each stop signal. */
static inline void stop_signals_set(void (*handler)(int))
{
	stop_signals_action(&(struct sigaction){ .sa_handler = handler });
}

/* The stop signals added to @set. */
static inline void stop_signals_add(sigset_t *set)
{
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaddset(set, stop_signals[i]);
}

#endif /* STOPSIG_H */
