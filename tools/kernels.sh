#!/usr/bin/env bash
# make test-kernels: boot every kernel of tools/kernels.list under QEMU (TCG:
# nested KVM hangs on the development machine) with an initramfs holding
# busybox, the static ipctrace and tools/guest-init.sh; collect the guest's
# `ipctrace probe --json` and `ipctrace verify --json` from its second serial
# port; run the same on the host kernel; print one row per kernel.
#
#   tools/kernels.sh [LIST]      LIST defaults to tools/kernels.list
#   DEBIAN_MIRROR=URL            archive for list lines that name a suite (default:
#                                the first .../debian URI of this machine's apt sources)
#   KERNEL_TIMEOUT=S             seconds a guest may run before it counts as hung (900)
#   IPCT_CLAIMS=a,b              claims or prefixes to verify (all by default)
#   IPCT_ARGS=run,pipe,--json    one more ipctrace command in the guests (section "extra" of the serial log)
#   IPCT_REPEAT=N                run that command N times (its outputs one after the other)
#   SKIP_HOST=1                  no host row
#   KERNEL_APPEND="..."         more kernel parameters (e.g. ignore_loglevel to debug)
#
# Results: .output/kernels/<release>.json (verify) and <release>.probe.json;
# the history, every claim's verdict and key figure per kernel (the list's
# order, the host last): .output/kernels/history.txt and history.html
# (`ipctrace compare`); logs: .output/kernels/<name>.{console,serial}.log. Exit 1 when a kernel
# panicked, hung, gave no results, or a claim's run failed there (verdict
# "error": e.g. the BPF object did not load), or a verify or probe output is
# not valid against docs/schema (tools/check-json.py).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
output=${OUTPUT:-.output}
[[ $output = /* ]] || output=$root/$output
out=$output/kernels
cache=$out/cache
list=${1:-$root/tools/kernels.list}
limit=${KERNEL_TIMEOUT:-900}
ipct=$root/ipctrace
static=$output/ipctrace-static
failed=0
results=()
host_result=
start=$(date +%s)

die() { echo "kernels: $*" >&2; exit 1; }

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "install ok installed" ||
	die "busybox-static missing (the initramfs needs a busybox with no shared libraries)"
[[ -x $ipct && -x $static ]] || die "build first: make ipctrace ipctrace-static"
[[ -r $list ]] || die "no kernel list $list"
mkdir -p "$cache"

# apt-get options for a private view of Debian suites $1 (comma-separated;
# lists in the cache, the system's sources untouched), in $apt_opts; the lists
# are refreshed once per run, so a suite line resolves to the newest build of
# the day. Or 1, with the reason in $why.
declare -A suite_ready=()
suite_apt() {
	local suite=$1 dir=$cache/apt/$1 mirror
	apt_opts=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=-
		-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o APT::Sandbox::User=root)
	[[ -n ${suite_ready[$suite]:-} ]] && return 0
	mirror=${DEBIAN_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -oE '^(deb +(\[[^]]*\] +)?|URIs: *)[a-z]+://[^ ]*/debian/?( |$)' |
		grep -oE '[a-z]+://[^ ]*/debian' | head -1)}
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	tr , '\n' <<<"$suite" | sed "s|^|deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror:-http://deb.debian.org/debian} |; s|\$| main|" \
		>"$dir/sources.list"
	if ! apt-get "${apt_opts[@]}" -q update >"$dir/update.log" 2>&1 || grep -q '^E:' "$dir/update.log"; then
		# offline: yesterday's lists still name packages that may be in the cache
		ls "$dir"/lists/*_Packages >/dev/null 2>&1 ||
			{ why="apt-get update for $suite failed: $(grep -m1 '^[WE]:' "$dir/update.log")"; return 1; }
		echo "  $suite: apt-get update failed, using the lists of $(date -r "$dir/lists" +%F)"
	fi
	suite_ready[$suite]=1
}

# Package $1 downloaded into the cache and unpacked into $cache/$1 (with
# apt-get options "${apt_opts[@]}"), or 1 with the reason in $why.
fetch_deb() {
	local pkg=$1 deb
	deb=$(ls "$cache/${pkg}"_*.deb 2>/dev/null | tail -1)
	if [[ -z $deb ]]; then
		(cd "$cache" && apt-get "${apt_opts[@]}" download -q "$pkg" >/dev/null 2>"$cache/$pkg.download.log") ||
			{ why="apt-get download $pkg failed: $(tail -1 "$cache/$pkg.download.log")"; return 1; }
		deb=$(ls "$cache/${pkg}"_*.deb | tail -1)
	fi
	dpkg-deb -x "$deb" "$cache/$2" || { why="dpkg-deb -x $deb failed"; return 1; }
}

# The kernel image unpacked in $cache/$1: boot/vmlinuz-* (6.1; 7.1.13), or
# usr/lib/modules/<release>/vmlinuz (7.3.4). Debian's 7.x linux-image-*
# packages hold no kernel: it is in the linux-binary-* they depend on.
unpacked_kernel() {
	ls "$cache/$1"/boot/vmlinuz-* "$cache/$1"/usr/lib/modules/*/vmlinuz 2>/dev/null | head -1
}

