/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `ipctrace verify`: every textbook claim, a verdict from this kernel. */
#ifndef VERIFY_H
#define VERIFY_H

/* The claims file built into ipctrace (claims/textbook.claims). */
extern const char builtin_claims[];

int verify_main(int argc, char **argv);

#endif
