// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* claims/textbook.claims, built into the binary so that `ipctrace verify` needs no file. */
__asm__(".section .rodata\n"
	".global builtin_claims\n"
	".type builtin_claims, @object\n"
	"builtin_claims:\n"
	".incbin \"claims/textbook.claims\"\n"
	".byte 0\n"
	".size builtin_claims, . - builtin_claims\n"
	".previous\n");
