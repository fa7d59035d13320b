// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Every scenario, in the order `ipctrace list` shows them: one line each. */
#include <string.h>
#include "scenario.h"

#define SCENARIOS(X)                                                                   \
	/* pipes and FIFOs */                                                          \
	X(pipe) X(pipe_ends) X(pipe_read_once) X(pipe_eof) X(pipe_read_blocks)         \
	X(pipe_sigpipe) X(pipe_capacity) X(pipe_scm_rights)                            \
	X(fifo) X(fifo_open_blocks) X(fifo_many)                                       \
	/* shared mappings */                                                          \
	X(mmap_share) X(mmap_fork) X(mmap_private) X(mmap_anon) X(posix_shm)           \
	X(mmap_rules) X(mmap_vs_read)                                                  \
	/* sockets and signals */                                                      \
	X(unix_stream) X(unix_dgram) X(notify_cost) X(send_buffer)                     \
	/* zero copy */                                                                \
	X(sendfile) X(read_write) X(mmap_write) X(mmap_vs_sendfile) X(splice)          \
	X(vmsplice)                                                                    \
	/* page cache */                                                               \
	X(cold_read) X(write_fsync)

#define DECLARE(name) extern const struct scenario scenario_##name;
#define ENTRY(name) &scenario_##name,

SCENARIOS(DECLARE)

const struct scenario *const scenarios[] = { SCENARIOS(ENTRY) NULL };

const struct scenario *scenario_find(const char *name)
{
	for (int i = 0; scenarios[i]; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}
