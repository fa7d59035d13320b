// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * startup ROUNDS MARK CMD [ARG...]: a tracer's start-up and exit, for make bench.
 *
 * Each round starts CMD with posix_spawn() (the vfork-like start a shell's
 * fork would add 15 to 20 ms to on this 2-core PVM guest: bash's coproc
 * measured 43 ms where this measures 26), reads its stdout and stderr
 * until a line holds MARK (the tracer's "probes attached" line), sends it
 * SIGINT, and waits for it to exit. Prints "start MS exit MS" per round;
 * the medians on the last line: "median start MS exit MS".
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "timing.h"

extern char **environ;

static double now_ms(void)
{
	return clock_s() * 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One round: start and exit times in @start and @exit; -1 if MARK never came. */
static int round_once(const char *mark, char **cmd, double *start, double *exit_ms)
{
	posix_spawn_file_actions_t fa;
	char line[1024];
	int p[2], st, found = 0;
	double t0, t1 = 0;
	pid_t pid;
	FILE *f;

	if (pipe(p))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	t0 = now_ms();
	errno = posix_spawnp(&pid, cmd[0], &fa, NULL, cmd, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (errno) {
		perror(cmd[0]);
		close(p[0]);
		return -1;
	}
	f = fdopen(p[0], "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, mark)) {
			t1 = now_ms();
			found = 1;
			break;
		}
	kill(pid, SIGINT);
	while (f && fgets(line, sizeof(line), f)) /* what it prints at exit */
		;
	waitpid(pid, &st, 0);
	*exit_ms = now_ms() - t1;
	*start = t1 - t0;
	if (f)
		fclose(f);
	return found ? 0 : -1;
}

int main(int argc, char **argv)
{
	int rounds = argc > 3 ? atoi(argv[1]) : 0, n = 0;
	double *starts, *exits;

	if (rounds <= 0) {
		fprintf(stderr, "usage: startup ROUNDS MARK CMD [ARG...]\n");
		return 2;
	}
	starts = calloc(rounds, sizeof(*starts));
	exits = calloc(rounds, sizeof(*exits));
	if (!starts || !exits)
		return 1;
	for (int i = 0; i < rounds; i++) {
		if (round_once(argv[2], argv + 3, &starts[n], &exits[n])) {
			fprintf(stderr, "startup: %s never printed '%s'\n", argv[3], argv[2]);
			return 1;
		}
		printf("start %.1f exit %.1f\n", starts[n], exits[n]);
		n++;
	}
	printf("median start %.1f exit %.1f\n", median(starts, n), median(exits, n));
	return 0;
}
