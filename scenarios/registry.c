// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Every scenario, in the order `ipctrace list` shows them. */
#include <string.h>
#include "scenario.h"

extern const struct scenario scenario_pipe;
extern const struct scenario scenario_mmap_share;
extern const struct scenario scenario_sendfile;
extern const struct scenario scenario_read_write;
extern const struct scenario scenario_mmap_write;
extern const struct scenario scenario_splice;
extern const struct scenario scenario_vmsplice;
extern const struct scenario scenario_cold_read;
extern const struct scenario scenario_write_fsync;

const struct scenario *const scenarios[] = {
	&scenario_pipe,
	&scenario_mmap_share,
	&scenario_sendfile,
	&scenario_read_write,
	&scenario_mmap_write,
	&scenario_splice,
	&scenario_vmsplice,
	&scenario_cold_read,
	&scenario_write_fsync,
	NULL,
};

const struct scenario *scenario_find(const char *name)
{
	for (int i = 0; scenarios[i]; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}
