#!/bin/sh
# Golden end-to-end sites: each case builds a bank into a temporary folder
# and compares every file with tests/golden/<case>/expected/.
#   sample   the sample bank at the top of the repository
#   <case>   tests/golden/<case>/bank/
# Update deliberately with `make golden-update` (or --update here).
set -u
B=$1
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case "$B" in /*) ;; *) B="$top/$B" ;; esac
bin="$B/praktika"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for case_dir in "$here"/*/; do
	name=$(basename "$case_dir")
	if [ "$name" = sample ]; then
		# The banks live in this git repository; copies outside git keep
		# the expected pages independent of our own commit history (which
		# would give every practice git dates). Git dates have their own
		# tests (tests/git).
		bank="$tmp/sample-bank"
		mkdir -p "$bank"
		for f in site.yaml content static data layouts i18n themes; do
			[ -e "$top/$f" ] && cp -R "$top/$f" "$bank/"
		done
	else
		[ -d "$case_dir/bank" ] || continue
		bank="$tmp/$name-bank"
		cp -R "$case_dir/bank" "$bank"
	fi
	n=$((n + 1))
	out="$tmp/$name"
	if ! (cd "$bank" && "$bin" build . -o "$out" --quiet) >"$tmp/$name.log" 2>&1; then
		echo "not ok $n - golden $name: build failed"
		sed 's/^/#   /' "$tmp/$name.log"
		continue
	fi
	if [ "$update" = "--update" ]; then
		rm -rf "$case_dir/expected"
		cp -R "$out" "$case_dir/expected"
		rm -f "$case_dir/expected/.praktika-output" # the manifest holds mtimes
		rm -rf "$case_dir/expected/assets" # the theme's files, copied as they are
	fi
	# The theme's stylesheets are copied verbatim (the link check sees they
	# are there); comparing them again would only repeat the theme.
	if diff -r -x '.praktika-*' -x assets "$case_dir/expected" "$out" >"$tmp/$name.diff" 2>&1; then
		echo "ok $n - golden $name"
	else
		echo "not ok $n - golden $name differs from expected (make golden-update to accept)"
		head -60 "$tmp/$name.diff" | sed 's/^/#   /'
	fi
done
