// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Every scenario, in the order `ipctrace list` shows them. */
#include <string.h>
#include "scenario.h"

extern const struct scenario scenario_pipe;
extern const struct scenario scenario_pipe_ends;
extern const struct scenario scenario_pipe_read_once;
extern const struct scenario scenario_pipe_eof;
extern const struct scenario scenario_pipe_read_blocks;
extern const struct scenario scenario_pipe_sigpipe;
extern const struct scenario scenario_pipe_capacity;
extern const struct scenario scenario_pipe_scm_rights;
extern const struct scenario scenario_mmap_share;
extern const struct scenario scenario_sendfile;

const struct scenario *const scenarios[] = {
	&scenario_pipe,
	&scenario_pipe_ends,
	&scenario_pipe_read_once,
	&scenario_pipe_eof,
	&scenario_pipe_read_blocks,
	&scenario_pipe_sigpipe,
	&scenario_pipe_capacity,
	&scenario_pipe_scm_rights,
	&scenario_mmap_share,
	&scenario_sendfile,
	NULL,
};

const struct scenario *scenario_find(const char *name)
{
	for (int i = 0; scenarios[i]; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}
