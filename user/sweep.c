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
#include "textfmt.h"
#include "timeline.h"

/* The figures a sweep charts: a figure of the registry (or a sum of them) per unit or per byte. */
enum sweep_per { THROUGHPUT, PER_UNIT, PER_BYTE };
static const struct {
	const char *label, *head[2]; /* head: the text table's column, on two lines */
	enum sweep_per per;
	int n;
	enum fig_id figs[3]; /* summed; a ledger cell counts its bytes */
} series[] = {
	{ "throughput (MB/s)", { "", "MB/s" }, THROUGHPUT, 0, { 0 } },
	{ "syscalls per unit", { "syscalls", "/unit" }, PER_UNIT, 1, { FIG_SYSCALLS } },
	{ "mode switches per unit", { "mode sw", "/unit" }, PER_UNIT, 1, { FIG_MODE_SWITCHES } },
	{ "context switches per unit", { "ctx sw", "/unit" }, PER_UNIT, 2,
	  { FIG_CSW_VOLUNTARY, FIG_CSW_INVOLUNTARY } },
	{ "CPU copies per byte", { "copies", "/byte" }, PER_BYTE, 3,
	  { FIG_COPIES_U2K, FIG_COPIES_K2U, FIG_COPIES_K2K } },
	{ "page references per byte", { "page refs", "/byte" }, PER_BYTE, 1, { FIG_PAGE_REFS } },
	{ "page faults per unit", { "faults", "/unit" }, PER_UNIT, 1, { FIG_FAULTS_USER } },
};
#define NSERIES (sizeof(series) / sizeof(series[0]))
_Static_assert(NSERIES == SWEEP_SERIES, "sweep.h counts the series");

const char *sweep_series_label(int s)
{
	return series[s].label;
}

