// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The HTML page of `ipctrace verify --html`: see verify_html.h. */
#include <math.h>
#include <stdio.h>
#include "timeline.h"
#include "verify_html.h"

#define BAR_W 360

/* Textbook against measured, one pair of bars a label, as inline SVG. */
static void html_chart(FILE *out, struct json_object *chart)
{
	size_t n = json_object_array_length(chart);
	double max = 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(chart, i);

		max = fmax(max, json_object_get_double(json_object_object_get(b, "textbook")));
		max = fmax(max, json_object_get_double(json_object_object_get(b, "measured")));
	}
	if (max <= 0)
		max = 1;
	fprintf(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" "
		     "height=\"%zu\" font-size=\"12\" font-family=\"sans-serif\">\n", n * 44 + 20);
	fprintf(out, "<rect x=\"230\" y=\"2\" width=\"10\" height=\"10\" fill=\"#9e9e9e\"/>"
		     "<text x=\"244\" y=\"11\">textbook</text><rect x=\"320\" y=\"2\" width=\"10\" "
		     "height=\"10\" fill=\"#1565c0\"/><text x=\"334\" y=\"11\">measured</text>\n");
	for (size_t i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(chart, i), *m;
		double t = json_object_get_double(json_object_object_get(b, "textbook"));
		int y = 20 + (int)i * 44;

		fprintf(out, "<text x=\"0\" y=\"%d\">", y + 16);
		svg_escape(out, json_object_get_string(json_object_object_get(b, "label")));
		fprintf(out, "</text><rect x=\"230\" y=\"%d\" width=\"%.1f\" height=\"14\" "
			     "fill=\"#9e9e9e\"/><text x=\"%.1f\" y=\"%d\">%g</text>\n",
			y + 4, BAR_W * t / max, 234 + BAR_W * t / max, y + 15, t);
		if (json_object_object_get_ex(b, "measured", &m) && m)
			fprintf(out, "<rect x=\"230\" y=\"%d\" width=\"%.1f\" height=\"14\" "
				     "fill=\"#1565c0\"/><text x=\"%.1f\" y=\"%d\">%.3g</text>\n",
				y + 20, BAR_W * json_object_get_double(m) / max,
				234 + BAR_W * json_object_get_double(m) / max, y + 31,
				json_object_get_double(m));
		else
			fprintf(out, "<text x=\"230\" y=\"%d\">measured: n/a</text>\n", y + 31);
	}
	fprintf(out, "</svg>\n");
}

void verify_html_begin(FILE *out, struct json_object *summary)
{
	struct json_object *k;

	json_object_object_get_ex(summary, "kernel", &k);
	fprintf(out, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		     "<title>ipctrace verify</title>\n<style>\n"
		     "body{font-family:sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#222}\n"
		     ".v{display:inline-block;min-width:7em;text-align:center;padding:2px 6px;"
		     "border-radius:4px;color:#fff;font-weight:bold}\n"
		     ".confirmed{background:#2e7d32}.nuanced{background:#a65f00}.refuted{background:#c62828}"
		     ".unobservable{background:#555}.error{background:#000}\n"
		     ".claim{border-top:1px solid #ddd;padding:.8em 0}.quote{color:#666;margin:.3em 0}\n"
		     "summary{cursor:pointer;color:#1565c0}svg{max-width:100%%;height:auto}\n"
		     "</style></head><body>\n<h1>What the kernel did: the textbook, checked</h1>\n<p>");
	svg_escape(out, json_object_get_string(json_object_object_get(k, "release")));
	fprintf(out, " &middot;");
	json_object_object_foreach(json_object_object_get(summary, "summary"), verdict, count)
		if (json_object_get_int(count))
			fprintf(out, " %d %s", json_object_get_int(count), verdict);
	fprintf(out, "</p>\n<p>");
	fprintf(out, "Each verdict follows from the figures of this run: the evidence gives them.</p>\n");
}

void verify_html_section(FILE *out, const char *title)
{
	fprintf(out, "<h2>");
	svg_escape(out, title);
	fprintf(out, "</h2>\n");
}

void verify_html_claim(FILE *out, const struct claim *c, const struct claim_result *res,
		       struct json_object *timeline, const char *spec)
{
	fprintf(out, "<div class=\"claim\" id=\"");
	svg_escape(out, c->id);
	fprintf(out, "\"><span class=\"v %s\">%s</span> <b>", verdict_name(res->verdict),
		verdict_name(res->verdict));
	svg_escape(out, c->id);
	fprintf(out, "</b> ");
	svg_escape(out, c->statement);
	fprintf(out, "<div class=\"quote\">&ldquo;");
	svg_escape(out, c->quote);
	fprintf(out, "&rdquo;</div>\n<p>");
	svg_escape(out, res->evidence);
	fprintf(out, "</p>\n");
	if (res->chart)
		html_chart(out, res->chart);
	if (timeline) {
		fprintf(out, "<details><summary>timeline of one unit of work: <code>ipctrace run ");
		svg_escape(out, spec);
		fprintf(out, "</code></summary>\n");
		timeline_write_svg(timeline, spec, out);
		fprintf(out, "</details>\n");
	}
	fprintf(out, "</div>\n");
}

void verify_html_end(FILE *out)
{
	fprintf(out, "</body></html>\n");
}
