// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipctrace run SCENARIO --sweep PARAM=V1,V2,...: the scenario once per
 * value, and its per-unit figures and throughput against the value, as a
 * table, JSON, or an SVG of small charts (log scale when the values span
 * two orders of magnitude or more).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonpath.h"
#include "parse.h"
#include "registry.h"
#include "report.h"
#include "run.h"
#include "sweep.h"
#include "timeline.h"

/* The figures a sweep charts: a figure of the registry (or a sum of them) per unit or per byte. */
enum sweep_per { THROUGHPUT, PER_UNIT, PER_BYTE };
static const struct {
	const char *label, *abbrev;
	enum sweep_per per;
	int n;
	enum fig_id figs[3]; /* summed; a ledger cell counts its bytes */
} series[] = {
	{ "throughput (MB/s)", "MB/s", THROUGHPUT, 0, { 0 } },
	{ "syscalls per unit", "syscalls/unit", PER_UNIT, 1, { FIG_SYSCALLS } },
	{ "mode switches per unit", "modesw/unit", PER_UNIT, 1, { FIG_MODE_SWITCHES } },
	{ "context switches per unit", "ctxsw/unit", PER_UNIT, 2,
	  { FIG_CSW_VOLUNTARY, FIG_CSW_INVOLUNTARY } },
	{ "CPU copies per byte", "copies/byte", PER_BYTE, 3,
	  { FIG_COPIES_U2K, FIG_COPIES_K2U, FIG_COPIES_K2K } },
	{ "page references per byte", "refs/byte", PER_BYTE, 1, { FIG_PAGE_REFS } },
	{ "page faults per unit", "faults/unit", PER_UNIT, 1, { FIG_FAULTS_USER } },
};
#define NSERIES (sizeof(series) / sizeof(series[0]))

