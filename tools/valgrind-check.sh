#!/usr/bin/env bash
# make check-hard: ipctrace's user-space side under valgrind memcheck, one
# command per path through the code (bad input, lists, compare, a traced
# scenario with its forked workers, trace -- CMD, probe). A case fails on any
# memcheck error or definite leak (--error-exitcode), or when ipctrace's own
# exit code is not the expected one. Prints cmocka-style summary lines for
# tools/run-tests.sh. Suppressions for the libraries' own allocations:
# tools/valgrind.supp (each says why).
set -u
cd "$(dirname "$0")/.."
. tools/summary.sh
bin=${IPCTRACE:-./ipctrace}
command -v valgrind >/dev/null || { echo "skipped: valgrind is not installed"; echo "[  SKIPPED ] 1 test(s)."; exit 0; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/a.json" <<'JSON'
{"kernel":{"release":"6.18.0"},"probes":{"sys_enter":"tp_btf","pipe_write":"unavailable"},"summary":{"confirmed":1},
 "claims":[{"id":"x","statement":"s","verdict":"confirmed","figures":{"p.writer.syscalls":16}}]}
JSON
sed 's/6.18.0/6.1.0/; s/"confirmed"}/"refuted"}/; s/: 16/: 17/' "$tmp/a.json" >"$tmp/b.json"

# expected exit code, then the arguments
cases=(
	"0|--help"
	"2|run pipe --size 1Q"
	"2|run nonesuch"
	"2|trace"
	"0|verify --list"
	"2|verify --claims /nonexistent"
	"0|compare $tmp/a.json $tmp/b.json"
	"0|compare --json $tmp/a.json $tmp/b.json"
	"2|compare $tmp/a.json /nonexistent"
	"0|probe"
	"0|run pipe --size 256K --block 64K"
	"0|run pipe --size 256K --block 64K --json"
	"0|run mmap-share --size 256K --timeline"
	"0|run sendfile --to unix --size 256K"
	"0|trace -- true"
	"0|verify pipe.kernel-ring pipe.read-once --json"
)
pass=0 fail=0
for c in "${cases[@]}"; do
	want=${c%%|*} args=${c#*|}
	# shellcheck disable=SC2086 # the arguments are words
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--suppressions=tools/valgrind.supp --log-file="$tmp/vg.%p" \
		"$bin" $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# error reports are the "==PID==" lines; "--PID-- WARNING: unhandled eBPF
	# command" lines say valgrind does not model a bpf(2) command (no error)
	errs=$(grep -h '^==' "$tmp"/vg.* 2>/dev/null)
	rm -f "$tmp"/vg.*
	if [[ -z $errs && $rc == "$want" ]]; then
		printf 'ok    %-60s exit %s, no memcheck error\n' "ipctrace $args" "$rc"
		pass=$((pass + 1))
	else
		printf 'FAIL  %-60s exit %s (want %s)\n' "ipctrace $args" "$rc" "$want"
		printf '%s\n' "$errs" | head -60
		tail -5 "$tmp/err"
		fail=$((fail + 1))
	fi
done
echo "valgrind memcheck: $pass of $((pass + fail)) commands clean"
summary "$pass" "$fail"
