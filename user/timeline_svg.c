// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The timeline as SVG, bounded whatever the run recorded: the rows of
 * timeline_rows() (runs of scheduling events merged, at most TL_MAX_ROWS),
 * each with its time drawn to scale on a strip under a time axis, its
 * process's user/kernel line crossed by an arrow (syscall entry and user
 * fault in, return out), its words; a legend below.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "timeline.h"

#define ROW_H 20
#define TOP 96         /* the first row's baseline */
#define T_RIGHT 70     /* the row's time, right-aligned here */
#define STRIP_X 82     /* the time strip */
#define STRIP_W 300
#define LANES_X 410
#define LANE_W 132
#define LEGEND_W 720
#define LEGEND_H 84
#define RED "#c0392b"
#define BLUE "#2471a3"

static const char *const lane_colour[TL_MAX_LANES] = {
	"#1b7837", "#762a83", "#b35806", "#2166ac", "#8c510a", "#c51b7d", "#01665e", "#555555",
};

struct axis {
	double scale;   /* us to displayed unit */
	const char *unit;
	double step;    /* between ticks, in us */
	double span_us; /* the strip's width in us */
};

double svg_nice_step(double raw)
{
	double p;

	if (!(raw > 0) || !isfinite(raw))
		return 1;
	p = pow(10, floor(log10(raw)));
	raw /= p;
	return p * (raw >= 7 ? 10 : raw >= 3 ? 5 : raw >= 1.5 ? 2 : 1);
}

/* Four ticks or more on the strip. */
static struct axis axis_of(double duration_us)
{
	struct axis a = { 1, "\xc2\xb5s", 1, duration_us > 0 ? duration_us : 1 };

	if (a.span_us >= 10000)
		a.scale = 1e-3, a.unit = "ms";
	a.step = svg_nice_step(a.span_us / 4);
	return a;
}

static double strip_x(const struct axis *a, double t_us)
{
	return STRIP_X + STRIP_W * fmin(fmax(t_us / a->span_us, 0), 1);
}

static void write_axis(FILE *out, const struct axis *a, int bottom)
{
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#444\">t (%s)</text>\n",
		T_RIGHT, TOP - 26, a->unit);
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", STRIP_X,
		TOP - 20, STRIP_X + STRIP_W, TOP - 20);
	for (double t = 0; t <= a->span_us * 1.0001; t += a->step) {
		double x = strip_x(a, t);

		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e3e3\"/>"
			     "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>"
			     "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%g</text>\n",
			x, TOP - 20, x, bottom, x, TOP - 24, x, TOP - 20, x, TOP - 28, t * a->scale);
	}
}

/* An arrow from @x1 to @x2 at height @y, its head at @x2. */
static void arrow(FILE *out, double x1, double x2, int y, const char *colour)
{
	double d = x2 > x1 ? -7 : 7;

	fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
		     "stroke-width=\"2\"/><polygon points=\"%.1f,%d %.1f,%d %.1f,%d\" fill=\"%s\"/>\n",
		x1, y, x2 + d / 2, y, colour, x2, y, x2 + d, y - 4, x2 + d, y + 4, colour);
}

static void write_lanes(FILE *out, const struct tl_rows *r, int bottom)
{
	for (int k = 0; k < r->nlanes; k++) {
		int x = LANES_X + k * LANE_W, mid = x + LANE_W / 2;

		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\" "
			     "fill=\"%s\">", mid, TOP - 44, lane_colour[k]);
		svg_escape(out, r->lanes[k]);
		fprintf(out, "</text>\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#666\">user</text>"
			     "<text x=\"%d\" y=\"%d\" fill=\"#666\">kernel</text>\n",
			mid - 4, TOP - 26, mid + 4, TOP - 26);
		fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" "
			     "stroke-dasharray=\"4 3\"/>\n", mid, TOP - 20, mid, bottom);
	}
}

/* The mark of one row in its lane: an arrow across the line, or a mark right of it. */
static void write_mark(FILE *out, const struct tl_row *row, int y)
{
	int x = LANES_X + row->lane * LANE_W, mid = x + LANE_W / 2;

	if (row->side == TL_CROSS_IN)
		arrow(out, x + 12, mid + 40, y, RED);
	else if (row->side == TL_CROSS_OUT)
		arrow(out, mid + 40, x + 12, y, BLUE);
	else if (row->sched)
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"40\" height=\"8\" fill=\"#bbb\"/>\n",
			mid + 8, y - 4);
	else
		fprintf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#333\"/>\n", mid + 28, y);
}

/* What a row says: its event's words, or its run's counts and span. */
static void row_words(const struct tl_row *row, const struct axis *a, char *buf, size_t len)
{
	char run[96];

	if (row->sched && row->events > 1) {
		timeline_run_words(row, run, sizeof(run));
		snprintf(buf, len, "%s, for %.3f %s", run, (row->t1 - row->t0) * a->scale, a->unit);
	} else {
		snprintf(buf, len, "%s%s%s", row->what, row->detail ? ": " : "",
			 row->detail ? row->detail : "");
	}
}

