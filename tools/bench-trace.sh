#!/usr/bin/env bash
# The cost of `ipctrace trace` to the traced program: pipe throughput of a
# workload run untraced and traced, interleaved (A B A B ...) ROUNDS times,
# median of the per-pair ratios traced/untraced. Usage (root, after make):
#   tools/bench-trace.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
work=.output/tests/iowork
[[ -x $work && -x ./ipctrace ]] || { echo "run make ipctrace .output/tests/iowork first" >&2; exit 2; }

ns() { sed -n 's/^ns //p'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for load in "64:400000" "65536:8192"; do
	bs=${load%%:*} n=${load##*:}
	ratios=()
	for ((i = 0; i < rounds; i++)); do
		a=$($work pipe "$n" "$bs" | ns)
		b=$(./ipctrace trace -o /dev/null -- $work pipe "$n" "$bs" | ns)
		ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", a / b}')")
	done
	med=$(printf '%s\n' "${ratios[@]}" | median)
	printf 'pipe, %6d-byte messages x %6d: throughput traced/untraced median %.3f (pairs: %s)\n' \
		"$bs" "$n" "$med" "${ratios[*]}"
done
