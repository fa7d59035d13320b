/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Text that comes from outside (file names the kernel saw, process names,
 * command lines, claims files, JSON read back), made safe to print on a
 * terminal: every byte that is not printable text is escaped, so a name
 * cannot move the cursor, set the window title or start a line of its own.
 *
 * Escaped: C0 controls (\n, \r, \t; the others and DEL as \x1b style), bytes
 * that are not valid UTF-8 (\xNN each), and the code points valid UTF-8 may
 * encode but a terminal must not get raw: C1 controls U+0080..U+009F and the
 * invisible marks that reorder or break lines (bidi marks, embeddings,
 * overrides and isolates, U+2028 and U+2029), byte by byte as \xNN.
 * Printable ASCII and other valid UTF-8 (the textbook's Chinese quotes) pass
 * unchanged. A backslash is not escaped: the aim is a safe screen, not a
 * reversible encoding.
 */
#ifndef TEXTSAFE_H
#define TEXTSAFE_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

/* Room for an escaped file name or process name of a report. */
#define TEXT_SAFE_LEN 1024

/*
 * @s escaped into @buf of @len bytes, cut before the first escape or
 * character that does not fit; returns @buf. NULL prints as "(null)", as
 * printf's %s does in glibc.
 */
const char *text_safe(const char *s, char *buf, size_t len);
/* @s escaped, whole, in a new string (NULL when out of memory). */
char *text_safe_dup(const char *s);
/* @s escaped, whole, written to @out. */
void text_put(FILE *out, const char *s);
/*
 * "@who: MESSAGE\n" on stderr, the message escaped whole: for errors that
 * quote a path, an argument or a line of a file.
 */
void text_error(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A message into @buf of @len bytes, cut to fit: for reasons and evidence,
 * where the start of a long message is enough (snprintf, said plainly).
 */
void text_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* @s is valid UTF-8 (JSON strings must be). */
bool text_is_utf8(const char *s);
/*
 * A JSON string for text from outside (a file name, a comm, a command
 * line): as it is when valid UTF-8 (json-c escapes control bytes), else
 * escaped as text_safe() does, so the report stays valid JSON.
 */
struct json_object *json_text(const char *s);

#endif /* TEXTSAFE_H */
