// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The charts of a sweep: one panel a figure that varies across it, the
 * constant ones named in a line above (a flat line says nothing a number
 * does not). The median of the runs at each value on a line, min to max as
 * a bar when repeated; y ticks from 0 with gridlines, x ticks at the swept
 * values labelled as typed, log scale when they span 100x or more.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "sweep.h"
#include "timeline.h"

#define CH_W 440
#define CH_H 230
#define PAD_L 62
#define PAD_R 24
#define PAD_T 30
#define PAD_B 44
#define PLOT_W (CH_W - PAD_L - PAD_R)
#define PLOT_H (CH_H - PAD_T - PAD_B)
#define INSET 18 /* the first and last values this far inside the axes */
#define HEAD 74 /* the title, the runs, the constants */
#define COLS 2
#define LINE "#1565c0"

struct xscale {
	double lo, hi;
	bool log;
};

static double px(const struct xscale *x, double v)
{
	const double w = PLOT_W - 2 * INSET;

	if (x->hi <= x->lo)
		return PAD_L + PLOT_W / 2.0;
	if (x->log)
		return PAD_L + INSET + w * (log(v) - log(x->lo)) / (log(x->hi) - log(x->lo));
	return PAD_L + INSET + w * (v - x->lo) / (x->hi - x->lo);
}

static double py(double v, double top)
{
	return PAD_T + PLOT_H * (1 - v / top);
}

static bool same(double a, double b)
{
	return a == b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* Series @s is the same at every value and every run (or never measured). */
static bool constant(const struct sweep_stats *st, int s)
{
	const struct sweep_spread *f = &st->at[0][s];

	if (st->done < 2)
		return false;
	for (int i = 0; i < st->done; i++) {
		const struct sweep_spread *p = &st->at[i][s];

		if (isnan(p->median) != isnan(f->median))
			return false;
		if (!isnan(p->median) && !(same(p->min, f->median) && same(p->max, f->median)))
			return false;
	}
	return true;
}

/* "constant across the sweep: CPU copies per byte 2, ..." */
static void write_constants(FILE *out, const struct sweep_stats *st, int y)
{
	bool any = false;

	for (int s = 0; s < SWEEP_SERIES; s++) {
		if (!constant(st, s))
			continue;
		fprintf(out, "%s", any ? ", " : "<text x=\"10\" y=\"");
		if (!any)
			fprintf(out, "%d\" fill=\"#444\">constant across the sweep, not charted: ", y);
		any = true;
		svg_escape(out, sweep_series_label(s));
		if (isnan(st->at[0][s].median))
			fprintf(out, " n/a");
		else
			fprintf(out, " %.4g", st->at[0][s].median);
	}
	if (any)
		fprintf(out, "</text>\n");
}

/* Gridlines and labels: y from 0 to @top by @step, x at each swept value. */
static void write_grid(FILE *out, const struct sweep *sw, const struct sweep_stats *st,
		       const struct xscale *x, double top, double step)
{
	for (double v = 0; v <= top * 1.0001; v += step)
		fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>"
			     "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%g</text>\n",
			PAD_L, py(v, top), PAD_L + PLOT_W, py(v, top), PAD_L - 6, py(v, top) + 4, v);
	for (int i = 0; i < st->done; i++) {
		double xi = px(x, (double)sw->values[i]);

		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e3e3\"/>"
			     "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>"
			     "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">",
			xi, PAD_T, xi, PAD_T + PLOT_H, xi, PAD_T + PLOT_H, xi, PAD_T + PLOT_H + 5, xi,
			PAD_T + PLOT_H + 18);
		svg_escape(out, sw->typed[i]);
		fprintf(out, "</text>\n");
	}
	fprintf(out, "<polyline fill=\"none\" stroke=\"#444\" points=\"%d,%d %d,%d %d,%d\"/>\n", PAD_L,
		PAD_T, PAD_L, PAD_T + PLOT_H, PAD_L + PLOT_W, PAD_T + PLOT_H);
}

