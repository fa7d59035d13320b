// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "claims.h"
#include "textfmt.h"
#include "textsafe.h"

static const char *const verdict_names[] = {
	[V_NONE] = "none",           [V_CONFIRMED] = "confirmed",
	[V_NUANCED] = "nuanced",     [V_REFUTED] = "refuted",
	[V_UNOBSERVABLE] = "unobservable", [V_ERROR] = "error",
};

const char *verdict_name(enum verdict v)
{
	return v <= V_ERROR ? verdict_names[v] : "?";
}

enum verdict verdict_parse(const char *s)
{
	for (int v = V_CONFIRMED; v <= V_UNOBSERVABLE; v++)
		if (!strcmp(s, verdict_names[v]))
			return v;
	return V_NONE;
}

/* ---- expressions ---------------------------------------------------------- */

struct val {
	double d;
	bool null;
};

struct ev {
	const char *p;           /* cursor */
	bool eval;               /* false: check syntax and aliases only */
	const struct claim *c;
	claim_report_fn report;
	void *ctx;
	struct json_object *figures; /* records path -> value */
	char *err;               /* first error (syntax, missing run or key) */
	size_t errlen;
	int depth;               /* of ( ), function arguments and unary operators */
	char null_why[256];      /* why the first null figure is null */
};

