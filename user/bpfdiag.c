// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Why bpf() failed, in a sentence: see bpfdiag.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bpfdiag.h"

/* A hexadecimal (or small decimal) field of /proc/self/status; 0 if absent. */
static unsigned long long status_field(const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	unsigned long long v = 0;
	size_t n = strlen(key);
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtoull(line + n + 1, NULL, 16);
	if (f)
		fclose(f);
	return v;
}

#define CAP_BIT(n) (1ull << (n))
#define CAPS_FOR_BPF (CAP_BIT(38) | CAP_BIT(39)) /* CAP_PERFMON, CAP_BPF */
#define CAP_SYS_ADMIN_BIT CAP_BIT(21)

void bpf_explain(const char *step, int err)
{
	unsigned long long caps = status_field("CapEff");
	bool capable = (caps & CAPS_FOR_BPF) == CAPS_FOR_BPF || (caps & CAP_SYS_ADMIN_BIT);
	bool seccomp = status_field("Seccomp") != 0;

	fprintf(stderr, "ipctrace: %s failed: %s\n", step, strerror(-err));
	if ((err == -EPERM || err == -EACCES) && !capable)
		fprintf(stderr, "ipctrace: loading BPF programs needs root, or CAP_BPF and "
				"CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8), which this process "
				"does not have\n");
	else if (err == -EPERM || err == -EACCES)
		fprintf(stderr, "ipctrace: the kernel refused bpf() although this process has "
				"CAP_BPF and CAP_PERFMON: %s\n",
			seccomp ? "it runs under a seccomp filter (Seccomp in /proc/self/status), "
				  "which may refuse bpf(); run ipctrace outside that sandbox"
				: "check kernel lockdown (/sys/kernel/security/lockdown) and LSM "
				  "policy (SELinux, AppArmor, BPF LSM)");
	else if (err == -ENOSYS)
		fprintf(stderr, "ipctrace: bpf() is not implemented: %s\n",
			seccomp ? "ipctrace runs under a seccomp filter (Seccomp in "
				  "/proc/self/status), which may hide it"
				: "this kernel has no CONFIG_BPF_SYSCALL");
}
