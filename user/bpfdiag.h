/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A BPF load or attach failure turned into what is missing: capabilities, seccomp, lockdown. */
#ifndef BPFDIAG_H
#define BPFDIAG_H

/* "ipctrace: @step failed: ..." on stderr, then the likely cause of -@err. */
void bpf_explain(const char *step, int err);

#endif /* BPFDIAG_H */
