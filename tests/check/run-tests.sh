#!/bin/sh
# Validation tests: `praktika check` on each bank under cases/ must print
# exactly cases/<name>.expected (diagnostics on stderr, then "exit: N").
# Update deliberately with: sh tests/check/run-tests.sh BUILD --update
set -u
B=$1
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
bin="$B/praktika"
n=0
cd "$here/cases" || exit 1
for dir in */; do
	name=${dir%/}
	n=$((n + 1))
	args=
	[ -f "$name.args" ] && args=$(cat "$name.args")
	# shellcheck disable=SC2086
	actual=$("$bin" check "$name" $args 2>&1 >/dev/null; echo "exit: $?")
	if [ "$update" = "--update" ]; then
		printf '%s\n' "$actual" >"$name.expected"
	fi
	if [ "$actual" = "$(cat "$name.expected" 2>/dev/null)" ]; then
		echo "ok $n - check $name"
	else
		echo "not ok $n - check $name"
		printf '%s\n' "$actual" | diff -u "$name.expected" - | sed 's/^/#   /'
	fi
done