/* Room for the longest words of a row, at about 7 px a character. */
static int text_width(const struct tl_rows *r, const struct axis *a)
{
	char words[320];
	size_t longest = 48; /* the caption's "N more rows" */

	for (int i = 0; i < r->n; i++) {
		row_words(&r->row[i], a, words, sizeof(words));
		if (strlen(words) + strlen(r->lanes[r->row[i].lane]) + 1 > longest)
			longest = strlen(words) + strlen(r->lanes[r->row[i].lane]) + 1;
	}
	return (int)longest * 7 + 16;
}

static void write_row(FILE *out, const struct tl_rows *r, const struct axis *a, int i)
{
	const struct tl_row *row = &r->row[i];
	int y = TOP + i * ROW_H;
	double x0 = strip_x(a, row->t0), x1 = strip_x(a, row->t1);
	char words[320];

	fprintf(out, "<g class=\"row\"><text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#666\">"
		     "%.3f</text>\n", T_RIGHT, y + 4, row->t0 * a->scale);
	if (row->sched)
		fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"8\" fill=\"%s\" "
			     "fill-opacity=\"0.6\"/>\n", x0, y - 4, fmax(x1 - x0, 2), lane_colour[row->lane]);
	else
		fprintf(out, "<circle cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"%s\"/>\n", x0, y,
			lane_colour[row->lane]);
	write_mark(out, row, y);
	fprintf(out, "<text x=\"%d\" y=\"%d\"><tspan fill=\"%s\">", LANES_X + r->nlanes * LANE_W + 8,
		y + 4, lane_colour[row->lane]);
	svg_escape(out, r->lanes[row->lane]);
	fprintf(out, "</tspan> ");
	row_words(row, a, words, sizeof(words));
	svg_escape(out, words);
	fprintf(out, "</text></g>\n");
}

static void legend_item(FILE *out, int x, int y, const char *mark, const char *words)
{
	fprintf(out, "%s<text x=\"%d\" y=\"%d\">%s</text>\n", mark, x + 52, y + 4, words);
}

static void write_legend(FILE *out, int y)
{
	char m[256];

	fprintf(out, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">legend</text>\n", y + 4);
	arrow(out, 80, 120, y, RED);
	legend_item(out, 80, y, "", "user-&gt;kernel: a syscall entered, a user page fault");
	arrow(out, 120, 80, y + 18, BLUE);
	legend_item(out, 80, y + 18, "", "kernel-&gt;user: a syscall returned (its bytes and how they moved)");
	snprintf(m, sizeof(m), "<circle cx=\"100\" cy=\"%d\" r=\"4\" fill=\"#333\"/>", y + 36);
	legend_item(out, 80, y + 36, m, "in the kernel: disk DMA, kernel page fault, signal");
	snprintf(m, sizeof(m), "<rect x=\"80\" y=\"%d\" width=\"40\" height=\"8\" fill=\"#bbb\"/>", y + 50);
	legend_item(out, 80, y + 54, m, "off CPU, on CPU, woken up in a row: one row, its span to scale");
}

static void write_caption(FILE *out, const struct tl_rows *r, const struct axis *a, int y)
{
	fprintf(out, "<text x=\"10\" y=\"%d\" fill=\"#444\">%zu events in %.3f %s, %d rows",
		y, r->events, r->duration_us * a->scale, a->unit, r->n + r->more_rows);
	if (r->more_rows)
		fprintf(out, "; <tspan fill=\"" RED "\">%d more rows (%zu events) not shown: "
			     "--json --timeline has them all</tspan>", r->more_rows, r->more_events);
	fprintf(out, "</text>\n");
}

int timeline_write_svg(struct json_object *tl, const char *title, FILE *out)
{
	struct tl_rows *r = malloc(sizeof(*r));
	struct axis a;
	int width, height, bottom;

	if (!r || timeline_rows(tl, r)) {
		free(r);
		if (!tl)
			return -1;
		fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"60\" "
			     "font-family=\"sans-serif\" font-size=\"12\"><rect width=\"100%%\" "
			     "height=\"100%%\" fill=\"white\"/><text x=\"10\" y=\"20\" font-weight=\"bold\">");
		svg_escape(out, title);
		fprintf(out, "</text><text x=\"10\" y=\"44\">no unit of work recorded</text></svg>\n");
		return 0;
	}
	a = axis_of(r->duration_us);
	bottom = TOP + (r->n ? r->n - 1 : 0) * ROW_H + 8;
	width = LANES_X + r->nlanes * LANE_W + text_width(r, &a);
	if (width < LEGEND_W)
		width = LEGEND_W;
	height = bottom + 24 + LEGEND_H;
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		     "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		     "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"10\" y=\"20\" "
		     "font-size=\"14\" font-weight=\"bold\">", width, height, width, height);
	svg_escape(out, title);
	fprintf(out, "</text>\n");
	write_caption(out, r, &a, 38);
	write_axis(out, &a, bottom);
	write_lanes(out, r, bottom);
	for (int i = 0; i < r->n; i++)
		write_row(out, r, &a, i);
	write_legend(out, bottom + 24);
	fprintf(out, "</svg>\n");
	free(r);
	return 0;
}