int sweep_parse(const char *spec, struct sweep *sw, char *err, size_t len)
{
	char buf[512], *save = NULL, *eq;
	const char *why;

	memset(sw, 0, sizeof(*sw));
	if (strlen(spec) >= sizeof(buf)) /* cut, its last value would be another */
		return snprintf(err, len, "--sweep: at most %zu bytes", sizeof(buf) - 1), -1;
	snprintf(buf, sizeof(buf), "%s", spec);
	eq = strchr(buf, '=');
	if (!eq)
		return snprintf(err, len, "--sweep PARAM=V1,V2,...: no '='"), -1;
	*eq = 0;
	if (!strcmp(buf, "size"))
		sw->param = SWEEP_SIZE;
	else if (!strcmp(buf, "block"))
		sw->param = SWEEP_BLOCK;
	else
		return snprintf(err, len, "--sweep: PARAM is size or block, not '%s'", buf), -1;
	for (char *v = strtok_r(eq + 1, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
		if (sw->n == SWEEP_MAX)
			return snprintf(err, len, "--sweep: at most %d values", SWEEP_MAX), -1;
		if (parse_size(v, &sw->values[sw->n], &why))
			return snprintf(err, len, "--sweep value '%s': %s", v, why), -1;
		sw->n++;
	}
	if (sw->n < 2)
		return snprintf(err, len, "--sweep needs two values or more"), -1;
	return 0;
}

static double num_at(struct json_object *o, const char *path)
{
	struct json_object *v = json_at(o, path);

	return v ? json_object_get_double(v) : NAN;
}

/* Series @s of one run's report. */
static double value_of(size_t s, struct json_object *rep)
{
	double size = num_at(rep, "scenario.params.size"), sum = 0;
	char path[96];

	if (series[s].per == THROUGHPUT)
		return size / num_at(rep, "run.transfer_seconds") / 1e6;
	for (int i = 0; i < series[s].n; i++) {
		const struct figure_def *d = &figure_defs[series[s].figs[i]];

		snprintf(path, sizeof(path), "%s.%s%s", series[s].per == PER_UNIT ? "per_unit" : "totals",
			 d->path, d->shape == FS_CELL ? ".bytes" : "");
		sum += num_at(rep, path);
	}
	return series[s].per == PER_BYTE ? sum / size : sum;
}

int sweep_run(const struct scenario *sc, const struct run_opts *base, const struct sweep *sw,
	      struct json_object **out)
{
	struct json_object *arr = json_object_new_array();
	int rc = EXIT_OK;

	for (int i = 0; i < sw->n; i++) {
		struct run_opts o = *base;
		struct json_object *rep = NULL, *row = json_object_new_object(), *fig;

		if (sw->param == SWEEP_SIZE)
			o.size = sw->values[i];
		else
			o.block = sw->values[i];
		rc = run_scenario(sc, &o, &rep);
		json_object_object_add(row, "value", json_object_new_int64(sw->values[i]));
		json_object_object_add(row, "exit", json_object_new_int(rc));
		fig = json_object_new_object();
		for (size_t s = 0; rep && s < NSERIES; s++) {
			double v = value_of(s, rep);

			json_object_object_add(fig, series[s].label,
					       isfinite(v) ? json_object_new_double(v) : NULL);
		}
		json_object_object_add(row, "figures", fig);
		/* the run's parameters in effect (--json), null when it made no report */
		json_object_object_add(row, "params", json_object_get(json_at(rep, "scenario.params")));
		json_object_array_add(arr, row);
		json_object_put(rep);
		if (rc)
			break; /* a failed or interrupted run ends the sweep */
	}
	*out = arr;
	return rc;
}

/* The series' label as a JSON key: "throughput (MB/s)" -> "throughput_mb_s". */
static void series_key(size_t s, char *key, size_t len)
{
	size_t o = 0;

	for (const char *p = series[s].label; *p && o + 1 < len; p++) {
		if (isalnum((unsigned char)*p))
			key[o++] = (char)tolower((unsigned char)*p);
		else if (o && key[o - 1] != '_')
			key[o++] = '_';
	}
	while (o && key[o - 1] == '_')
		o--;
	key[o] = 0;
}

/* One row for --json: the value, the exit code, the series by key, rounded. */
static struct json_object *row_json(struct json_object *row)
{
	struct json_object *o = json_object_new_object(), *fig = json_object_new_object(), *v;
	char key[64];

	json_object_object_add(o, "value", json_object_get(json_object_object_get(row, "value")));
	json_object_object_add(o, "exit", json_object_get(json_object_object_get(row, "exit")));
	json_object_object_add(o, "params", json_object_get(json_object_object_get(row, "params")));
	for (size_t s = 0; s < NSERIES; s++) {
		if (!json_object_object_get_ex(json_object_object_get(row, "figures"), series[s].label,
					       &v))
			continue; /* the run made no report */
		series_key(s, key, sizeof(key));
		json_object_object_add(fig, key, v ? json_round3(json_object_get_double(v)) : NULL);
	}
	json_object_object_add(o, "figures", fig);
	return o;
}

struct json_object *sweep_json(struct json_object *rows, const char *scenario, const char *param)
{
	struct json_object *o = json_object_new_object(), *tool = json_object_new_object();
	struct json_object *arr = json_object_new_array();

	json_object_object_add(o, "schema", json_object_new_int(REPORT_SCHEMA));
	json_object_object_add(tool, "name", json_object_new_string("ipctrace"));
	json_object_object_add(tool, "version", json_object_new_string(IPCTRACE_VERSION));
	json_object_object_add(o, "tool", tool);
	json_object_object_add(o, "scenario", json_object_new_string(scenario));
	json_object_object_add(o, "param", json_object_new_string(param));
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		json_object_array_add(arr, row_json(json_object_array_get_idx(rows, i)));
	json_object_object_add(o, "rows", arr);
	return o;
}

static double fig(struct json_object *row, size_t s)
{
	struct json_object *f = json_object_object_get(row, "figures"), *v;

	return json_object_object_get_ex(f, series[s].label, &v) && v ? json_object_get_double(v)
								    : NAN;
}

void sweep_print_text(struct json_object *rows, const char *param, FILE *out)
{
	size_t n = json_object_array_length(rows);

	fprintf(out, "%-12s", param);
	for (size_t s = 0; s < NSERIES; s++)
		fprintf(out, " %14s", series[s].abbrev);
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		struct json_object *row = json_object_array_get_idx(rows, i);

		fprintf(out, "%-12lld", (long long)json_object_get_int64(json_object_object_get(row, "value")));
		for (size_t s = 0; s < NSERIES; s++)
			fprintf(out, " %14.4g", fig(row, s));
		fputc('\n', out);
	}
}

