#!/bin/sh
# Runs every test suite against the build directory B and prints one
# closing line "N passed, N failed". Each suite prints TAP lines ("ok" /
# "not ok"), or a line "# counts: P passed, F failed" for data-driven
# suites; a suite that exits non-zero with no failure counted counts as one
# failure.
#
#   sh tests/run.sh [--valgrind] BUILD_DIR
set -u
valgrind=
if [ "${1:-}" = "--valgrind" ]; then
	valgrind="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
	shift
fi
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
# the builds' front-matter caches go here, not into the user's ~/.cache
cache_home=$(mktemp -d)
export XDG_CACHE_HOME="$cache_home"
passed=0
failed=0
export CMOCKA_MESSAGE_OUTPUT=TAP
export PRAKTIKA_TOP="$top"
export PRAKTIKA_BIN="$top/$B/praktika"
export MUSTACHE_SPEC_DIR="${MUSTACHE_SPEC_DIR:-$top/../shared/mustache-spec}"

run_suite() { # name command...
	name=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	cp=$(sed -n 's/^# counts: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	cf=$(sed -n 's/^# counts: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
	p=$((p + cp))
	f=$((f + cf))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name ($p passed, $f failed, exit $rc):"
		grep -v '^ok ' "$log" | sed 's/^/    /' | head -200
	else
		echo "ok   $name ($p passed)"
		grep '^mustache spec\|^# skip\|^SKIP' "$log" | sed 's/^/    /'
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

for t in "$top/$B"/tests/test_*; do
	[ -x "$t" ] || continue
	run_suite "unit $(basename "$t")" $valgrind "$t"
done
for t in "$top/$B"/tests/spec_*; do
	[ -x "$t" ] || continue
	run_suite "spec $(basename "$t")" $valgrind "$t"
done
if [ -z "$valgrind" ]; then
	for t in "$top"/tests/*/run-tests.sh; do
		[ -f "$t" ] || continue
		run_suite "$(basename "$(dirname "$t")")" sh "$t" "$top/$B"
	done
fi
rm -f "$log"
rm -rf "$cache_home"
[ -n "${PRAKTIKA_COUNTS_FILE:-}" ] && echo "$passed $failed" >>"$PRAKTIKA_COUNTS_FILE"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
