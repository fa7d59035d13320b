/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Claims: textbook statements as data, and the one engine that decides a
 * verdict for each from the reports of the runs it names.
 *
 * A claims file is a list of sections:
 *
 *   # comment
 *   [pipe.kernel-ring]
 *   quote = 向这个文件读写数据其实是在读写内核缓冲区
 *   statement = pipe I/O is a copy into and out of a kernel ring buffer
 *   run p = pipe --size 1M --block 64K
 *   confirmed = p.writer.copies.user_to_kernel.bytes == p.params.size
 *   refuted = p.writer.copies.user_to_kernel.bytes == 0
 *   otherwise = nuanced
 *   evidence = the writer copied {p.writer.copies.user_to_kernel.bytes} bytes
 *   chart = CPU copies: 2 = p.per_unit.copies.user_to_kernel.ops + p.per_unit.copies.kernel_to_user.ops
 *
 * Each {EXPR} of the evidence is replaced by its value as every text output
 * prints numbers (textfmt.h: "16,777,216", "0.333"), or n/a.
 *
 * `run ALIAS = SCENARIO OPTIONS` names a run (identical runs are made once
 * per verify). Conditions are tried in the order written; the first true
 * one gives the verdict, else `otherwise`. A condition or evidence that
 * reads a figure this kernel cannot give makes the verdict `unobservable`,
 * naming the figure and why.
 *
 * Paths: ALIAS.ROLE.FIGURE (a process's transfer figures), ALIAS.ROLE@PHASE.FIGURE,
 * and ALIAS.{totals,per_unit,phases,whole_run,facts,params,scenario,run}.KEY...
 * Expressions: numbers, paths, + - * /, == != < <= > >=, && || !, ( ),
 * min(a, b), max(a, b), abs(a).
 */
#ifndef CLAIMS_H
#define CLAIMS_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

enum verdict { V_NONE = 0, V_CONFIRMED, V_NUANCED, V_REFUTED, V_UNOBSERVABLE, V_ERROR };

const char *verdict_name(enum verdict v);
enum verdict verdict_parse(const char *s);

#define CLAIM_MAX_RUNS 8
#define CLAIM_MAX_RULES 6
/* ( ), function arguments and unary operators nest at most this deep */
#define CLAIM_MAX_DEPTH 64
/* a claims file is read whole: at most this many bytes (1 MiB) */
#define CLAIMS_MAX_BYTES ((size_t)1 << 20)

struct claim_run {
	char alias[16];
	char *spec; /* "pipe --size 1M" */
	int line;
};

struct claim_rule {
	enum verdict verdict;
	char *expr;
	int line;
};

struct claim {
	char *id, *section, *quote, *statement, *evidence;
	/* "LABEL: TEXTBOOK = EXPR; ...": the textbook's figure against the measured one */
	char *chart;
	int line, evidence_line, chart_line;
	struct claim_run runs[CLAIM_MAX_RUNS];
	int nruns;
	struct claim_rule rules[CLAIM_MAX_RULES];
	int nrules;
	enum verdict otherwise;
};

struct claims {
	struct claim *v;
	int n;
};

/*
 * Parse a claims file. On error returns -1 with "NAME:LINE: message" in
 * @err. Expressions are checked for syntax here, so a bad file fails
 * before anything runs.
 */
int claims_parse(const char *text, const char *name, struct claims *out, char *err, size_t errlen);
void claims_free(struct claims *c);

/* Resolves ALIAS to the report of that run (NULL: the run failed). */
typedef struct json_object *(*claim_report_fn)(const struct claim *c, const char *alias, void *ctx);

struct claim_result {
	enum verdict verdict;
	char evidence[2048];
	struct json_object *figures; /* path -> value or null, for every path read */
	struct json_object *chart;   /* [{label, textbook, measured}], NULL without one */
};

/* Decide one claim's verdict from its runs' reports. */
void claim_evaluate(const struct claim *c, claim_report_fn report, void *ctx,
		    struct claim_result *res);

/* Evaluate one expression (for tests): 0 with *value set, 1 when null, -1 on error. */
int claim_expr_eval(const char *expr, claim_report_fn report, const struct claim *c, void *ctx,
		    double *value, char *why, size_t whylen);

#endif /* CLAIMS_H */