/* The medians as a line with dots, min to max as a bar with caps. */
static void write_points(FILE *out, const struct sweep *sw, const struct sweep_stats *st, int s,
			 const struct xscale *x, double top)
{
	fprintf(out, "<polyline fill=\"none\" stroke=\"" LINE "\" stroke-width=\"2\" points=\"");
	for (int i = 0; i < st->done; i++)
		if (isfinite(st->at[i][s].median))
			fprintf(out, "%.1f,%.1f ", px(x, (double)sw->values[i]), py(st->at[i][s].median, top));
	fprintf(out, "\"/>\n");
	for (int i = 0; i < st->done; i++) {
		const struct sweep_spread *p = &st->at[i][s];
		double xi = px(x, (double)sw->values[i]);

		if (!isfinite(p->median))
			continue;
		if (st->runs > 1)
			fprintf(out, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh10M%.1f %.1fh10\" stroke=\"#555\" "
				     "stroke-width=\"1.5\" fill=\"none\"/>\n", xi, py(p->min, top),
				py(p->max, top), xi - 5, py(p->min, top), xi - 5, py(p->max, top));
		fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"" LINE "\"/>\n", xi,
			py(p->median, top));
	}
}

static void write_panel(FILE *out, const struct sweep *sw, const struct sweep_stats *st, int s,
			const struct xscale *x, const char *param)
{
	double ymax = 0, step, top;

	for (int i = 0; i < st->done; i++)
		if (isfinite(st->at[i][s].max))
			ymax = fmax(ymax, st->at[i][s].max);
	step = svg_nice_step((ymax > 0 ? ymax : 1) / 4);
	top = ceil((ymax > 0 ? ymax : 1) / step) * step;
	fprintf(out, "<text x=\"%d\" y=\"16\" font-weight=\"bold\">", PAD_L);
	svg_escape(out, sweep_series_label(s));
	fprintf(out, "</text>\n");
	write_grid(out, sw, st, x, top, step);
	write_points(out, sw, st, s, x, top);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s (bytes%s)</text>\n",
		PAD_L + PLOT_W / 2, CH_H - 6, param, x->log ? ", log scale" : "");
}

int sweep_write_svg(const struct sweep *sw, const struct sweep_stats *st, const char *title,
		    const char *param, FILE *out)
{
	struct xscale x = { INFINITY, 0, false };
	int panels = 0, shown[SWEEP_SERIES];

	for (int i = 0; i < st->done; i++) {
		x.lo = fmin(x.lo, (double)sw->values[i]);
		x.hi = fmax(x.hi, (double)sw->values[i]);
	}
	x.log = x.lo > 0 && x.hi / x.lo >= 100;
	for (int s = 0; s < SWEEP_SERIES; s++)
		if (!constant(st, s))
			shown[panels++] = s;
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		     "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" "
		     "height=\"100%%\" fill=\"white\"/>\n<text x=\"10\" y=\"20\" font-size=\"14\" "
		     "font-weight=\"bold\">", COLS * CH_W, HEAD + (panels + COLS - 1) / COLS * CH_H);
	svg_escape(out, title);
	if (st->runs > 1)
		fprintf(out, "</text>\n<text x=\"10\" y=\"40\" fill=\"#444\">median of %d runs at each "
			     "value (dot and line), min to max (bar)", st->runs);
	else
		fprintf(out, "</text>\n<text x=\"10\" y=\"40\" fill=\"#444\">one run at each value "
			     "(--repeat N shows the spread of N)");
	fprintf(out, "</text>\n");
	write_constants(out, st, 60);
	for (int p = 0; p < panels; p++) {
		fprintf(out, "<g transform=\"translate(%d,%d)\">\n", p % COLS * CH_W, HEAD + p / COLS * CH_H);
		write_panel(out, sw, st, shown[p], &x, param);
		fprintf(out, "</g>\n");
	}
	fprintf(out, "</svg>\n");
	return 0;
}
