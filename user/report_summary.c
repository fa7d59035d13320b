// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The first lines of a text report: the figures in the note's own terms
 * (CPU copies by direction, page references, DMA, syscalls, mode and
 * context switches, faults, page-cache hits) per unit of work, then the
 * elapsed time and the throughput. The tables follow (report_text.c).
 */
#include <math.h>
#include <string.h>
#include "jsonpath.h"
#include "report_text.h"
#include "textfmt.h"

/* One summary line, figure @path of @fig (n/a: not counted on this run). */
static void summary_line(struct json_object *fig, const char *path, const char *what, FILE *out)
{
	struct json_object *v = json_at(fig, path);
	char num[48], meth[64] = "", mpath[96];
	const char *dot = strrchr(path, '.');

	format_value(v, num, sizeof(num));
	/* a ledger cell's method, as the tables give it */
	if (dot && !strcmp(dot, ".bytes")) {
		snprintf(mpath, sizeof(mpath), "%.*s.method", (int)(dot - path), path);
		if (json_at(fig, mpath) && strcmp(json_object_get_string(json_at(fig, mpath)), "none"))
			snprintf(meth, sizeof(meth), " [%s]", json_object_get_string(json_at(fig, mpath)));
	}
	fprintf(out, "%16s  %s%s\n", num, what, meth);
}

/* The sum of two byte counts of @fig, n/a when either is. */
static void summary_sum(struct json_object *fig, const char *a, const char *b, const char *what, FILE *out)
{
	struct json_object *x = json_at(fig, a), *y = json_at(fig, b), *s;
	char num[48];

	s = x && y ? json_object_new_double(json_object_get_double(x) + json_object_get_double(y)) : NULL;
	format_value(s, num, sizeof(num));
	json_object_put(s);
	fprintf(out, "%16s  %s\n", num, what);
}

static void summary_figures(struct json_object *fig, FILE *out)
{
	summary_line(fig, "copies.user_to_kernel.bytes", "bytes copied user -> kernel by the CPU", out);
	summary_line(fig, "copies.kernel_to_user.bytes", "bytes copied kernel -> user by the CPU", out);
	summary_line(fig, "copies.kernel_to_kernel.bytes", "bytes copied kernel -> kernel by the CPU", out);
	summary_line(fig, "page_refs.bytes", "bytes passed by page reference, no copy", out);
	summary_sum(fig, "dma.disk_read_bytes", "dma.disk_write_bytes", "bytes of disk DMA, read + write", out);
	if (json_at(fig, "dma.nic_bytes"))
		summary_line(fig, "dma.nic_bytes", "bytes of NIC DMA", out);
	summary_line(fig, "syscalls", "syscalls", out);
	summary_line(fig, "mode_switches", "mode switches (2 per syscall or fault)", out);
	summary_line(fig, "context_switches.voluntary", "context switches, voluntary", out);
	summary_line(fig, "context_switches.involuntary", "context switches, involuntary", out);
	summary_sum(fig, "page_faults.user", "page_faults.kernel", "page faults, user + kernel", out);
	summary_line(fig, "page_cache.hits", "page-cache hits (pages)", out);
}

/* The ledger's largest byte column of @totals, its label in *@which; -1: none counted. */
static double largest_column(struct json_object *totals, const char **which)
{
	static const struct { const char *path, *label; } col[] = {
		{ "copies.user_to_kernel.bytes", "user -> kernel" },
		{ "copies.kernel_to_user.bytes", "kernel -> user" },
		{ "copies.kernel_to_kernel.bytes", "kernel -> kernel" },
		{ "copies.user_to_user.bytes", "user -> user" },
		{ "page_refs.bytes", "page references" },
		{ "direct_io.bytes", "O_DIRECT" },
	};
	double best = -1;

	for (size_t i = 0; i < sizeof(col) / sizeof(col[0]); i++) {
		struct json_object *v = json_at(totals, col[i].path);

		if (v && json_object_get_double(v) > best) {
			best = json_object_get_double(v);
			*which = col[i].label;
		}
	}
	return best;
}

/* Elapsed time, and the throughput of the transfer phase: its largest ledger column per second. */
static void summary_time(struct json_object *report, bool trace, FILE *out)
{
	struct json_object *all = json_at(report, "run.duration_s"), *xfer = json_at(report, "run.transfer_seconds");
	const char *which = NULL;
	double bytes = largest_column(json_at(report, "totals"), &which), s;
	char a[48];

	if (!all)
		return;
	fprintf(out, "\n%16s  seconds elapsed\n", fmt_real(json_object_get_double(all), a, sizeof(a)));
	if (trace || !xfer)
		return;
	s = json_object_get_double(xfer);
	fprintf(out, "%16s  seconds in the transfer phase\n", fmt_real(s, a, sizeof(a)));
	if (bytes > 0 && s > 0)
		fprintf(out, "%16s  MB/s through the transfer phase (%s bytes)\n",
			fmt_real(round(bytes / s / 1e4) / 100, a, sizeof(a)), which);
}

void report_print_summary(struct json_object *report, bool trace, FILE *out)
{
	char units[48];

	if (trace) {
		text_heading(out, "Summary, all processes of the command");
		summary_figures(json_at(report, "totals"), out);
	} else {
		format_value(json_at(report, "scenario.units"), units, sizeof(units));
		text_heading(out, "Summary, per unit of work (%s in the transfer phase)", units);
		text_wrap_words(out, "unit: one ", json_object_get_string(json_at(report, "scenario.unit")),
				text_width(out));
		summary_figures(json_at(report, "per_unit"), out);
	}
	summary_time(report, trace, out);
}
