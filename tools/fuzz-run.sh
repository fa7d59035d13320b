#!/usr/bin/env bash
# make check-hard: a short libFuzzer run of every harness in tests/fuzz
# (built by make fuzz into .output-fuzz/fuzz). Each starts from its seeds
# (tests/fuzz/corpus/NAME, the regression inputs, and for fuzz_claims the
# project's claims files) and runs FUZZ_SECONDS (default 60). The corpus it
# grows stays in .output-fuzz/corpus/NAME for the next run. A crash stops
# the script with the input in .output-fuzz/crashes/: fix the bug, then keep
# the input as tests/fuzz/regress/NAME/<what it found> (make test replays it).
# Prints cmocka-style summary lines for tools/run-tests.sh.
set -u
cd "$(dirname "$0")/.."
. tools/summary.sh
secs=${FUZZ_SECONDS:-60}
out=.output-fuzz
mkdir -p "$out/crashes"
pass=0 fail=0 total=0
for bin in "$out"/fuzz/fuzz_*; do
	name=${bin##*/}
	corpus=$out/corpus/$name
	seeds=(tests/fuzz/corpus/"$name")
	[[ -d tests/fuzz/regress/$name ]] && seeds+=(tests/fuzz/regress/"$name")
	[[ $name == fuzz_claims ]] && seeds+=(claims)
	mkdir -p "$corpus"
	log=$out/$name.log
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/crashes/$name-" "$corpus" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	units=$(find "$corpus" -type f | wc -l)
	if ((rc == 0)); then
		printf '%-14s %10s executions in %ss, %s, corpus %d inputs\n' "$name" "${execs:-?}" "$secs" "${cov:-cov: ?}" "$units"
		pass=$((pass + 1))
		total=$((total + ${execs:-0}))
	else
		echo "$name: FAILED (exit $rc); the end of $log:"
		tail -40 "$log"
		ls -1 "$out"/crashes/"$name"-* 2>/dev/null
		fail=$((fail + 1))
	fi
done
echo "fuzzing: $total executions in all"
summary "$pass" "$fail"
