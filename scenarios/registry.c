// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Every scenario, in the order `ipctrace list` shows them. */
#include <string.h>
#include "scenario.h"

extern const struct scenario scenario_pipe;
extern const struct scenario scenario_mmap_share;
extern const struct scenario scenario_sendfile;
extern const struct scenario scenario_fifo;
extern const struct scenario scenario_fifo_open_blocks;
extern const struct scenario scenario_fifo_many;
extern const struct scenario scenario_unix_stream;
extern const struct scenario scenario_unix_dgram;
extern const struct scenario scenario_notify_cost;
extern const struct scenario scenario_send_buffer;

const struct scenario *const scenarios[] = {
	&scenario_pipe,
	&scenario_mmap_share,
	&scenario_sendfile,
	&scenario_fifo,
	&scenario_fifo_open_blocks,
	&scenario_fifo_many,
	&scenario_unix_stream,
	&scenario_unix_dgram,
	&scenario_notify_cost,
	&scenario_send_buffer,
	NULL,
};

const struct scenario *scenario_find(const char *name)
{
	for (int i = 0; scenarios[i]; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}
