// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * docs/schema/figures.json from the registries (user/figures.def,
 * user/attach.def): the JSON Schema (draft 2020-12) of a figures object
 * ("totals", "per_unit", "phases.<phase>", "whole_run", a process's
 * "figures"), each key with its description, and of the attach point names
 * of "probes". The envelopes (docs/schema/report.json, verify.json ...)
 * refer to its $defs. `make docs` writes it, `make check-docs` fails when
 * the checked-in file differs from what this prints.
 *
 * Strict where the registry says: every key of a figures object is
 * required and no other is allowed; a count is null only when one of its
 * attach points can be missing (not required, or left out by trace
 * --figures), and then "unavailable" must hold the reason under its path.
 */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "ledger.h"
#include "probe.h"
#include "registry.h"
#include "report.h"

static struct json_object *obj(void)
{
	return json_object_new_object();
}

static struct json_object *str(const char *s)
{
	return json_object_new_string(s);
}

static void set(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

/* {"$ref": "#/$defs/NAME"}, with @desc when not NULL */
static struct json_object *ref(const char *name, const char *desc)
{
	struct json_object *o = obj();
	char r[64];

	snprintf(r, sizeof(r), "#/$defs/%s", name);
	set(o, "$ref", str(r));
	if (desc)
		set(o, "description", str(desc));
	return o;
}

/* An object of exactly the properties @props (each required). */
static struct json_object *closed(struct json_object *props, const char *desc)
{
	struct json_object *o = obj(), *req = json_object_new_array();

	if (desc)
		set(o, "description", str(desc));
	set(o, "type", str("object"));
	json_object_object_foreach(props, k, v) {
		(void)v;
		json_object_array_add(req, str(k));
	}
	set(o, "properties", props);
	set(o, "required", req);
	set(o, "additionalProperties", json_object_new_boolean(false));
	return o;
}

/* An object whose keys match @names (a schema) and whose values are @values. */
static struct json_object *map(struct json_object *names, struct json_object *values,
			       const char *desc)
{
	struct json_object *o = obj();

	set(o, "description", str(desc));
	set(o, "type", str("object"));
	set(o, "propertyNames", names);
	set(o, "additionalProperties", values);
	return o;
}

static struct json_object *pattern(const char *re)
{
	struct json_object *o = obj();

	set(o, "pattern", str(re));
	return o;
}

/* Whether a figure needing @ids can be null: one of them can be missing. */
static bool can_be_missing(const enum attach_id *ids, int n)
{
	for (int i = 0; i < n; i++)
		if (!attach_defs[ids[i]].required || attach_defs[ids[i]].group != FG_CORE)
			return true;
	return false;
}

/* "LABEL: HOW (METHOD)" of a row */
static struct json_object *describe(const struct figure_def *d)
{
	char s[1024];

	snprintf(s, sizeof(s), "%s: %s (%s)", d->label + strspn(d->label, " "), d->how,
		 method_name(d->method));
	return str(s);
}

/* observed_copies.<site>, as report.c's observed_json() writes it */
static struct json_object *site_schema(int s)
{
	bool fexit = s < NR_OBS_FEXIT;
	struct json_object *p = obj();
	char d[256];

	set(p, "method", ref("site_method", NULL));
	for (int c = 0; c < (fexit ? NR_ITER_CLASSES : 1); c++) {
		snprintf(d, sizeof(d), "bytes %s copied by %s, through iov_iters of this class",
			 obs_sites[s].label, attach_defs[obs_sites[s].point].target);
		set(p, iter_class_keys[c], ref(can_be_missing(&obs_sites[s].point, 1) ? "count_or_null" : "count", d));
	}
	set(p, "derived_user_bytes",
	    ref("count", "what the ledger says this caller copied to or from user memory"));
	if (fexit)
		set(p, "derived_kernel_bytes",
		    ref("count", "what the ledger says this caller copied inside the kernel"));
	snprintf(d, sizeof(d), "copies observed %s", obs_sites[s].label);
	return closed(p, d);
}

static struct json_object *observed_schema(const struct figure_def *d)
{
	struct json_object *p = obj(), *desc = describe(d);

	for (int s = 0; s < NR_OBS_SITES; s++)
		set(p, obs_sites[s].key, site_schema(s));
	p = closed(p, json_object_get_string(desc));
	json_object_put(desc);
	return p;
}

static struct json_object *by_kind_schema(struct json_object *desc)
{
	struct json_object *kinds = json_object_new_array(), *names = obj(), *io = obj();

	for (int k = FD_REG; k < NR_FD_KINDS; k++)
		json_object_array_add(kinds, str(fd_kind_name(k)));
	set(names, "enum", kinds);
	set(io, "read_bytes", ref("count", "bytes read out of fds of this kind"));
	set(io, "reads", ref("count", "calls that read out of them"));
	set(io, "write_bytes", ref("count", "bytes written into fds of this kind"));
	set(io, "writes", ref("count", "calls that wrote into them"));
	return map(names, closed(io, NULL), json_object_get_string(desc));
}

static struct json_object *vm_peers_schema(struct json_object *desc)
{
	struct json_object *io = obj();

	set(io, "read_bytes", ref("count", "copied from the peer into the caller (process_vm_readv)"));
	set(io, "write_bytes", ref("count", "copied from the caller into the peer (process_vm_writev)"));
	return map(pattern("^([1-9][0-9]*|others)$"), closed(io, NULL), json_object_get_string(desc));
}

/* The schema of one figure of the registry, by its shape. */
static struct json_object *figure_schema(const struct figure_def *d)
{
	struct json_object *desc = describe(d), *o;

	switch (d->shape) {
	case FS_COUNT:
		o = ref(can_be_missing(d->points, d->npoints) ? "count_or_null" : "count",
			json_object_get_string(desc));
		break;
	case FS_CELL:
		o = ref(can_be_missing(d->points, d->npoints) ? "cell_or_null" : "cell",
			json_object_get_string(desc));
		break;
	case FS_BY_NAME:
	case FS_UNACCOUNTED:
		o = map(pattern("^[a-z_][a-z0-9_]*$"), ref("count", NULL), json_object_get_string(desc));
		break;
	case FS_VM_PEERS:
		o = vm_peers_schema(desc);
		break;
	case FS_NIC:
		o = obj();
		set(o, "description", json_object_get(desc));
		set(o, "type", str("null"));
		break;
	case FS_BY_KIND:
		o = by_kind_schema(desc);
		break;
	default:
		o = observed_schema(d);
		break;
	}
	json_object_put(desc);
	return o;
}

/* {"properties": {KEY: SCHEMA}} */
static struct json_object *at_key(const char *key, struct json_object *schema)
{
	struct json_object *o = obj(), *props = obj();

	set(props, key, schema);
	set(o, "properties", props);
	return o;
}

/* [NAME] */
static struct json_object *one(const char *name)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, str(name));
	return a;
}

