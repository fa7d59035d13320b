// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * claims_parse() on any text, then every claim it accepts evaluated against
 * a small fixed report: the expression evaluator, paths, evidence templates
 * and charts see whatever the parser let through.
 */
#include <json-c/json.h>
#include "claims.h"
#include "compiler.h"
#include "fuzz.h"

static const char report_json[] =
	"{\"scenario\":{\"params\":{\"size\":4096,\"block\":512},\"units\":8},"
	"\"facts\":{\"writer\":{\"bytes\":4096}},\"run\":{\"complete\":true},"
	"\"processes\":[{\"role\":\"writer\",\"figures\":{\"syscalls\":8,"
	"\"copies\":{\"user_to_kernel\":{\"bytes\":4096,\"ops\":8}},\"faults\":null,"
	"\"unavailable\":{\"faults\":\"not counted\"}},\"phases\":{\"transfer\":{\"syscalls\":8}}},"
	"{\"role\":\"reader\",\"figures\":{\"syscalls\":9}}],"
	"\"totals\":{\"syscalls\":17,\"list\":[1,2]},\"per_unit\":{\"syscalls\":2.125}}";

static struct json_object *report;

static struct json_object *report_for(const struct claim *c UNUSED, const char *alias, void *ctx UNUSED)
{
	return alias[0] == 'x' ? NULL : report; /* runs named x...: a run that failed */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), err[512];
	struct claims cl;

	if (!report)
		report = json_tokener_parse(report_json);
	FUZZ_ASSERT(report != NULL);
	memset(&cl, 0, sizeof(cl));
	err[0] = 0;
	if (claims_parse(s, "fuzz", &cl, err, sizeof(err)) == 0) {
		for (int i = 0; i < cl.n; i++) {
			struct claim_result res;

			claim_evaluate(&cl.v[i], report_for, NULL, &res);
			FUZZ_ASSERT(res.verdict != V_NONE);
			json_object_put(res.figures);
			json_object_put(res.chart);
		}
		claims_free(&cl);
	} else {
		FUZZ_ASSERT(err[0] != 0);
	}
	free(s);
	return 0;
}
