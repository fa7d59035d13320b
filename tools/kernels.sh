#!/usr/bin/env bash
# make test-kernels: boot every kernel of tools/kernels.list under QEMU (TCG:
# nested KVM hangs on the development machine) with an initramfs holding
# busybox, the static ipctrace and tools/guest-init.sh; collect the guest's
# `ipctrace probe --json` and `ipctrace verify --json` from its second serial
# port; run the same on the host kernel; print one row per kernel.
#
#   tools/kernels.sh [LIST]      LIST defaults to tools/kernels.list
#   KERNEL_TIMEOUT=S             seconds a guest may run before it counts as hung (480)
#   IPCT_CLAIMS=a,b              claims or prefixes to verify (all by default)
#   IPCT_ARGS=run,pipe,--json    one more ipctrace command in the guests (section "extra" of the serial log)
#   SKIP_HOST=1                  no host row
#   KERNEL_APPEND="..."         more kernel parameters (e.g. ignore_loglevel to debug)
#
# Results: .output/kernels/<release>.json (verify) and <release>.probe.json;
# logs: .output/kernels/<name>.{console,serial}.log. Exit 1 when a kernel
# panicked, hung or gave no results.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
output=${OUTPUT:-.output}
[[ $output = /* ]] || output=$root/$output
out=$output/kernels
cache=$out/cache
list=${1:-$root/tools/kernels.list}
limit=${KERNEL_TIMEOUT:-480}
ipct=$root/ipctrace
static=$output/ipctrace-static
failed=0
results=()

die() { echo "kernels: $*" >&2; exit 1; }

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "install ok installed" ||
	die "busybox-static missing (the initramfs needs a busybox with no shared libraries)"
[[ -x $ipct && -x $static ]] || die "build first: make ipctrace ipctrace-static"
[[ -r $list ]] || die "no kernel list $list"
mkdir -p "$cache"

# A bzImage for one list line, in $kimage and a file name for it in $kname;
# or 1, with the reason in $why.
resolve_kernel() {
	local line=$1 re pkg deb
	if [[ $line = */* || -f $line ]]; then
		kimage=$line
		kname=$(basename "$line")
		[[ -r $kimage ]] || { why="no kernel image $kimage"; return 1; }
		return 0
	fi
	# the glob as an anchored regex: "." literal, "*" any run
	re="^$(sed 's/\./\\./g; s/\*/.*/g' <<<"$line")\$"
	pkg=$(apt-cache search --names-only "$re" | cut -d' ' -f1 | sort -V | tail -1)
	[[ -n $pkg ]] || { why="no package matches $line (apt-get update?)"; return 1; }
	kname=$pkg
	deb=$(ls "$cache/${pkg}"_*.deb 2>/dev/null | tail -1)
	if [[ -z $deb ]]; then
		(cd "$cache" && apt-get download -q "$pkg" >/dev/null 2>"$cache/$pkg.download.log") ||
			{ why="apt-get download $pkg failed: $(tail -1 "$cache/$pkg.download.log")"; return 1; }
		deb=$(ls "$cache/${pkg}"_*.deb | tail -1)
	fi
	if [[ ! -d $cache/$pkg/boot ]]; then
		rm -rf "$cache/$pkg"
		dpkg-deb -x "$deb" "$cache/$pkg" || { why="dpkg-deb -x $deb failed"; return 1; }
	fi
	kimage=$(ls "$cache/$pkg"/boot/vmlinuz-* 2>/dev/null | head -1)
	[[ -n $kimage ]] || { why="$deb holds no boot/vmlinuz-*"; return 1; }
}

# The same initramfs serves every kernel: nothing in it is kernel-specific.
build_initramfs() {
	local s=$out/initramfs
	rm -rf "$s"
	mkdir -p "$s"/{bin,dev,proc,sys,tmp}
	cp /bin/busybox "$s/bin/busybox"
	# named ipctrace: workers exec /proc/self/exe's path and are known by that comm
	cp "$static" "$s/bin/ipctrace"
	cp "$root/tools/guest-init.sh" "$s/init"
	cp "$root/tools/observed.claims" "$s/observed.claims"
	chmod 755 "$s/init"
	mknod -m 600 "$s/dev/console" c 5 1 2>/dev/null
	(cd "$s" && find . | busybox cpio -o -H newc -R 0:0 2>/dev/null | gzip -1) >"$out/initramfs.cpio.gz"
}

