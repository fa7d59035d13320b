// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Which processes outlived the traced command, and how far they were followed (follow.h). */
#include <stdio.h>
#include <string.h>
#include "follow.h"
#include "textsafe.h"

/* The command's row: the launcher's child (no traced parent) with its pid. */
static const struct traced_proc *command_row(const struct trace_result *r, pid_t cmd)
{
	for (int i = 0; i < r->nprocs; i++)
		if ((pid_t)r->procs[i].info.tgid == cmd && r->procs[i].info.parent_slot == (__u32)-1)
			return &r->procs[i];
	return NULL;
}

/* How the trace ended for what was still running, in words. */
static struct json_object *followed_json(const struct follow_info *fi)
{
	char s[128];

	switch (fi->end) {
	case FOLLOW_DONE:
		return json_object_new_string("followed until the last exited");
	case FOLLOW_OFF:
		return json_object_new_string("not followed (--no-follow): the trace ended with the command");
	case FOLLOW_TIMEOUT:
		snprintf(s, sizeof(s), "followed for %g s (--follow-timeout), then the trace ended", fi->timeout);
		break;
	case FOLLOW_SIGNAL:
		snprintf(s, sizeof(s), "followed until signal %d (%s) ended the trace", fi->sig, strsignal(fi->sig));
		break;
	}
	return json_object_new_string(s);
}

int follow_facts(struct json_object *cmd_facts, const struct trace_result *r,
		 const struct follow_info *fi)
{
	const struct traced_proc *c = command_row(r, fi->cmd);
	/* the kernel's clock at the command's exit (track_exit closes the phase then) */
	__u64 end_ns = c && c->info.exited ? c->info.mark_ns : 0;
	struct json_object *arr = json_object_new_array();
	int running = 0;

	for (int i = 0; i < r->nprocs; i++) {
		const struct ipct_proc_info *in = &r->procs[i].info;
		struct json_object *o;

		if (&r->procs[i] == c || (in->exited && in->mark_ns <= end_ns))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "pid", json_object_new_int(in->tgid));
		json_object_object_add(o, "comm", json_text(in->comm));
		json_object_object_add(o, "exited", json_object_new_boolean(in->exited));
		json_object_array_add(arr, o);
		running += !in->exited;
	}
	json_object_object_add(cmd_facts, "outlived", arr);
	json_object_object_add(cmd_facts, "still_running", json_object_new_int(running));
	json_object_object_add(cmd_facts, "followed", followed_json(fi));
	return running;
}
