#!/usr/bin/env bash
# make bench: what watching costs. Each load runs untraced and traced,
# interleaved (A B A B ...) ROUNDS times; the median of the per-pair ratios
# of throughput (traced / untraced) is printed, for ipctrace and, when they
# are installed, strace -f -c, perf trace -s and bpftrace, in the same run.
# Then ipctrace's start-up (launch to attached) and exit (SIGINT to exit)
# times, and its programs' cost per event from the kernel's BPF accounting.
set -euo pipefail
cd "$(dirname "$0")/.."
# 9 pairs for the floor and ipctrace: on this 2-core PVM guest one pair's
# ratio wanders by +-0.05 (host noise); the other tracers cost 10 to 100
# times more, and 3 pairs place them well enough.
rounds=${ROUNDS:-9}
rounds_other=${ROUNDS_OTHER:-3}
# Both processes of a load run on one CPU (BENCH_CPU, default the last):
# left to the scheduler, two untraced runs of the same 64 KiB pipe load
# took 190 to 541 ms (placement decides), pinned 137 to 150 ms. Only the
# load is pinned; the tracer runs where the scheduler puts it.
cpu=${BENCH_CPU:-$(($(nproc) - 1))}
# taskset by path: bpftrace -c wants one binary, and usrmerge gives two on PATH
# The threads load (4 threads of one process) runs on every CPU: the
# multi-threaded case, threads of one traced process side by side.
gen1="$(command -v taskset) -c $cpu .output/tests/loadgen"
genall="$(command -v taskset) -c 0-$(($(nproc) - 1)) .output/tests/loadgen"
[[ -x .output/tests/loadgen && -x .output/tests/startup && -x ./ipctrace && -x .output/bench/floor ]] || { echo "bench: build first (make bench does)" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "bench: needs root" >&2; exit 2; }

