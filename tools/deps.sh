#!/usr/bin/env bash
# Install what ipctrace needs to build and test, if it is missing (Debian 12),
# and mount tracefs (tp/ programs and people reading the trace need it;
# ipctrace's own tp_btf programs do not).
set -euo pipefail

pkgs=(make gcc clang llvm pkg-config libbpf-dev bpftool libelf-dev zlib1g-dev
      libjson-c-dev libcmocka-dev strace python3
      valgrind libclang-rt-14-dev     # make check-hard: memcheck runs; libFuzzer for make fuzz
      chromium fonts-wqy-microhei     # the picture tests render in headless Chromium
      qemu-system-x86 busybox-static) # make test-kernels: the guests and their initramfs
# make bench (tools/deps.sh bench): the other tracers, side by side with ipctrace
[[ ${1:-} == bench ]] && pkgs+=(bpftrace linux-perf)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	if [[ $(id -u) -ne 0 ]]; then
		echo "deps: missing packages: ${missing[*]}; run as root to install them" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ $(id -u) -eq 0 ]] && ! mountpoint -q /sys/kernel/tracing 2>/dev/null; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
		echo "deps: could not mount tracefs at /sys/kernel/tracing (not needed by tp_btf)" >&2
fi
exit 0
