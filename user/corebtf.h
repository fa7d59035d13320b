/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel types ipctrace's CO-RE relocations can match, copied out of
 * the kernel's BTF into a small BTF that libbpf relocates against
 * (btf_custom_path) instead of the whole of it.
 */
#ifndef COREBTF_H
#define COREBTF_H

#include <linux/types.h>

struct kbtf;

struct corebtf {
	__u32 *ids; /* kernel types named as a struct, union or enum of the BPF object */
	__u32 n, cap;
};

/* For kbtf_open()'s walk: keep type @id if it is one. */
void corebtf_note(struct corebtf *c, const char *name, int kind, __u32 id);
/*
 * Copy the noted types, with what they embed, into a new BTF in a memfd:
 * its fd, or -errno (then libbpf relocates against the kernel's BTF).
 */
int corebtf_build(const struct kbtf *k, struct corebtf *c);

#endif /* COREBTF_H */