static void ev_error(struct ev *e, const char *fmt, ...)
{
	va_list ap;

	if (e->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(e->err, e->errlen, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct ev *e)
{
	while (isspace((unsigned char)*e->p))
		e->p++;
}

static bool accept(struct ev *e, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(e);
	if (strncmp(e->p, tok, n))
		return false;
	/* "<" must not eat "<=", "=" must not be "==" half, "!" not "!=" */
	if ((n == 1 && (tok[0] == '<' || tok[0] == '>' || tok[0] == '!')) && e->p[1] == '=')
		return false;
	e->p += n;
	return true;
}

static bool path_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '@';
}

static bool has_alias(const struct claim *c, const char *alias)
{
	for (int i = 0; i < c->nruns; i++)
		if (!strcmp(c->runs[i].alias, alias))
			return true;
	return false;
}

static bool same_role(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

/* A key of @o, where '_' in @key also matches '-' (roles like "read-then-write"). */
static bool get_key(struct json_object *o, const char *key, struct json_object **v)
{
	if (json_object_object_get_ex(o, key, v))
		return true;
	if (!strchr(key, '_') || !json_object_is_type(o, json_type_object))
		return false;
	json_object_object_foreach(o, k, val) {
		if (same_role(k, key)) {
			*v = val;
			return true;
		}
	}
	return false;
}

static const char *const report_keys[] = {
	"totals", "per_unit", "phases", "whole_run", "facts", "params", "scenario", "run", NULL,
};

static bool is_report_key(const char *k)
{
	for (int i = 0; report_keys[i]; i++)
		if (!strcmp(k, report_keys[i]))
			return true;
	return false;
}

/*
 * The figures object of process @role (transfer, or @phase) in @rep; the
 * process object itself in *proc (for phase_seconds, exit_status...).
 */
static struct json_object *role_base(struct json_object *rep, const char *role, const char *phase,
				     struct json_object **proc)
{
	struct json_object *procs, *p, *v;

	if (!json_object_object_get_ex(rep, "processes", &procs))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		p = json_object_array_get_idx(procs, i);
		if (!json_object_object_get_ex(p, "role", &v) ||
		    !same_role(json_object_get_string(v), role))
			continue;
		*proc = p;
		if (!phase)
			return json_object_object_get_ex(p, "figures", &v) ? v : NULL;
		if (json_object_object_get_ex(p, "phases", &v) &&
		    json_object_object_get_ex(v, phase, &v))
			return v;
		return NULL;
	}
	return NULL;
}

/* Why figure @group.@key of figures object @base is null. */
static void null_reason(struct ev *e, struct json_object *base, struct json_object *parent,
			const char *group, const char *key, const char *path)
{
	struct json_object *why, *r;
	char k[128];

	if (e->null_why[0])
		return;
	snprintf(k, sizeof(k), "%s.%s", group ? group : "", key);
	if (base && json_object_object_get_ex(base, "unavailable", &why) &&
	    json_object_object_get_ex(why, k, &r)) {
		text_fmt(e->null_why, sizeof(e->null_why), "%s: %s", path, json_object_get_string(r));
		return;
	}
	/* dma.nic_bytes has its reason beside it: dma.nic_reason */
	snprintf(k, sizeof(k), "%.*s_reason", (int)strcspn(key, "_"), key);
	if (parent && json_object_object_get_ex(parent, k, &r)) {
		text_fmt(e->null_why, sizeof(e->null_why), "%s: %s", path, json_object_get_string(r));
		return;
	}
	text_fmt(e->null_why, sizeof(e->null_why), "%s: not available in this run", path);
}

/*
 * The object the first part of a path names in @rep, the report of run
 * @alias: a key of the report (its figures in *@base, if it has them) or a
 * role's process (its figures, ROLE@PHASE for one phase; the process in
 * *@proc). False after an error; true with *@o NULL for a null object.
 */
static bool path_root(struct ev *e, struct json_object *rep, const char *path, const char *alias,
		      char *first, struct json_object **o, struct json_object **base,
		      struct json_object **proc)
{
	struct json_object *sc;
	char *at;

	if (is_report_key(first)) {
		/* "params" is short for scenario.params */
		if (!strcmp(first, "params") && json_object_object_get_ex(rep, "scenario", &sc))
			json_object_object_get_ex(sc, "params", o);
		else if (!json_object_object_get_ex(rep, first, o)) {
			ev_error(e, "'%s': the report of run %s has no '%s'", path, alias, first);
			return false;
		}
		if (strcmp(first, "facts") && strcmp(first, "params") && strcmp(first, "scenario") &&
		    strcmp(first, "run") && strcmp(first, "phases"))
			*base = *o; /* a figures object */
		return true;
	}
	at = strchr(first, '@');
	if (at)
		*at++ = 0;
	*o = *base = role_base(rep, first, at, proc);
	if (!*o)
		ev_error(e, "'%s': no process with role '%s'%s%s in run %s", path, first,
			 at ? " or no phase " : "", at ? at : "", alias);
	return *o != NULL;
}

enum walk { WALK_FAILED, WALK_FOUND, WALK_NOT_LISTED };

/*
 * Follow the keys @tok[0..@n) from *@o (@base: the figures object they
 * start from, @proc: its process); *@parent is the last object passed.
 */
static enum walk walk_path(struct ev *e, const char *path, const char *alias, char **tok, int n,
			   struct json_object **o, struct json_object **parent,
			   const struct json_object *base, struct json_object *proc)
{
	struct json_object *next;

	for (int i = 0; i < n; i++) {
		if (!*o) {
			ev_error(e, "'%s': a null figure has no parts", path);
			return WALK_FAILED;
		}
		/* a process's own fields (phase_seconds, exit_status) beside its figures */
		if (i == 0 && proc && *o == base && !json_object_object_get_ex(*o, tok[0], NULL))
			*o = proc;
		if (!get_key(*o, tok[i], &next)) {
			/* syscalls not made are not listed */
			if (i > 0 && !strcmp(tok[i - 1], "syscalls_by_name"))
				return WALK_NOT_LISTED;
			ev_error(e, "'%s': the report of run %s has no '%s'", path, alias, tok[i]);
			return WALK_FAILED;
		}
		*parent = *o;
		*o = next;
	}
	return WALK_FOUND;
}

/* The number @o holds into @v (a boolean is 0 or 1); false after an error. */
static bool number_of(struct ev *e, struct json_object *o, const char *path, struct val *v)
{
	if (json_object_is_type(o, json_type_boolean))
		v->d = json_object_get_boolean(o);
	else if (json_object_is_type(o, json_type_int) || json_object_is_type(o, json_type_double))
		v->d = json_object_get_double(o);
	else {
		ev_error(e, "'%s' is not a number", path);
		return false;
	}
	return true;
}

/* The value at @path, ALIAS.WHAT..., in the report of run ALIAS; recorded in e->figures. */
static struct val lookup(struct ev *e, const char *path)
{
	struct val v = { 0, false };
	char buf[256], *save = NULL, *alias, *first, *tok[16];
	struct json_object *rep, *o = NULL, *base = NULL, *parent = NULL, *proc = NULL;
	enum walk w;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", path);
	alias = strtok_r(buf, ".", &save);
	first = strtok_r(NULL, ".", &save);
	if (!alias || !first) {
		ev_error(e, "'%s': a path is ALIAS.WHAT...", path);
		return v;
	}
	if (!has_alias(e->c, alias)) {
		ev_error(e, "'%s': no run named '%s' in this claim", path, alias);
		return v;
	}
	while (n < 16 && (tok[n] = strtok_r(NULL, ".", &save)))
		n++;
	if (!e->eval)
		return v;
	rep = e->report(e->c, alias, e->ctx);
	if (!rep) {
		ev_error(e, "run %s did not produce a report", alias);
		return v;
	}
	if (!path_root(e, rep, path, alias, first, &o, &base, &proc))
		return v;
	w = walk_path(e, path, alias, tok, n, &o, &parent, base, proc);
	if (w == WALK_FAILED)
		return v;
	if (w == WALK_FOUND && !o) {
		v.null = true;
		null_reason(e, base, parent, n >= 2 ? tok[n - 2] : NULL, n ? tok[n - 1] : first, path);
	} else if (w == WALK_FOUND && !number_of(e, o, path, &v)) {
		return v;
	}
	if (e->figures)
		json_object_object_add(e->figures, path,
				       v.null ? NULL : json_object_new_double(v.d));
	return v;
}

static struct val expr_or(struct ev *e);

/*
 * @f one level deeper into the expression: the parser recurses, so a file
 * of 10,000 '(' or a million '-' would overflow the stack without a bound.
 */
static struct val deeper(struct ev *e, struct val (*f)(struct ev *))
{
	struct val v = { 0, false };

	if (e->depth >= CLAIM_MAX_DEPTH) {
		ev_error(e, "expression nested deeper than %d levels", CLAIM_MAX_DEPTH);
		e->p += strlen(e->p); /* read no further: the first error is the one said */
		return v;
	}
	e->depth++;
	v = f(e);
	e->depth--;
	return v;
}

static struct val primary(struct ev *e)
{
	struct val v = { 0, false };
	char name[256];
	size_t n = 0;

	skip_ws(e);
	if (accept(e, "(")) {
		v = deeper(e, expr_or);
		if (!accept(e, ")"))
			ev_error(e, "missing ')' at '%.20s'", e->p);
		return v;
	}
	if (isdigit((unsigned char)*e->p)) {
		char *end;

		v.d = strtod(e->p, &end);
		e->p = end;
		return v;
	}
	while (path_char(e->p[n]) && n + 1 < sizeof(name))
		n++;
	if (!n) {
		ev_error(e, "expected a number, a path or '(' at '%.20s'", *e->p ? e->p : "end");
		if (*e->p)
			e->p++;
		return v;
	}
	memcpy(name, e->p, n);
	name[n] = 0;
	e->p += n;
	if (accept(e, "(")) {
		struct val a, b = { 0, false };
		bool two = strcmp(name, "abs");

		if (strcmp(name, "min") && strcmp(name, "max") && two) {
			ev_error(e, "unknown function %s()", name);
			return v;
		}
		a = deeper(e, expr_or);

		if (two && !accept(e, ","))
			ev_error(e, "%s() takes two arguments", name);
		if (two)
			b = deeper(e, expr_or);
		if (!accept(e, ")"))
			ev_error(e, "missing ')' after %s(", name);
		v.null = a.null || b.null;
		if (!strcmp(name, "min"))
			v.d = a.d < b.d ? a.d : b.d;
		else if (!strcmp(name, "max"))
			v.d = a.d > b.d ? a.d : b.d;
		else
			v.d = fabs(a.d);
		return v;
	}
	if (!strchr(name, '.')) {
		ev_error(e, "'%s' is not a path (ALIAS.WHAT...)", name);
		return v;
	}
	return lookup(e, name);
}

static struct val unary(struct ev *e)
{
	struct val v;

	if (accept(e, "-")) {
		v = deeper(e, unary);
		v.d = -v.d;
		return v;
	}
	if (accept(e, "!")) {
		v = deeper(e, unary);
		v.d = !v.d;
		return v;
	}
	return primary(e);
}

static struct val binop(struct val a, struct val b, char op)
{
	struct val v = { 0, a.null || b.null };

	switch (op) {
	case '+': v.d = a.d + b.d; break;
	case '-': v.d = a.d - b.d; break;
	case '*': v.d = a.d * b.d; break;
	case '/': v.d = b.d != 0 ? a.d / b.d : NAN; break;
	}
	return v;
}

static struct val product(struct ev *e)
{
	struct val v = unary(e);

	for (;;) {
		if (accept(e, "*"))
			v = binop(v, unary(e), '*');
		else if (accept(e, "/"))
			v = binop(v, unary(e), '/');
		else
			return v;
	}
}

static struct val sum(struct ev *e)
{
	struct val v = product(e);

	for (;;) {
		if (accept(e, "+"))
			v = binop(v, product(e), '+');
		else if (accept(e, "-"))
			v = binop(v, product(e), '-');
		else
			return v;
	}
}

/* Equality of figures that are doubles: exact for counts, 1e-9 relative otherwise. */
static bool equal(double a, double b)
{
	return a == b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static struct val compare(struct ev *e)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">" };
	struct val a = sum(e), b, v;

	for (int i = 0; i < 6; i++) {
		if (!accept(e, ops[i]))
			continue;
		b = sum(e);
		v.null = a.null || b.null;
		switch (i) {
		case 0: v.d = equal(a.d, b.d); break;
		case 1: v.d = !equal(a.d, b.d); break;
		case 2: v.d = a.d <= b.d || equal(a.d, b.d); break;
		case 3: v.d = a.d >= b.d || equal(a.d, b.d); break;
		case 4: v.d = a.d < b.d && !equal(a.d, b.d); break;
		default: v.d = a.d > b.d && !equal(a.d, b.d); break;
		}
		return v;
	}
	return a;
}

