#!/bin/sh
# Rendering on several threads, under ThreadSanitizer: builds a TSan
# binary (build/tsan/, clang) and builds banks with -j 4; any data race
# fails. Skipped inside the ASan/UBSan pass (sanitizers do not combine).
set -u
B=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case "$B" in
*/san | */san/) echo "# skip: thread checks run in the normal pass"; exit 0 ;;
esac
if ! command -v clang >/dev/null 2>&1; then
	echo "# skip: clang not installed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
if ! make -s -C "$top" B=build/tsan SANITIZE=thread CC=clang build/tsan/praktika >"$tmp/make.log" 2>&1; then
	echo "not ok 1 - build the ThreadSanitizer binary"
	sed 's/^/#   /' "$tmp/make.log" | tail -20
	exit 1
fi
bin="$top/build/tsan/praktika"
for bank in "$top/tests/golden/subpath/bank" "$top"; do
	n=$((n + 1))
	mkdir -p "$tmp/bank$n"
	for f in site.yaml content static data layouts i18n themes; do
		[ -e "$bank/$f" ] && cp -R "$bank/$f" "$tmp/bank$n/"
	done
	if TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$bin" build "$tmp/bank$n" -o "$tmp/out$n" -j 4 -q \
		>"$tmp/log$n" 2>&1; then
		echo "ok $n - no data race rendering bank $n with -j 4"
	else
		echo "not ok $n - no data race rendering bank $n with -j 4"
		grep -v 'warning: \(no consent\|consent withdrawn\)' "$tmp/log$n" | sed 's/^/#   /' | head -40
	fi
done
# The same bank read from a git revision: workers read its blobs (files,
# attachments) through libgit2, under the sources' lock.
if command -v git >/dev/null 2>&1; then
	n=$((n + 1))
	repo="$tmp/repo"
	mkdir -p "$repo"
	cp -R "$tmp/bank2/." "$repo/"
	git -C "$repo" init -q && git -C "$repo" add -A &&
		git -C "$repo" -c user.name=t -c user.email=t@example.org commit -qm bank
	if TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$bin" build "$repo" -o "$tmp/out$n" --rev HEAD \
		--repo "$repo" -j 4 -q >"$tmp/log$n" 2>&1; then
		echo "ok $n - no data race rendering a git revision with -j 4"
	else
		echo "not ok $n - no data race rendering a git revision with -j 4"
		grep -v 'warning: \(no consent\|consent withdrawn\)' "$tmp/log$n" | sed 's/^/#   /' | head -40
	fi
fi