#define CH_W 420
#define CH_H 200
#define PAD 48

/* x position of @v on the chart, log scale when @logx */
static double xpos(double v, double lo, double hi, bool logx)
{
	if (hi <= lo)
		return PAD;
	if (logx)
		return PAD + (CH_W - 2 * PAD) * (log(v) - log(lo)) / (log(hi) - log(lo));
	return PAD + (CH_W - 2 * PAD) * (v - lo) / (hi - lo);
}

int sweep_write_svg(struct json_object *rows, const char *title, const char *param, FILE *out)
{
	size_t n = json_object_array_length(rows), cols = 2;
	double lo = INFINITY, hi = 0;
	bool logx;
	char label[64];

	for (size_t i = 0; i < n; i++) {
		double v = json_object_get_double(json_object_object_get(json_object_array_get_idx(rows, i),
									 "value"));

		lo = fmin(lo, v);
		hi = fmax(hi, v);
	}
	logx = lo > 0 && hi / lo >= 100;
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%zu\" height=\"%zu\" "
		     "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%%\" "
		     "height=\"100%%\" fill=\"white\"/>\n<text x=\"10\" y=\"20\" font-size=\"14\" "
		     "font-weight=\"bold\">", cols * CH_W, 40 + (NSERIES + 1) / 2 * CH_H);
	svg_escape(out, title);
	fprintf(out, "</text>\n");
	for (size_t s = 0; s < NSERIES; s++) {
		double ymax = 0;
		int ox = (int)(s % cols) * CH_W, oy = 40 + (int)(s / cols) * CH_H;

		for (size_t i = 0; i < n; i++)
			if (isfinite(fig(json_object_array_get_idx(rows, i), s)))
				ymax = fmax(ymax, fig(json_object_array_get_idx(rows, i), s));
		if (ymax <= 0)
			ymax = 1;
		fprintf(out, "<g transform=\"translate(%d,%d)\">\n<text x=\"%d\" y=\"14\" "
			     "font-weight=\"bold\">", ox, oy, PAD);
		svg_escape(out, series[s].label);
		fprintf(out, "</text>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
			     "<line x1=\"%d\" y1=\"24\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n"
			     "<text x=\"4\" y=\"30\">%.3g</text><text x=\"4\" y=\"%d\">0</text>\n",
			PAD, CH_H - 30, CH_W - PAD, CH_H - 30, PAD, PAD, CH_H - 30, ymax, CH_H - 30);
		fprintf(out, "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"");
		for (size_t i = 0; i < n; i++) {
			struct json_object *row = json_object_array_get_idx(rows, i);
			double v = fig(row, s), x = json_object_get_double(json_object_object_get(row, "value"));

			if (isfinite(v))
				fprintf(out, "%.1f,%.1f ", xpos(x, lo, hi, logx),
					CH_H - 30 - (CH_H - 54) * v / ymax);
		}
		fprintf(out, "\"/>\n");
		for (size_t i = 0; i < n; i++) {
			struct json_object *row = json_object_array_get_idx(rows, i);
			double x = json_object_get_double(json_object_object_get(row, "value"));

			snprintf(label, sizeof(label), "%.0f", x);
			fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
				xpos(x, lo, hi, logx), CH_H - 16, label);
		}
		fprintf(out, "<text x=\"%d\" y=\"%d\" fill=\"#666\">%s (bytes%s)</text>\n</g>\n",
			CH_W - PAD - 90, CH_H - 4, param, logx ? ", log scale" : "");
	}
	fprintf(out, "</svg>\n");
	return 0;
}