static struct val expr_and(struct ev *e)
{
	struct val v = compare(e), b;

	while (accept(e, "&&")) {
		b = compare(e);
		/* false && null is false: a figure that cannot matter is not needed */
		v.null = (v.null && !(!b.null && !b.d)) || (b.null && !(!v.null && !v.d));
		v.d = v.d && b.d;
	}
	return v;
}

static struct val expr_or(struct ev *e)
{
	struct val v = expr_and(e), b;

	while (accept(e, "||")) {
		b = expr_and(e);
		v.null = (v.null && !(!b.null && b.d)) || (b.null && !(!v.null && v.d));
		v.d = v.d || b.d;
	}
	return v;
}

/* Parse (and with e->eval, evaluate) a whole expression. */
static struct val expression(struct ev *e, const char *text)
{
	struct val v;

	e->p = text;
	v = expr_or(e);
	skip_ws(e);
	if (*e->p)
		ev_error(e, "unexpected '%.20s'", e->p);
	return v;
}

int claim_expr_eval(const char *expr, claim_report_fn report, const struct claim *c, void *ctx,
		    double *value, char *why, size_t whylen)
{
	struct ev e = { .eval = true, .c = c, .report = report, .ctx = ctx, .err = why,
			.errlen = whylen };
	struct val v;

	why[0] = 0;
	v = expression(&e, expr);
	if (why[0])
		return -1;
	if (v.null) {
		snprintf(why, whylen, "%s", e.null_why);
		return 1;
	}
	*value = v.d;
	return 0;
}