/* {"required": [NAME]} */
static struct json_object *requires(const char *name)
{
	struct json_object *o = obj();

	set(o, "required", one(name));
	return o;
}

/* {"if": COND, "then": THEN} */
static struct json_object *if_then(struct json_object *cond, struct json_object *then)
{
	struct json_object *o = obj();

	set(o, "if", cond);
	set(o, "then", then);
	return o;
}

/* if figures[group][key] (or figures[key]) is null then unavailable[path] is there */
static struct json_object *reason_rule(const char *group, const char *key, const char *path)
{
	struct json_object *isnull = obj(), *cond;

	set(isnull, "type", str("null"));
	cond = at_key(key, isnull);
	if (*group)
		cond = at_key(group, cond);
	return if_then(cond, at_key("unavailable", requires(path)));
}

/* observed_copies.<site>.<key> null: its reason under "<site>.<key>" */
static void observed_rules(struct json_object *rules, struct json_object *paths)
{
	for (int s = 0; s < NR_OBS_SITES; s++) {
		for (int c = 0; c < (s < NR_OBS_FEXIT ? NR_ITER_CLASSES : 1); c++) {
			struct json_object *r;
			char path[96];

			snprintf(path, sizeof(path), "%s.%s", obs_sites[s].key, iter_class_keys[c]);
			json_object_array_add(paths, str(path));
			r = reason_rule(obs_sites[s].key, iter_class_keys[c], path);
			/* one level deeper: figures.observed_copies.<site>.<key> */
			set(r, "if", at_key("observed_copies",
					    json_object_get(json_object_object_get(r, "if"))));
			json_object_array_add(rules, r);
		}
	}
}

/* The unavailable object: a reason per null figure, by path. */
static struct json_object *unavailable_schema(struct json_object *paths)
{
	struct json_object *names = obj(), *why = obj();

