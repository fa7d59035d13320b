// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Numbers, widths, colour and verbosity of text output: see textfmt.h. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "textfmt.h"

static int verbosity;

void text_set_verbosity(int level)
{
	verbosity = level;
}

int text_verbosity(void)
{
	return verbosity;
}

/* @digits (no sign) grouped by threes into @buf after @sign. */
static const char *group(const char *sign, const char *digits, const char *tail, char *buf, size_t len)
{
	size_t n = strlen(digits), j = 0, i;

	for (const char *s = sign; *s && j + 1 < len; s++)
		buf[j++] = *s;
	for (i = 0; i < n && j + 1 < len; i++) {
		if (i && (n - i) % 3 == 0) {
			if (j + 2 >= len)
				break; /* cut short: no comma at its end */
			buf[j++] = ',';
		}
		buf[j++] = digits[i];
	}
	for (const char *s = tail; i == n && *s && j + 1 < len; s++) /* no decimals after a cut */
		buf[j++] = *s;
	if (len)
		buf[j] = 0;
	return buf;
}

const char *fmt_count(long long v, char *buf, size_t len)
{
	char digits[32];

	/* the magnitude as unsigned: LLONG_MIN has no positive twin */
	snprintf(digits, sizeof(digits), "%llu", v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
	return group(v < 0 ? "-" : "", digits, "", buf, len);
}

const char *fmt_real(double v, char *buf, size_t len)
{
	char text[64], *dot;
	size_t n;

	if (!isfinite(v)) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	if (fabs(v) < 9e18 && v == (double)(long long)v)
		return fmt_count((long long)v, buf, len);
	snprintf(text, sizeof(text), "%.3f", fabs(v));
	n = strlen(text);
	while (n && text[n - 1] == '0')
		text[--n] = 0;
	if (n && text[n - 1] == '.')
		text[--n] = 0;
	if (!strcmp(text, "0"))
		return fmt_count(0, buf, len); /* -0.0004: no "-0" */
	dot = strchr(text, '.');
	if (dot) {
		char tail[16];

		snprintf(tail, sizeof(tail), "%s", dot);
		*dot = 0;
		return group(v < 0 ? "-" : "", text, tail, buf, len);
	}
	return group(v < 0 ? "-" : "", text, "", buf, len);
}

const char *fmt_bytes(double v, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	if (!isfinite(v)) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	while (fabs(v) >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (!u)
		snprintf(buf, len, "%.0f B", v);
	else
		snprintf(buf, len, "%.1f %s", v, unit[u]);
	return buf;
}

int text_width(FILE *out)
{
	struct winsize ws;
	int fd = fileno(out);

	if (fd < 0 || !isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) || ws.ws_col <= TEXT_WIDTH)
		return TEXT_WIDTH;
	return ws.ws_col;
}

bool text_colour(FILE *out)
{
	const char *no = getenv("NO_COLOR");
	int fd = fileno(out);

	return fd >= 0 && isatty(fd) && !(no && *no);
}

void text_wrap(FILE *out, int *col, int width, int indent, const char *s)
{
	int n = (int)strlen(s);

	if (*col > indent && *col + 1 + n > width) {
		fprintf(out, "\n%*s", indent, "");
		*col = indent;
	}
	if (*col > indent) {
		fputc(' ', out);
		(*col)++;
	}
	fputs(s, out);
	*col += n;
}

void text_wrap_words(FILE *out, const char *prefix, const char *text, int width)
{
	char word[1024];
	int col = (int)strlen(prefix), room = width - col;

	fputs(prefix, out);
	for (const char *p = text ? text : ""; *p;) {
		size_t n = strcspn(p, " ");

		/* a word longer than a line is cut into lines */
		if ((int)n > room && room >= 10) {
			n = (size_t)room;
			while (n > 1 && ((unsigned char)p[n] & 0xc0) == 0x80)
				n--; /* not inside a UTF-8 sequence */
		}
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		if (n)
			text_wrap(out, &col, width, (int)strlen(prefix), word);
		p += n + (p[n] == ' ');
	}
	fputc('\n', out);
}

void text_heading(FILE *out, const char *fmt, ...)
{
	bool bold = text_colour(out);
	va_list ap;

	fputs(bold ? "\n\033[1m" : "\n", out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputs(bold ? "\033[0m\n" : "\n", out);
}