static char *trim(char *s);

/* ---- evidence templates --------------------------------------------------- */

/*
 * A number of the evidence as every text output prints one (textfmt.h):
 * grouped by thousands, at most 3 decimals; within 1e-9 of a whole number,
 * that number (1/3*3 is 1).
 */
static void format_number(double d, char *buf, size_t len)
{
	if (isfinite(d) && fabs(d - round(d)) < 1e-9 && fabs(d) < 1e15)
		fmt_count(llround(d), buf, len);
	else
		fmt_real(d, buf, len); /* NaN: n/a */
}

/* Fill the {expr} holes of @tmpl; with !e->eval only check them. */
static void render(struct ev *e, const char *tmpl, char *out, size_t len, bool *null)
{
	size_t o = 0;

	for (const char *p = tmpl; *p;) {
		const char *close;
		char ex[512], num[64];
		struct val v;

		if (*p != '{') {
			if (o + 1 < len)
				out[o++] = *p;
			p++;
			continue;
		}
		close = strchr(p, '}');
		if (!close || (size_t)(close - p - 1) >= sizeof(ex)) {
			ev_error(e, "evidence: '{' without '}'");
			break;
		}
		snprintf(ex, sizeof(ex), "%.*s", (int)(close - p - 1), p + 1);
		v = expression(e, ex);
		if (v.null)
			*null = true;
		if (v.null)
			snprintf(num, sizeof(num), "n/a");
		else
			format_number(v.d, num, sizeof(num));
		o += snprintf(out + o, o < len ? len - o : 0, "%s", num);
		if (o >= len)
			o = len - 1;
		p = close + 1;
	}
	if (len)
		out[o < len ? o : len - 1] = 0;
}