	set(names, "enum", paths);
	set(why, "type", str("string"));
	set(why, "minLength", json_object_new_int(1));
	return map(names, why,
		   "why each null figure is null, by its path: the first of its attach points "
		   "that is missing or left out (trace --figures), and the kernel's or "
		   "ipctrace's reason");
}

/* Adds figure @d to @props (inside its group object, made when first met). */
static void add_figure(struct json_object *props, const struct figure_def *d,
		       struct json_object *rules, struct json_object *paths)
{
	char group[64];
	struct json_object *g = props;

	figure_group_name(d, group, sizeof(group));
	if (*group) {
		struct json_object *o = json_object_object_get(props, group);

		if (!o) {
			o = closed(obj(), NULL);
			set(props, group, o);
		}
		g = json_object_object_get(o, "properties");
		json_object_array_add(json_object_object_get(o, "required"), str(figure_key(d)));
	}
	set(g, figure_key(d), figure_schema(d));
	if (d->shape == FS_NIC) {
		set(g, "nic_reason", ref("reason", "why dma.nic_bytes is null: the scenario says"));
		json_object_array_add(json_object_object_get(json_object_object_get(props, group),
							     "required"),
				      str("nic_reason"));
	}
	if ((d->shape == FS_COUNT || d->shape == FS_CELL) && can_be_missing(d->points, d->npoints)) {
		json_object_array_add(rules, reason_rule(group, figure_key(d), d->path));
		json_object_array_add(paths, str(d->path));
	}
}

static struct json_object *figures_schema(void)
{
	struct json_object *props = obj(), *rules = json_object_new_array();
	struct json_object *paths = json_object_new_array(), *o;

	for (int i = 0; i < NR_FIGURES; i++)
		add_figure(props, &figure_defs[i], rules, paths);
	observed_rules(rules, paths);
	set(props, "unavailable", unavailable_schema(paths));
	o = closed(props, "every figure of user/figures.def, in its order (docs/figures.md)");
	set(o, "allOf", rules);
	return o;
}

static struct json_object *cell_schema(void)
{
	struct json_object *p = obj(), *o;

	set(p, "bytes", ref("count", "bytes moved this way"));
	set(p, "ops", ref("count", "calls (or ops) that moved them"));
	set(p, "method", ref("method", NULL));
	o = closed(p, "a cell of the copy ledger");
	/* not required: there only when it differs from bytes */
	set(p, "derived_bytes",
	    ref("count", "the syscall-derived figure, only where it differs from bytes"));
	return o;
}

static struct json_object *method_schema(void)
{
	struct json_object *o = obj(), *e = json_object_new_array();

	for (int m = M_UNAVAILABLE; m <= M_NONE; m++)
		json_object_array_add(e, str(method_name(m)));
	set(o, "description", str("how the cell's bytes were obtained"));
	set(o, "enum", e);
	return o;
}

/* Adds attach point @name to @names, and the rule that its "unavailable" has a reason. */
static void probe_name(struct json_object *names, struct json_object *rules, const char *name)
{
	struct json_object *is = obj(), *probes;

	json_object_array_add(names, str(name));
	set(is, "const", str("unavailable"));
	probes = at_key(name, is);
	set(probes, "required", one(name));
	json_object_array_add(rules, if_then(at_key("probes", probes),
					    at_key("probe_reasons", requires(name))));
}

/*
 * Every name a probes key can take: each attach target, its alternatives,
 * and the target as written ("a|b") when none of them was found; and the
 * rules that an unavailable one has its reason in probe_reasons.
 */
static void probe_schemas(struct json_object *defs)
{
	struct json_object *o = obj(), *e = json_object_new_array(), *rules = json_object_new_array();
	struct json_object *r = obj();
	char name[128];

	for (int i = 0; i < NR_ATTACH_POINTS; i++) {
		const char *s = attach_defs[i].target;

		if (strchr(s, '|'))
			probe_name(e, rules, s);
		for (size_t n; *s; s += n + (s[n] == '|')) {
			n = strcspn(s, "|");
			snprintf(name, sizeof(name), "%.*s", (int)n, s);
			probe_name(e, rules, name);
		}
	}
	set(o, "description", str("an attach point of user/attach.def, by the name found (the "
				  "target as written when none of its names was)"));
	set(o, "enum", e);
	set(defs, "probe_name", o);
	set(r, "description", str("probes and probe_reasons of a header: an unavailable attach "
				  "point has its reason"));
	set(r, "allOf", rules);
	set(defs, "probe_reasons_given", r);
}

