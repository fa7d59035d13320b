# Sourced by the check scripts that tools/run-tests.sh runs: prints the
# cmocka-style summary lines it tallies, and returns non-zero on failures.
# summary PASSED FAILED
summary() {
	echo "[  PASSED  ] $1 test(s)."
	(($2 == 0)) || echo "[  FAILED  ] $2 test(s)."
	(($2 == 0))
}