/*
 * The chart: "LABEL: TEXTBOOK = EXPR; ..."; with e->eval, its bars as JSON
 * (measured null when the figure is), else only checked.
 */
static struct json_object *chart(struct ev *e, const char *spec)
{
	struct json_object *arr = e->eval ? json_object_new_array() : NULL;
	char buf[1024], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *bar = strtok_r(buf, ";", &save); bar && !e->err[0]; bar = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(bar, ':'), *eq = colon ? strchr(colon, '=') : NULL, *end;
		double textbook;
		struct val v;

		if (!colon || !eq) {
			ev_error(e, "chart: a bar is 'LABEL: TEXTBOOK = EXPR'");
			break;
		}
		*colon = *eq = 0;
		textbook = strtod(colon + 1, &end);
		if (end == colon + 1 || *trim(end)) {
			ev_error(e, "chart: '%s' needs a textbook number", trim(bar));
			break;
		}
		v = expression(e, eq + 1);
		if (arr && !e->err[0]) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "label", json_object_new_string(trim(bar)));
			json_object_object_add(o, "textbook", json_object_new_double(textbook));
			json_object_object_add(o, "measured", v.null ? NULL : json_object_new_double(v.d));
			json_object_array_add(arr, o);
		}
	}
	return arr;
}

void claim_evaluate(const struct claim *c, claim_report_fn report, void *ctx,
		    struct claim_result *res)
{
	char err[512] = "", text[sizeof(res->evidence)];
	struct ev e = { .eval = true, .c = c, .report = report, .ctx = ctx, .err = err,
			.errlen = sizeof(err) };
	bool null = false;

	res->verdict = V_NONE;
	res->figures = e.figures = json_object_new_object();
	res->chart = NULL;
	render(&e, c->evidence, text, sizeof(text), &null);
	if (c->chart && !err[0]) {
		bool was_null = e.null_why[0];

		res->chart = chart(&e, c->chart);
		if (!was_null) /* a chart's missing figure is not the verdict's reason */
			e.null_why[0] = 0;
	}
	for (int i = 0; i < c->nrules && !err[0]; i++) {
		struct val v = expression(&e, c->rules[i].expr);

		if (err[0])
			break;
		if (v.null) {
			res->verdict = V_UNOBSERVABLE;
			break;
		}
		if (v.d) {
			res->verdict = c->rules[i].verdict;
			break;
		}
	}
	if (err[0]) {
		res->verdict = V_ERROR;
		snprintf(res->evidence, sizeof(res->evidence), "cannot decide: %s", err);
		return;
	}
	if (res->verdict == V_NONE)
		res->verdict = c->otherwise;
	if (res->verdict == V_UNOBSERVABLE && !e.null_why[0]) /* by a rule: every figure was there */
		text_fmt(res->evidence, sizeof(res->evidence), "inconclusive: %s", text);
	else if (res->verdict == V_UNOBSERVABLE)
		text_fmt(res->evidence, sizeof(res->evidence), "%s (measured: %s)", e.null_why, text);
	else
		snprintf(res->evidence, sizeof(res->evidence), "%s", text);
}

