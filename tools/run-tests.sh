#!/usr/bin/env bash
# Run every test binary given; print each one's output and a closing tally.
# Exit 1 if any failed. Binaries print their own skips with a reason.
set -u
pass=0 fail=0 skip=0
for t in "$@"; do
	echo "== ${t##*/}"
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | grep -c '^\[       OK \]')
	f=$(printf '%s\n' "$out" | grep -c '^\[  FAILED  \]' )
	s=$(printf '%s\n' "$out" | grep -c '^\[  SKIPPED \]')
	# cmocka repeats each failed/skipped name in its summary: count the first report only
	f=$(( f > 0 ? (f - 1) / 2 + 1 : 0 ))
	s=$(( s > 0 ? (s - 1) / 2 + 1 : 0 ))
	pass=$((pass + p)) skip=$((skip + s))
	if ((rc != 0)); then
		((f == 0)) && f=1
	fi
	fail=$((fail + f))
done
echo
echo "tests: $pass passed, $fail failed, $skip skipped"
((fail == 0))