# The lines of section $2 of serial log $1, markers excluded.
section() {
	tr -d '\r' <"$1" | sed -n "/^=== IPCTRACE BEGIN $2\$/,/^=== IPCTRACE END $2 /p" | sed '1d;$d'
}

# "start end" (guest uptime) of section $2 of serial log $1
section_times() {
	tr -d '\r' <"$1" | sed -n "s/^=== IPCTRACE END $2 rc=[0-9]* start=\([0-9.]*\) end=\([0-9.]*\)$/\1 \2/p"
}

row() { # release status boot verify wall json
	local summary="-"
	[[ -n ${6:-} && -s ${6:-} ]] && summary=$("$ipct" compare --summary "$6" 2>&1 | tail -1)
	printf '%-28s %-8s %6s %7s %6s  %s\n' "$1" "$2" "$3" "$4" "$5" "$summary"
}

boot() { # kimage kname
	local con=$out/$2.console.log ser=$out/$2.serial.log t0 t1 rc status release times scratch
	# tsc=reliable: TCG marks the TSC unstable and falls back to hpet, which has no
	# vDSO path, so every clock_gettime() became a syscall and was counted as one
	local append="console=ttyS0 panic=-1 loglevel=5 tsc=reliable ${IPCT_CLAIMS:+ipct_claims=$IPCT_CLAIMS} ${IPCT_ARGS:+ipct_args=$IPCT_ARGS} ${KERNEL_APPEND:-}"

	# a fresh scratch disk per guest: no state carried from a previous kernel
	rm -f "$out/scratch.img"
	truncate -s 512M "$out/scratch.img" && mkfs.ext4 -q -F "$out/scratch.img" ||
		{ printf '%-28s %-8s  %s\n' "$2" error "cannot make the scratch disk"; failed=1; return; }
	# thread=single: with one host thread per vCPU (TCG's default), attaching a
	# tracepoint (text_poke_bp) hung for good in 2 of 9 runs: CPU 1 waited on an IPI
	# CPU 0 never took. One thread for both vCPUs costs ~20% and has not hung.
	t0=$(date +%s)
	timeout "$limit" qemu-system-x86_64 -accel tcg,thread=single -cpu max -m 2G -smp 2 -nographic -no-reboot \
		-monitor none -serial "file:$con" -serial "file:$ser" \
		-drive "file=$out/scratch.img,if=none,id=scratch,format=raw" \
		-device nvme,serial=ipctrace,drive=scratch \
		-kernel "$1" -initrd "$out/initramfs.cpio.gz" -append "$append" </dev/null >"$out/$2.qemu.log" 2>&1
	rc=$?
	t1=$(date +%s)
	rm -f "$out/scratch.img"
	release=$(tr -d '\r' <"$ser" 2>/dev/null | sed -n 's/^=== IPCTRACE BOOTED .* release=//p')
	scratch=$(tr -d '\r' <"$ser" 2>/dev/null | sed -n 's/^=== IPCTRACE SCRATCH //p')
	[[ $scratch = ext4* ]] || echo "  scratch files on ${scratch:-?}: no disk, so no disk DMA and no eviction"
	[[ -n $release ]] || release=$2
	if grep -q "Kernel panic" "$con" 2>/dev/null; then
		status=panic
		echo "  $(grep -m1 "Kernel panic" "$con" | tr -d '\r')"
	elif ((rc == 124)); then
		status=hang
		echo "  no power-off within ${limit}s; last console line: $(tr -d '\r' <"$con" | tail -1)"
	elif ! grep -q "^=== IPCTRACE DONE" "$ser" 2>/dev/null; then
		status="exit$rc"
		echo "  qemu exited $rc without results: $(tail -2 "$out/$2.qemu.log")"
	else
		status=ok
	fi
	section "$ser" probe >"$out/$release.probe.json"
	section "$ser" verify >"$out/$release.json"
	[[ -s $out/$release.json ]] || rm -f "$out/$release.json"
	[[ $status = ok && -s $out/$release.json ]] || failed=1
	observed "$release" < <(section "$ser" observed)
	core "$release" < <(section "$ser" core)
	boot_s=$(tr -d '\r' <"$ser" 2>/dev/null | sed -n 's/^=== IPCTRACE BOOTED uptime=\([0-9.]*\).*/\1/p')
	times=$(section_times "$ser" verify)
	verify_s=$([[ -n $times ]] && awk -v a="${times% *}" -v b="${times#* }" 'BEGIN { printf "%.0f", b - a }')
	row "$release" "$status" "${boot_s:--}" "${verify_s:--}" "$((t1 - t0))" "$out/$release.json"
	[[ -s $out/$release.json ]] && results+=("$out/$release.json")
}

