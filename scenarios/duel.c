// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Paired timings judged by the median ratio and its confidence interval (duel.h). */
#include <stdlib.h>
#include "duel.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* P(Bin(n, 1/2) <= j), exactly enough for n of a few hundred */
static double binom_half_cdf(int n, int j)
{
	double term = 1, sum = 0;

	for (int i = 0; i < n; i++)
		term *= 0.5;
	for (int i = 0; i <= j && i <= n; i++) {
		sum += term;
		term = term * (n - i) / (i + 1);
	}
	return sum;
}

void duel_judge(double *ratio, int n, double bound, double conf, struct duel_result *out)
{
	int k = 0;

	*out = (struct duel_result){ .outcome = DUEL_UNDECIDED, .n = n };
	if (n <= 0)
		return;
	qsort(ratio, n, sizeof(*ratio), cmp_double);
	out->median = n % 2 ? ratio[n / 2] : (ratio[n / 2 - 1] + ratio[n / 2]) / 2;
	out->lo = out->hi = out->median;
	/* the largest k with coverage >= conf; coverage shrinks as k grows */
	while (k + 1 <= (n + 1) / 2 && 1 - 2 * binom_half_cdf(n, k) >= conf)
		k++;
	if (!k)
		return; /* too few rounds for an interval at this confidence */
	out->lo = ratio[k - 1];
	out->hi = ratio[n - k];
	out->confidence = 1 - 2 * binom_half_cdf(n, k - 1);
	if (out->hi < bound)
		out->outcome = DUEL_BELOW;
	else if (out->lo >= bound)
		out->outcome = DUEL_ABOVE;
}
