/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which of two ways of doing the same work is faster, decided from
 * repeated, interleaved, paired timings rather than one of each: a run of
 * rounds, each timing both ways back to back (in alternating order), gives
 * one ratio A/B per round. The verdict rests on the median of those ratios
 * and a distribution-free confidence interval for it (order statistics of
 * the binomial: no assumption about the shape of the noise), judged against
 * one bound: the ratio is below it when the whole interval is, above it
 * when the whole interval is, and undecided while the interval straddles
 * it. A caller adds rounds until the answer is decided or its budget is
 * spent.
 */
#ifndef DUEL_H
#define DUEL_H

/* Values of the outcome facts: a fact is an integer. */
enum duel_outcome {
	DUEL_UNDECIDED = -1, /* the interval straddles the bound: "inconclusive" */
	DUEL_ABOVE = 0,
	DUEL_BELOW = 1,
};

struct duel_result {
	enum duel_outcome outcome;
	double median, lo, hi; /* of the ratios A/B; lo = hi = median without an interval */
	double confidence;     /* that [lo, hi] holds the true median (0: too few rounds) */
	int n;
};

/*
 * Judge @n ratios A/B (sorted in place) against @bound at confidence at
 * least @conf (0.95). The interval is [r(k), r(n+1-k)] for the largest k
 * whose coverage 1 - 2 P(Bin(n, 1/2) < k) is at least @conf; with fewer
 * rounds than that takes (6 for 0.95), it is undecided.
 */
void duel_judge(double *ratio, int n, double bound, double conf, struct duel_result *out);

#endif /* DUEL_H */