# A bzImage for one list line, in $kimage and a file name for it in $kname;
# or 1, with the reason in $why. A line is a path, or a Debian package glob
# (resolved with apt-cache to the newest version, downloaded with apt-get),
# after suite names when the package comes from other suites than the
# system's ("sid,trixie-backports linux-image-7.*-cloud-amd64": the newest of
# both).
resolve_kernel() {
	local line=$1 suite="" re pkg dep
	if [[ $line = */* || -f $line ]]; then
		kimage=$line
		kname=$(basename "$line")
		[[ -r $kimage ]] || { why="no kernel image $kimage"; return 1; }
		return 0
	fi
	apt_opts=()
	if [[ $line = *" "* ]]; then
		suite=${line%% *}
		line=${line#* }
		suite_apt "$suite" || return 1
	fi
	# the glob as an anchored regex: "." literal, "*" any run
	re="^$(sed 's/\./\\./g; s/\*/.*/g' <<<"$line")\$"
	pkg=$(apt-cache "${apt_opts[@]}" search --names-only "$re" | cut -d' ' -f1 | sort -V | tail -1)
	[[ -n $pkg ]] || { why="no package matches $line${suite:+ in $suite} (apt-get update?)"; return 1; }
	kname=$pkg
	if [[ -z $(unpacked_kernel "$pkg") ]]; then
		rm -rf "${cache:?}/$pkg"
		fetch_deb "$pkg" "$pkg" || return 1
		# a meta package: the kernel is in the linux-binary-* it depends on
		dep=$(dpkg-deb -f "$(ls "$cache/${pkg}"_*.deb | tail -1)" Depends | tr ',' '\n' |
			grep -oE '^ *linux-binary-[^ ]+' | tr -d ' ')
		if [[ -z $(unpacked_kernel "$pkg") && -n $dep ]]; then
			fetch_deb "$dep" "$pkg" || return 1
		fi
	fi
	kimage=$(unpacked_kernel "$pkg")
	[[ -n $kimage ]] || { why="$pkg${dep:+ and $dep} hold no boot/vmlinuz-* or usr/lib/modules/*/vmlinuz"; return 1; }
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

# What section $2 of serial log $1 wrote to stderr.
stderr_of() {
	tr -d '\r' <"$1" | sed -n "/^=== IPCTRACE STDERR $2\$/,/^=== IPCTRACE /p" | sed '1d;/^=== IPCTRACE /d'
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

# The status of a verify run whose guest (or host) finished: "ok"; "noresult"
# (no JSON); "failed" (every claim errored: nothing ran, e.g. the BPF object
# did not load); "errors" (some claims' runs failed). Anything but ok fails
# the target.
verify_status() { # verify json
	local counts
	[[ -s $1 ]] || { echo noresult; return; }
	# "N confirmed N nuanced ... N error" after the "; " of compare's summary line
	counts=$("$ipct" compare --summary "$1" 2>/dev/null | tail -1 | awk -F'; ' '{
		n = split($NF, w, " ")
		for (i = 1; i < n; i += 2) { t += w[i]; if (w[i + 1] == "error") e += w[i] }
		print e + 0, t + 0 }')
	case $counts in
	"0 "[1-9]*) echo ok ;;
	"") echo noresult ;;
	*) [[ ${counts% *} == "${counts#* }" ]] && echo failed || echo errors ;;
	esac
}

# Why a run failed: the first distinct lines ipctrace wrote to stderr.
explain_failure() { # stderr file
	[[ -s $1 ]] && awk '!seen[$0]++ && n++ < 3 { print "  stderr: " $0 }' "$1"
}

boot() { # kimage kname
	local con=$out/$2.console.log ser=$out/$2.serial.log t0 t1 rc status release times scratch
	# tsc=reliable: TCG marks the TSC unstable and falls back to hpet, which has no
	# vDSO path, so every clock_gettime() became a syscall and was counted as one
	local append="console=ttyS0 panic=-1 loglevel=5 tsc=reliable ${IPCT_CLAIMS:+ipct_claims=$IPCT_CLAIMS} ${IPCT_ARGS:+ipct_args=$IPCT_ARGS} ${IPCT_REPEAT:+ipct_repeat=$IPCT_REPEAT} ${KERNEL_APPEND:-}"

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
	if [[ $status = ok ]]; then
		status=$(verify_status "$out/$release.json")
		stderr_of "$ser" verify >"$out/$2.verify.log"
		[[ $status = ok ]] || explain_failure "$out/$2.verify.log"
	fi
	[[ $status = ok ]] || failed=1
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
		error) echo "  $1: $id: OBSERVED COPIES NOT CHECKED, the run failed: $evidence"; failed=1 ;;
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
	elif [[ $lines == "CO-RE against the CO-RE BTF "* ]]; then
		echo "  $1: CO-RE BTF AND WHOLE BTF DISAGREE: $lines"
		failed=1
	else
		echo "  $1: CO-RE BTF NOT CHECKED: ipctrace trace did not load in the guest"
		failed=1
	fi
}

