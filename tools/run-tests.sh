#!/usr/bin/env bash
# Run every test binary given; print each one's output and a closing tally
# from cmocka's own summary lines. Exit 1 if any test failed or a binary
# crashed. Skipped tests print their reason just before cmocka's SKIPPED line.
set -u
pass=0 fail=0 skip=0
count() { # the N of cmocka's "[  WORD  ] N test(s)" summary line
	printf '%s\n' "$1" | sed -n "s/.*\[  *$2 *\] \([0-9][0-9]*\) test(s).*/\1/p" | tail -1
}
for t in "$@"; do
	echo "== ${t##*/}"
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(count "$out" PASSED) f=$(count "$out" FAILED) s=$(count "$out" SKIPPED)
	pass=$((pass + ${p:-0})) fail=$((fail + ${f:-0})) skip=$((skip + ${s:-0}))
	if ((rc != 0)) && [[ -z $f ]]; then
		echo "${t##*/}: exited $rc without a cmocka summary"
		fail=$((fail + 1))
	fi
done
echo
echo "$pass passed, $fail failed, $skip skipped"
((fail == 0))