static struct json_object *count_schemas(struct json_object *defs)
{
	struct json_object *c = obj(), *cn = obj(), *t = json_object_new_array(), *r = obj();

	set(c, "type", str("number"));
	set(c, "minimum", json_object_new_int(0));
	set(defs, "count", c);
	json_object_array_add(t, str("number"));
	json_object_array_add(t, str("null"));
	set(cn, "type", t);
	set(cn, "minimum", json_object_new_int(0));
	set(cn, "$comment", str("null: an attach point it needs is missing; the reason is under "
				"unavailable.<path>"));
	set(defs, "count_or_null", cn);
	set(r, "type", str("string"));
	set(r, "minLength", json_object_new_int(1));
	set(defs, "reason", r);
	r = obj();
	set(r, "type", str("string"));
	set(r, "pattern", str("^(unavailable|fexit on .+|tracepoint .+)$"));
	set(defs, "site_method", r);
	return defs;
}

/* $defs/@name or null: an attach point the figure needs is missing (the reason under unavailable). */
static struct json_object *or_null(const char *name)
{
	struct json_object *o = obj(), *any = json_object_new_array(), *n = obj();

	json_object_array_add(any, ref(name, NULL));
	set(n, "type", str("null"));
	json_object_array_add(any, n);
	set(o, "anyOf", any);
	return o;
}

/* In @o, every $ref to a count or a cell made a $ref to its whole-number twin. */
static void to_whole(struct json_object *o)
{
	static const char *const from[][2] = {
		{ "#/$defs/count", "#/$defs/whole" },
		{ "#/$defs/count_or_null", "#/$defs/whole_or_null" },
		{ "#/$defs/cell", "#/$defs/whole_cell" },
		{ "#/$defs/cell_or_null", "#/$defs/whole_cell_or_null" },
	};

	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			to_whole(json_object_array_get_idx(o, i));
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, k, v) {
		for (size_t i = 0; !strcmp(k, "$ref") && i < sizeof(from) / sizeof(from[0]); i++)
			if (!strcmp(json_object_get_string(v), from[i][0])) {
				json_object_set_string(v, from[i][1]);
				break;
			}
		to_whole(v);
	}
}

/*
 * $defs/counts: the figures object of totals, phases, whole_run and a
 * process, whose numbers are whole (per_unit alone divides): the figures
 * schema with whole numbers for counts, one pass over the report instead of
 * a second, recursive check.
 */
static void whole_schemas(struct json_object *defs)
{
	struct json_object *w = NULL, *wn = NULL, *t = json_object_new_array();

	json_object_deep_copy(json_object_object_get(defs, "count"), &w, NULL);
	json_object_object_add(w, "type", str("integer"));
	set(defs, "whole", w);
	json_object_deep_copy(json_object_object_get(defs, "count_or_null"), &wn, NULL);
	json_object_array_add(t, str("integer"));
	json_object_array_add(t, str("null"));
	json_object_object_add(wn, "type", t);
	set(defs, "whole_or_null", wn);
	w = NULL;
	json_object_deep_copy(json_object_object_get(defs, "cell"), &w, NULL);
	to_whole(w);
	set(defs, "whole_cell", w);
	set(defs, "whole_cell_or_null", or_null("whole_cell"));
	w = NULL;
	json_object_deep_copy(json_object_object_get(defs, "figures"), &w, NULL);
	to_whole(w);
	json_object_object_add(w, "description",
			       str("a figures object of counts, every number whole: totals, "
				   "phases, whole_run, a process's figures"));
	set(defs, "counts", w);
}

int main(void)
{
	struct json_object *root = obj(), *defs = obj();

	set(root, "$schema", str("https://json-schema.org/draft/2020-12/schema"));
	set(root, "$comment", str("Generated by `make docs` (tools/figschema.c) from "
				  "user/figures.def and user/attach.def; `make check-docs` checks "
				  "it. Do not edit: edit the registry."));
	set(root, "title", str("ipctrace figures"));
	count_schemas(defs);
	set(defs, "method", method_schema());
	set(defs, "cell", cell_schema());
	set(defs, "cell_or_null", or_null("cell"));
	probe_schemas(defs);
	set(defs, "figures", figures_schema());
	whole_schemas(defs);
	set(root, "$defs", defs);
	printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							     JSON_C_TO_STRING_SPACED |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return 0;
}