host() {
	local release t0 t1 status
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
	status=$(verify_status "$out/$release.json")
	row "$release (host)" "$status" - "$((t1 - t0))" "$((t1 - t0))" "$out/$release.json"
	[[ $status = ok ]] || { failed=1; explain_failure "$out/host.verify.log"; }
	[[ -s $out/$release.json ]] && host_result=$out/$release.json
	observed "$release" < <("$ipct" verify --json --claims "$root/tools/observed.claims" 2>/dev/null)
}

# Every kernel's verify and probe output against docs/schema (docs/json.md):
# an invalid one fails the target; without python3-jsonschema, said and skipped.
check_schemas() {
	local f kind probes=() rc
	((${#results[@]})) || return 0
	for f in "${results[@]}"; do
		[[ -s ${f%.json}.probe.json ]] && probes+=("${f%.json}.probe.json")
	done
	for kind in verify probe; do
		if [[ $kind = verify ]]; then set -- "${results[@]}"; else set -- "${probes[@]}"; fi
		(($#)) || continue
		"$root/tools/check-json.py" --as $kind "$@" | sed 's/^/  /'
		rc=${PIPESTATUS[0]}
		[[ $rc = 0 || $rc = 77 ]] || failed=1
	done
}

build_initramfs
printf '%-28s %-8s %6s %7s %6s  %s\n' release status boot_s verify_s wall_s \
	"probes by method; claims by verdict"
[[ -n ${SKIP_HOST:-} ]] || host
while read -r line; do
	line=${line%%#*}
	line=$(sed 's/^[[:space:]]*//; s/[[:space:]]*$//; s/[[:space:]][[:space:]]*/ /g' <<<"$line")
	[[ -n $line ]] || continue
	if ! resolve_kernel "$line"; then
		printf '%-28s %-8s  %s\n' "$line" error "$why"
		failed=1
		continue
	fi
	boot "$kimage" "$kname"
done <"$list"
[[ -n $host_result ]] && results+=("$host_result")
check_schemas
rm -f "$out/history.txt" "$out/history.html"
if ((${#results[@]} > 1)); then
	echo
	"$ipct" compare --html "$out/history.html" "${results[@]}" >"$out/history.txt" || failed=1
	grep -E '^\* |differing verdicts' "$out/history.txt"
	echo "the history, verdict and key figure per kernel: ${out#$root/}/history.txt and history.html"
	echo "  (ipctrace compare ${results[*]#$root/})"
fi
echo "test-kernels: $(($(date +%s) - start)) s, $([[ $failed = 0 ]] && echo passed || echo FAILED)"
exit $failed
