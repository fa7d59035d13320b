#!/usr/bin/env bash
# make test SAN=1: print every AddressSanitizer / UndefinedBehaviorSanitizer
# report the run left in DIR (one file per reporting process, written through
# ASAN_OPTIONS/UBSAN_OPTIONS log_path) and fail when there is any.
set -u
dir=${1:?usage: san-reports.sh DIR}
shopt -s nullglob
reports=("$dir"/*)
if ((${#reports[@]} == 0)); then
	echo "sanitizers: no report (AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer)"
	exit 0
fi
for r in "${reports[@]}"; do
	echo "== $r"
	cat "$r"
done
echo "sanitizers: ${#reports[@]} report(s), above"
exit 1
