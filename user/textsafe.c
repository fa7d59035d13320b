// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "textsafe.h"

/*
 * Code points valid UTF-8 may encode that must not reach a terminal raw:
 * xterm acts on C1 controls whether they come as one byte or UTF-8 encoded,
 * and the bidi controls reorder what follows them on the line (a forged
 * line can look like a real one without a single control byte).
 */
static const struct { uint32_t lo, hi; } unsafe_cps[] = {
	{ 0x80, 0x9f },     /* C1 controls */
	{ 0x200e, 0x200f }, /* left-to-right and right-to-left marks */
	{ 0x2028, 0x202e }, /* line and paragraph separators, bidi embeddings, overrides */
	{ 0x2066, 0x2069 }, /* bidi isolates */
};

static bool unsafe_cp(uint32_t c)
{
	for (size_t i = 0; i < sizeof(unsafe_cps) / sizeof(unsafe_cps[0]); i++)
		if (c >= unsafe_cps[i].lo && c <= unsafe_cps[i].hi)
			return true;
	return false;
}

/* The length (2 to 4) of the valid UTF-8 sequence at @p, its code point in *@cp; 0 if none. */
static int utf8_seq(const unsigned char *p, uint32_t *cp)
{
	static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 }; /* no overlong forms */
	uint32_t c;
	int n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	for (int i = 1; i < n; i++) { /* a NUL ends the string: not a continuation byte */
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < least[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* The first character of @p as it is printed, in @out; the bytes of @p it covers. */
static int next_unit(const unsigned char *p, char out[17])
{
	uint32_t cp;
	int n = *p >= 0x80 ? utf8_seq(p, &cp) : 1, o = 0;

	if (*p >= 0x20 && *p < 0x7f) {
		out[0] = (char)*p, out[1] = 0;
		return 1;
	}
	if (n > 1 && !unsafe_cp(cp)) {
		memcpy(out, p, n);
		out[n] = 0;
		return n;
	}
	if (*p == '\n' || *p == '\r' || *p == '\t') {
		snprintf(out, 17, "\\%c", *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't');
		return 1;
	}
	if (!n) /* a byte that starts no valid sequence: escaped alone */
		n = 1;
	for (int i = 0; i < n; i++)
		o += snprintf(out + o, 17 - o, "\\x%02x", p[i]);
	return n;
}

const char *text_safe(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "(null)");
	size_t o = 0;

	if (!len)
		return buf;
	while (*p) {
		char u[17];
		int n = next_unit(p, u);
		size_t ul = strlen(u);

		if (o + ul >= len)
			break;
		memcpy(buf + o, u, ul);
		o += ul;
		p += n;
	}
	buf[o] = 0;
	return buf;
}

char *text_safe_dup(const char *s)
{
	/* "\xNN" is the longest escape of one byte */
	size_t len = 4 * strlen(s ? s : "(null)") + 1;
	char *buf = malloc(len);

	return buf ? (char *)text_safe(s, buf, len) : NULL;
}

void text_put(FILE *out, const char *s)
{
	char *safe = text_safe_dup(s);

	fputs(safe ? safe : "(out of memory)", out);
	free(safe);
}

void text_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

void text_error(const char *who, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: ", who);
	text_put(stderr, msg);
	fputc('\n', stderr);
}

bool text_is_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (*p) {
		int n = *p < 0x80 ? 1 : utf8_seq(p, &cp);

		if (!n)
			return false;
		p += n;
	}
	return true;
}

struct json_object *json_text(const char *s)
{
	char *safe;
	struct json_object *o;

	if (!s || text_is_utf8(s))
		return s ? json_object_new_string(s) : NULL;
	safe = text_safe_dup(s); /* bytes JSON cannot carry: escaped as text is */
	o = json_object_new_string(safe ? safe : "?");
	free(safe);
	return o;
}