int sweep_parse(const char *spec, struct sweep *sw, char *err, size_t len)
{
	char buf[512], *save = NULL, *eq;
	const char *why;

	memset(sw, 0, sizeof(*sw));
	sw->repeat = 1;
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
		if (strlen(v) >= sizeof(sw->typed[0]))
			return snprintf(err, len, "--sweep value '%s': too long", v), -1;
		snprintf(sw->typed[sw->n], sizeof(sw->typed[0]), "%s", v);
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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct sweep_spread sweep_spread_of(double *v, int n)
{
	struct sweep_spread sp = { NAN, NAN, NAN };
	int k = 0;

	for (int i = 0; i < n; i++)
		if (isfinite(v[i]))
			v[k++] = v[i];
	if (!k)
		return sp;
	qsort(v, k, sizeof(*v), cmp_double);
	sp.min = v[0];
	sp.max = v[k - 1];
	sp.median = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
	return sp;
}

static double pick(const struct sweep_spread *sp, int which)
{
	return which < 0 ? sp->min : which > 0 ? sp->max : sp->median;
}

/* The figures object of value @i: its medians (@which 0), minima (-1) or maxima (1). */
static struct json_object *figures_obj(const struct sweep_stats *st, int i, int which)
{
	struct json_object *fig = json_object_new_object();

	for (size_t s = 0; s < NSERIES; s++) {
		double v = pick(&st->at[i][s], which);

		json_object_object_add(fig, series[s].label, isfinite(v) ? json_object_new_double(v) : NULL);
	}
	return fig;
}

static struct json_object *sweep_row(const struct sweep *sw, const struct sweep_stats *st, int i,
				     int rc, struct json_object *params)
{
	struct json_object *row = json_object_new_object();

	json_object_object_add(row, "value", json_object_new_int64(sw->values[i]));
	json_object_object_add(row, "exit", json_object_new_int(rc));
	/* the last run's parameters in effect (--json), null when it made no report */
	json_object_object_add(row, "params", params);
	json_object_object_add(row, "figures", figures_obj(st, i, 0));
	if (st->runs > 1) {
		json_object_object_add(row, "runs", json_object_new_int(st->runs));
		json_object_object_add(row, "figures_min", figures_obj(st, i, -1));
		json_object_object_add(row, "figures_max", figures_obj(st, i, 1));
	}
	return row;
}

/*
 * The runs at value @i: their spreads into st->at[i], the last run's params
 * (a reference, or NULL) in *params; the last exit code.
 */
static int run_value(const struct scenario *sc, const struct run_opts *base, const struct sweep *sw,
		     int i, struct sweep_stats *st, struct json_object **params)
{
	static double v[NSERIES][SWEEP_REPEAT_MAX];
	struct run_opts o = *base;
	int rc = EXIT_OK, r;

	if (sw->param == SWEEP_SIZE)
		o.size = sw->values[i];
	else
		o.block = sw->values[i];
	for (r = 0; r < st->runs && rc == EXIT_OK; r++) {
		struct json_object *rep = NULL;

		rc = run_scenario(sc, &o, &rep);
		for (size_t s = 0; s < NSERIES; s++)
			v[s][r] = rep ? value_of(s, rep) : NAN;
		json_object_put(*params);
		*params = json_object_get(json_at(rep, "scenario.params"));
		json_object_put(rep);
	}
	for (size_t s = 0; s < NSERIES; s++)
		st->at[i][s] = sweep_spread_of(v[s], r);
	return rc;
}

int sweep_run(const struct scenario *sc, const struct run_opts *base, const struct sweep *sw,
	      struct sweep_stats *st, struct json_object **out)
{
	struct json_object *arr = json_object_new_array();
	int rc = EXIT_OK;

	memset(st, 0, sizeof(*st));
	st->runs = sw->repeat < 1 ? 1 : sw->repeat > SWEEP_REPEAT_MAX ? SWEEP_REPEAT_MAX : sw->repeat;
	for (int i = 0; i < sw->n; i++) {
		struct json_object *params = NULL;

		rc = run_value(sc, base, sw, i, st, &params);
		st->done = i + 1;
		json_object_array_add(arr, sweep_row(sw, st, i, rc, params));
		if (rc)
			break; /* a failed or interrupted run ends the sweep */
	}
	*out = arr;
	return rc;
}

/* Columns of a value in the sweep table; the first column (the value as typed) takes VALUE_W. */
#define SWEEP_COL_W 9
#define VALUE_W 10

/* @v in SWEEP_COL_W columns: grouped, at most 3 decimals, fewer when they do not fit. */
static const char *sweep_cell(double v, char *buf, size_t len)
{
	fmt_real(v, buf, len);
	if (strlen(buf) > SWEEP_COL_W && isfinite(v))
		fmt_real(round(v), buf, len);
	if (strlen(buf) > SWEEP_COL_W && isfinite(v))
		snprintf(buf, len, "%.3g", v);
	return buf;
}

/*
 * The table: a row per value, a column per series, its name on two lines;
 * 80 columns (VALUE_W + 7 x (1 + SWEEP_COL_W)). A value typed longer than
 * its column has a line of its own.
 */
void sweep_print_text(const struct sweep *sw, const struct sweep_stats *st, const char *param,
		      FILE *out)
{
	char v[48];

	if (st->runs > 1)
		fprintf(out, "median of %d runs a value\n", st->runs);
	fprintf(out, "%-*s", VALUE_W, "");
	for (size_t s = 0; s < NSERIES; s++)
		fprintf(out, " %*s", SWEEP_COL_W, series[s].head[0]);
	fprintf(out, "\n%-*s", VALUE_W, param);
	for (size_t s = 0; s < NSERIES; s++)
		fprintf(out, " %*s", SWEEP_COL_W, series[s].head[1]);
	fputc('\n', out);
	for (int i = 0; i < st->done; i++) {
		if (strlen(sw->typed[i]) > VALUE_W)
			fprintf(out, "%s\n%-*s", sw->typed[i], VALUE_W, "");
		else
			fprintf(out, "%-*s", VALUE_W, sw->typed[i]);
		for (size_t s = 0; s < NSERIES; s++)
			fprintf(out, " %*s", SWEEP_COL_W, sweep_cell(st->at[i][s].median, v, sizeof(v)));
		fputc('\n', out);
	}
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

/* A row's figures object @name (figures, figures_min, figures_max) by key, rounded. */
static struct json_object *figures_keyed(struct json_object *row, const char *name)
{
	struct json_object *fig = json_object_new_object(), *in, *v;
	char key[64];

	if (!json_object_object_get_ex(row, name, &in))
		return json_object_put(fig), NULL;
	for (size_t s = 0; s < NSERIES; s++) {
		if (!json_object_object_get_ex(in, series[s].label, &v))
			continue;
		series_key(s, key, sizeof(key));
		json_object_object_add(fig, key, v ? json_round3(json_object_get_double(v)) : NULL);
	}
	return fig;
}

/* One row for --json: the value, the exit code, the params, the series by key, rounded. */
static struct json_object *row_json(struct json_object *row)
{
	static const char *const figs[] = { "figures", "figures_min", "figures_max" };
	struct json_object *o = json_object_new_object(), *v;

	json_object_object_add(o, "value", json_object_get(json_object_object_get(row, "value")));
	json_object_object_add(o, "exit", json_object_get(json_object_object_get(row, "exit")));
	json_object_object_add(o, "params", json_object_get(json_object_object_get(row, "params")));
	if (json_object_object_get_ex(row, "runs", &v))
		json_object_object_add(o, "runs", json_object_get(v));
	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		struct json_object *f = figures_keyed(row, figs[i]);

		if (f)
			json_object_object_add(o, figs[i], f);
	}
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