# Observed (fexit) against derived copies, from verify --claims observed.claims:
# a line per claim; a refuted claim (or none at all) is a disagreement, and
# fails the target with both figures (the evidence).
observed() { # release < verify json
	local id verdict evidence n=0 unobs=0
	while IFS=$'\t' read -r id verdict evidence; do
		n=$((n + 1))
		case $verdict in
		confirmed) echo "  $1: $id: fexit-observed copies = derived: $evidence" ;;
		unobservable) unobs=$((unobs + 1)) ;;
		*) echo "  $1: $id: OBSERVED AND DERIVED COPIES DISAGREE ($verdict): $evidence"; failed=1 ;;
		esac
	done < <(awk -F'"' '$2 == "id" { id = $4 } $2 == "verdict" { v = $4 }
		$2 == "evidence" { sub(/^ *"evidence": "/, ""); sub(/",?$/, ""); print id "\t" v "\t" $0 }')
	if ((n == 0)); then
		echo "  $1: OBSERVED COPIES NOT CHECKED: no result from verify --claims observed.claims"
		failed=1
	elif ((unobs)); then
		echo "  $1: $unobs of $n observed-copy checks unobservable (no fexit on this kernel)"
	fi
}

# The CO-RE BTF (user/corebtf.c) relocated the programs as the whole BTF did.
core() { # release < section core
	local lines
	lines=$(tr -d '\r' | paste -sd ' ')
	if [[ $lines == "CO-RE against the CO-RE BTF same instructions in "* ]]; then
		echo "  $1: CO-RE BTF: ${lines#CO-RE against the CO-RE BTF }, as with the whole BTF"
	else
		echo "  $1: CO-RE BTF AND WHOLE BTF DISAGREE (or no check ran): $lines"
		failed=1
	fi
}

host() {
	local release t0 t1
	release=$(uname -r)
	if [[ $(id -u) -ne 0 ]]; then
		printf '%-28s %-8s  %s\n' "$release (host)" skipped "not root: BPF programs need root"
		return
	fi
	"$ipct" probe --json >"$out/$release.probe.json" 2>/dev/null
	t0=$(date +%s)
	"$ipct" verify --json ${IPCT_CLAIMS:+$(tr , ' ' <<<"$IPCT_CLAIMS")} >"$out/$release.json" \
		2>"$out/host.verify.log"
	t1=$(date +%s)
	row "$release (host)" ok - "$((t1 - t0))" "$((t1 - t0))" "$out/$release.json"
	results+=("$out/$release.json")
	observed "$release" < <("$ipct" verify --json --claims "$root/tools/observed.claims" 2>/dev/null)
}

build_initramfs
printf '%-28s %-8s %6s %7s %6s  %s\n' release status boot_s verify_s wall_s \
	"probes by method; claims by verdict"
[[ -n ${SKIP_HOST:-} ]] || host
while read -r line; do
	line=${line%%#*}
	line=$(echo $line)
	[[ -n $line ]] || continue
	if ! resolve_kernel "$line"; then
		printf '%-28s %-8s  %s\n' "$line" error "$why"
		failed=1
		continue
	fi
	boot "$kimage" "$kname"
done <"$list"
if ((${#results[@]} > 1)); then
	echo
	"$ipct" compare "${results[@]}" | grep -E '^\* |differing verdicts'
	echo "side by side, with the figures that changed: ipctrace compare ${results[*]#$root/}"
fi
exit $failed
