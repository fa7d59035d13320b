// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * floor empty|count|exit1 CMD [ARG...]: runs CMD with the floor programs
 * of floor.bpf.c attached (see there), for `make bench`. Exits with CMD's
 * status; the programs go with this process.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

int main(int argc, char **argv)
{
	struct floor_bpf *skel;
	struct bpf_program *p;
	int status = 0;
	pid_t pid;

	if (argc < 3 || (strcmp(argv[1], "empty") && strcmp(argv[1], "count") && strcmp(argv[1], "exit1"))) {
		fprintf(stderr, "usage: floor empty|count|exit1 CMD [ARG...]\n");
		return 2;
	}
	skel = floor_bpf__open();
	if (!skel)
		return 1;
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, !strncmp(bpf_program__name(p), argv[1], strlen(argv[1])));
	if (floor_bpf__load(skel) || floor_bpf__attach(skel)) {
		fprintf(stderr, "floor: cannot load or attach its programs\n");
		floor_bpf__destroy(skel);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0)
		;
	floor_bpf__destroy(skel);
	return pid < 0 ? 1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
