#!/usr/bin/env bash
# Install what a make target needs, if it is missing (Debian 12), and mount
# tracefs (tp/ programs and people reading the trace need it; ipctrace's own
# tp_btf programs do not).
#
#   tools/deps.sh run     building and running ipctrace (make run, make, make install)
#   tools/deps.sh test    run + what make test needs (the default)
#   tools/deps.sh hard    test + make check-hard and make fuzz
#   tools/deps.sh bench   run + make bench: the other tracers, side by side
#   tools/deps.sh --list SET   print the set's packages, install nothing
set -euo pipefail

run=(make gcc clang llvm pkg-config libbpf-dev bpftool libelf-dev zlib1g-dev libjson-c-dev)
test=("${run[@]}" libcmocka-dev
      strace python3                 # witnesses: syscall counts, a pty, the loopback thief
      fio                            # witnesses: fio's io_bytes (every engine) against the ledger
      stress-ng                      # witnesses: stress-ng's byte and op counts against the ledger
      xfsprogs                       # witnesses: copy_file_range remapped on an XFS reflink image
      mount                          # witnesses: losetup, dd O_DIRECT on a loop device
      chromium fonts-wqy-microhei    # the picture tests render in headless Chromium
      qemu-system-x86 busybox-static # make test-kernels: the guests and their initramfs
      man-db                         # test_install: the man page renders (man -l)
      python3-jsonschema)            # test_schema, make test: the JSON outputs against docs/schema
hard=("${test[@]}" valgrind libclang-rt-14-dev) # memcheck runs; libFuzzer for make fuzz
bench=("${run[@]}" bpftrace linux-perf)

list=false
if [[ ${1:-} == --list ]]; then
	list=true
	shift
fi
case ${1:-test} in
run) pkgs=("${run[@]}") ;;
test) pkgs=("${test[@]}") ;;
hard) pkgs=("${hard[@]}") ;;
bench) pkgs=("${bench[@]}") ;;
*)
	echo "deps: no set '$1' (run, test, hard, bench)" >&2
	exit 2
	;;
esac
if $list; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi
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