/* ---- the file ------------------------------------------------------------- */

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int fail(char *err, size_t len, const char *name, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, len, "%s:%d: ", name, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < len)
		vsnprintf(err + n, len - n, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * The value an indented line continues, with its length and room: measured
 * and grown by doubling, so that appending stays linear however many lines
 * a value has.
 */
struct cont {
	char **s;
	size_t len, cap;
};

static void cont_start(struct cont *k, char **field)
{
	k->s = field;
	k->len = *field ? strlen(*field) : 0;
	k->cap = k->len + 1;
}

/* Append a continuation line to the value. */
static void append(struct cont *k, const char *more)
{
	size_t b = strlen(more), need = k->len + b + 2;

	if (!*k->s)
		return; /* out of memory when the value was made */
	if (need > k->cap) {
		size_t cap = need > 2 * k->cap ? need : 2 * k->cap;
		char *s = realloc(*k->s, cap);

		if (!s)
			return;
		*k->s = s;
		k->cap = cap;
	}
	(*k->s)[k->len] = ' ';
	memcpy(*k->s + k->len + 1, more, b + 1);
	k->len += b + 1;
}

/* Check a finished claim: required keys, syntax of every expression. */
static int check_claim(const struct claim *c, const char *name, char *err, size_t len)
{
	char msg[512] = "";
	struct ev e = { .eval = false, .c = c, .err = msg, .errlen = sizeof(msg) };
	char out[64];
	bool null = false;

	if (!c->quote || !c->statement || !c->evidence)
		return fail(err, len, name, c->line, "[%s] needs quote, statement and evidence", c->id);
	if (!c->nruns)
		return fail(err, len, name, c->line, "[%s] names no run", c->id);
	if (!c->nrules && !c->otherwise)
		return fail(err, len, name, c->line, "[%s] has no verdict rule", c->id);
	for (int i = 0; i < c->nrules; i++) {
		expression(&e, c->rules[i].expr);
		if (msg[0])
			return fail(err, len, name, c->rules[i].line, "%s", msg);
	}
	render(&e, c->evidence, out, sizeof(out), &null);
	if (msg[0])
		return fail(err, len, name, c->evidence_line, "%s", msg);
	if (c->chart)
		chart(&e, c->chart);
	if (msg[0])
		return fail(err, len, name, c->chart_line, "%s", msg);
	return 0;
}

static int set_key(struct claim *c, char *key, char *val, int line, const char *name, char *err,
		   size_t len, struct cont *cont)
{
	char **field = NULL;
	enum verdict v;

	if (!strncmp(key, "run ", 4)) {
		char *alias = trim(key + 4);

		if (c->nruns == CLAIM_MAX_RUNS)
			return fail(err, len, name, line, "too many runs (at most %d)", CLAIM_MAX_RUNS);
		if (!*alias || strlen(alias) >= sizeof(c->runs[0].alias) || strpbrk(alias, ". @"))
			return fail(err, len, name, line, "bad run alias '%s'", alias);
		for (int i = 0; i < c->nruns; i++)
			if (!strcmp(c->runs[i].alias, alias))
				return fail(err, len, name, line, "run '%s' named twice", alias);
		if (!*val)
			return fail(err, len, name, line, "run '%s' needs a scenario", alias);
		snprintf(c->runs[c->nruns].alias, sizeof(c->runs[0].alias), "%s", alias);
		c->runs[c->nruns].spec = strdup(val);
		c->runs[c->nruns].line = line;
		cont_start(cont, &c->runs[c->nruns++].spec);
		return 0;
	}
	if (!strcmp(key, "otherwise")) {
		c->otherwise = verdict_parse(val);
		if (!c->otherwise)
			return fail(err, len, name, line, "unknown verdict '%s'", val);
		cont->s = NULL;
		return 0;
	}
	v = verdict_parse(key);
	if (v) {
		if (c->nrules == CLAIM_MAX_RULES)
			return fail(err, len, name, line, "too many rules (at most %d)", CLAIM_MAX_RULES);
		c->rules[c->nrules] = (struct claim_rule){ v, strdup(val), line };
		cont_start(cont, &c->rules[c->nrules++].expr);
		return 0;
	}
	if (!strcmp(key, "quote"))
		field = &c->quote;
	else if (!strcmp(key, "statement"))
		field = &c->statement;
	else if (!strcmp(key, "section"))
		field = &c->section;
	else if (!strcmp(key, "evidence")) {
		field = &c->evidence;
		c->evidence_line = line;
	} else if (!strcmp(key, "chart")) {
		field = &c->chart;
		c->chart_line = line;
	} else
		return fail(err, len, name, line, "unknown key '%s'", key);
	if (*field)
		return fail(err, len, name, line, "'%s' given twice", key);
	*field = strdup(val);
	cont_start(cont, field);
	return 0;
}

/* The state of one parse. */
struct parser {
	struct claims *out;
	int cap;                 /* claims out->v has room for */
	struct json_object *ids; /* a set: a scan of the claims so far made the parse quadratic */
	struct cont cont;        /* what an indented line continues */
	const char *name;
	char *err;
	size_t len;
};

/* "[ID]" (@s, trimmed) at line @lineno: the claim before it checked, a new one begun. */
static int new_claim(struct parser *ps, char *s, int lineno)
{
	struct claims *out = ps->out;
	char *end = strchr(s, ']');
	struct claim *c;

	if (out->n && check_claim(&out->v[out->n - 1], ps->name, ps->err, ps->len))
		return -1;
	if (!end || end[1] || end == s + 1)
		return fail(ps->err, ps->len, ps->name, lineno, "expected [claim.id]");
	*end = 0;
	if (json_object_object_get_ex(ps->ids, s + 1, NULL))
		return fail(ps->err, ps->len, ps->name, lineno, "claim %s defined twice", s + 1);
	if (out->n == ps->cap) {
		int cap = ps->cap ? 2 * ps->cap : 16;

		c = realloc(out->v, cap * sizeof(*c));
		if (!c)
			return fail(ps->err, ps->len, ps->name, lineno, "out of memory");
		out->v = c;
		ps->cap = cap;
	}
	c = &out->v[out->n++];
	memset(c, 0, sizeof(*c));
	c->id = strdup(s + 1);
	c->line = lineno;
	json_object_object_add(ps->ids, s + 1, NULL);
	return 0;
}

/* One line (@line, its end cut off) of the file. */
static int parse_line(struct parser *ps, char *line, int lineno)
{
	struct claims *out = ps->out;
	char *s = trim(line), *eq;

	if (!*s || *s == '#')
		return 0;
	if (isspace((unsigned char)*line)) { /* continuation of the last value */
		if (!ps->cont.s)
			return fail(ps->err, ps->len, ps->name, lineno, "indented line continues nothing");
		append(&ps->cont, s);
		return 0;
	}
	ps->cont.s = NULL;
	if (*s == '[')
		return new_claim(ps, s, lineno);
	if (!out->n)
		return fail(ps->err, ps->len, ps->name, lineno, "expected [claim.id] before '%s'", s);
	eq = strchr(s, '=');
	if (!eq || (eq > s && (eq[-1] == '!' || eq[-1] == '<' || eq[-1] == '>')))
		return fail(ps->err, ps->len, ps->name, lineno, "expected 'key = value'");
	*eq = 0;
	return set_key(&out->v[out->n - 1], trim(s), trim(eq + 1), lineno, ps->name, ps->err,
		       ps->len, &ps->cont);
}

int claims_parse(const char *text, const char *name, struct claims *out, char *err, size_t len)
{
	struct parser ps = { .out = out, .ids = json_object_new_object(), .name = name, .err = err,
			     .len = len };
	char *copy = strdup(text ? text : ""), *save = NULL;
	int lineno = 0, rc = 0;

	memset(out, 0, sizeof(*out));
	for (char *p = copy; p && rc == 0; p = save) {
		char *eol = strchr(p, '\n');

		save = eol ? eol + 1 : NULL;
		if (eol)
			*eol = 0;
		rc = parse_line(&ps, p, ++lineno);
	}
	if (!rc && out->n)
		rc = check_claim(&out->v[out->n - 1], name, err, len);
	if (!rc && !out->n)
		rc = fail(err, len, name, lineno, "no claims");
	free(copy);
	json_object_put(ps.ids);
	if (rc)
		claims_free(out);
	return rc;
}

void claims_free(struct claims *cl)
{
	for (int i = 0; i < cl->n; i++) {
		struct claim *c = &cl->v[i];

		free(c->id);
		free(c->section);
		free(c->quote);
		free(c->statement);
		free(c->evidence);
		free(c->chart);
		for (int r = 0; r < c->nruns; r++)
			free(c->runs[r].spec);
		for (int r = 0; r < c->nrules; r++)
			free(c->rules[r].expr);
	}
	free(cl->v);
	cl->v = NULL;
	cl->n = 0;
}