ns() { sed -n 's/^ns //p'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# the tracers to compare: name and command prefix. empty-bpf and count-bpf
# are the floor (tools/bench/floor.bpf.c): programs on the same four events
# that return at once, or only count; no tracer of these events costs less.
# exit-bpf is one empty program on sys_exit alone: the least a tracer that
# sees every syscall's end can cost.
floor=.output/bench/floor
# ipctrace with every figure, and with the set the issue's 64-byte target
# names (copy ledger, faults, switches: --figures faults,switches)
tracers=("empty-bpf:$floor empty" "count-bpf:$floor count" "exit-bpf:$floor exit1" "ipctrace:./ipctrace trace -o /dev/null --"
	 "ipct-ledger:./ipctrace trace -F faults,switches -o /dev/null --" "ipct-other:beside"
	 "ipct-other-F:beside -F faults,switches --")
command -v strace >/dev/null && tracers+=("strace:strace -f -c -o /dev/null")
command -v perf >/dev/null && perf trace -s -o /dev/null true >/dev/null 2>&1 &&
	tracers+=("perf-trace:perf trace -s -o /dev/null")
bt=$(mktemp -d /tmp/ipctrace-bench.XXXXXX)
# a process that does nothing, for the sessions that trace another pid
sleep 3600 & target=$!
trap 'kill $target; rm -rf "$bt"' EXIT

# session_start [OPTION...]: an ipctrace session tracing $target (-p),
# with these trace options, in the background as $session, once it says
# its programs are attached.
session_start() {
	: >"$bt/session.err" # the last session's line must not count
	./ipctrace trace "$@" -o /dev/null -p $target 2>>"$bt/session.err" & session=$!
	for ((w = 0; w < 200; w++)); do
		grep -q tracing "$bt/session.err" && return 0
		sleep 0.05
	done
	echo "bench: the ipctrace session tracing pid $target did not start" >&2
	cat "$bt/session.err" >&2
	return 1
}
session_stop() { kill -INT $session; wait $session || true; }
# ipct-other: the load runs untraced beside an ipctrace session tracing
# another process: what ipctrace costs a process it does not trace.
# ipct-other-F: beside a session of fewer groups (-F faults,switches),
# whose socket and page-cache tracepoints are not attached.
# beside [OPTION... --] LOAD...
beside() {
	local opts=()
	if [[ $1 == -* ]]; then
		while [[ $1 != -- ]]; do opts+=("$1"); shift; done
		shift
	fi
	session_start "${opts[@]}" || return 1
	"$@"
	session_stop
}
if command -v bpftrace >/dev/null; then
	cat >"$bt/count.bt" <<'BT'
tracepoint:raw_syscalls:sys_enter /pid == -1/ { @a = count(); }
tracepoint:raw_syscalls:sys_exit /pid == -1/ { @b = count(); }
tracepoint:exceptions:page_fault_user /pid == -1/ { @c = count(); }
tracepoint:sched:sched_switch /pid == -1/ { @d = count(); }
BT
	# BEGIN runs once every probe is attached: the start-up mark
	{ echo 'BEGIN { printf("attached\n"); }'; cat "$bt/count.bt"; } >"$bt/start.bt"
	tracers+=("bpftrace:bpftrace -q $bt/count.bt -c")
fi

# BENCH_TRACERS="exit-bpf ipctrace": only these columns (quicker checks)
if [[ -n ${BENCH_TRACERS:-} ]]; then
	keep=()
	for t in "${tracers[@]}"; do [[ " $BENCH_TRACERS " == *" ${t%%:*} "* ]] && keep+=("$t"); done
	tracers=("${keep[@]}")
fi

# 64-byte loads stay small: under strace they run a hundred times slower
loads=("pipe 64 50000" "pipe 65536 8192" "unix 64 50000" "unix 65536 8192"
       "tcp 64 30000" "tcp 65536 8192" "file 64 100000" "file 65536 20000"
       "self 64 50000" "threads 64 50000")
# BENCH_LOADS="unix 64 50000;pipe 64 50000": only these (quicker checks of one change)
[[ -n ${BENCH_LOADS:-} ]] && IFS=';' read -r -a loads <<<"$BENCH_LOADS"
printf '%-18s' "load"
for t in "${tracers[@]}"; do printf ' %12s' "${t%%:*}"; done
printf ' %12s\n' "untraced ns"
for load in "${loads[@]}"; do
	printf '%-18s' "$load"
	bases=() # the untraced runs' ns per message: the machine's own speed, beside the ratios
	gen=$gen1
	[[ $load == threads* ]] && gen=$genall
	for t in "${tracers[@]}"; do
		cmd=${t#*:}
		# self, threads: ipctrace against the floor (single- against
		# multi-threaded); the other tracers' minutes go to the loads above
		if [[ $load == self* || $load == threads* ]] && [[ $t != *-bpf:* && $t != ip* ]]; then
			printf ' %12s' "-"
			continue
		fi
		ratios=() n=$rounds
		[[ $t == *-bpf:* || $t == ip* ]] || n=$rounds_other
		for ((i = 0; i < n; i++)); do
			a=$($gen $load | ns)
			bases+=("$(awk -v a="$a" -v n="${load##* }" 'BEGIN {printf "%.1f", a / n}')")
			# bpftrace -c takes the command as one word (and wants an ELF binary
			# there, not a script: a wrapper would not do)
			if [[ $t == bpftrace:* ]]; then
				b=$($cmd "$gen $load" 2>/dev/null | ns)
			else
				b=$($cmd $gen $load 2>/dev/null | ns)
			fi
			ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", a / b}')")
		done
		printf ' %12s' "$(printf '%s\n' "${ratios[@]}" | median)"
	done
	printf ' %12s\n' "$(printf '%s\n' "${bases[@]}" | median)"
done
echo "(throughput traced / untraced, median of $rounds interleaved pairs ($rounds_other for strace, perf, bpftrace);" \
	"1.000 = no cost; ipct-other: untraced beside a session tracing another pid (-other-F: of -F faults,switches); loads pinned to CPU $cpu, threads (4 threads) on CPUs 0-$(($(nproc) - 1));" \
	"untraced ns: median ns per message of every untraced run of the row, the machine's own speed)"

# start-up: posix_spawn() to the line that says the probes are attached,
# read as it comes; exit: SIGINT to exit (tools/workloads/startup.c). A
# shell's fork before the exec would add 15 to 20 ms to every figure here.
startup() { # startup LABEL MARK CMD...
	local label=$1
	shift
	.output/tests/startup "$rounds" "$@" | awk -v l="$label" '$1 == "median" {
		printf "%-28s start-up (launch to attached): median %5.1f ms; exit (SIGINT to exit): median %5.1f ms\n", l, $3, $5 }' ||
		printf '%-28s start-up: no figure (a round did not reach its mark)\n' "$label"
}
startup ipctrace tracing ./ipctrace trace -o /dev/null -p $target
startup "ipctrace -F faults,switches" tracing ./ipctrace trace -F faults,switches -o /dev/null -p $target
# through timeout(1), which hands on the SIGINT: bpftrace 0.17 here (1 of 3
# rounds, load average 9) can print its mark and then never exit on SIGINT:
# the bench waited on it; killed after 10 s now (timeout adds its spawn, ~1 ms)
command -v bpftrace >/dev/null &&
	startup "bpftrace (the 4 probes)" attached timeout 10 bpftrace "$bt/start.bt"

# The kernel memory of one session's maps: the kernel's accounting of each
# (memlock in /proc/PID/fdinfo), the largest named (bpftool, when there).
session_memory() {
	local fd total=0 lines=()
	session_start || return 1
	for fd in /proc/$session/fdinfo/*; do
		grep -q '^map_type' "$fd" || continue
		local mem id name
		mem=$(awk '$1 == "memlock:" {print $2}' "$fd")
		id=$(awk '$1 == "map_id:" {print $2}' "$fd")
		name=$(bpftool map show id "$id" 2>/dev/null | sed -n 's/.* name \([^ ]*\) .*/\1/p' | head -1)
		total=$((total + mem))
		lines+=("$mem ${name:-id$id}")
	done
	session_stop
	printf 'kernel memory of one session'"'"'s maps (fdinfo memlock): %.1f MiB in %d maps (pid_max %d); largest:' \
		"$(awk -v t=$total 'BEGIN {print t / 1048576}')" ${#lines[@]} "$(cat /proc/sys/kernel/pid_max)"
	printf '%s\n' "${lines[@]}" | sort -rn | head -4 | awk '{printf " %s %.0f KiB", $2, $1 / 1024}'
	printf '\n'
}
session_memory
./ipctrace probe --cost
printf "(bench: %d s in all)\n" "$SECONDS"
