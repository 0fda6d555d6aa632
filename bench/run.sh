#!/bin/sh
# make bench: the benchmarks, each printing its own figures.
#   - tmpl: renders/s and MB/s of a realistic practice page (~80 tags,
#     a partial and a parent layout);
#   - yaml: front-matter parses/s of a realistic 2.8 KB practice;
#   - build: the sample bank built end to end (median of 5 runs).
set -eu
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
case "$B" in /*) ;; *) B="$top/$B" ;; esac
export PRAKTIKA_TOP="$top"

echo "== template engine"
"$B/bench/bench_tmpl" "$top/bench/data/tmpl"
echo "== YAML front matter"
"$B/bench/bench_yaml"

echo "== build of the sample bank (median of 5)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ $i -lt 5 ]; do
	rm -rf "$tmp/out"
	start=$(date +%s%N)
	"$B/praktika" build "$top" -o "$tmp/out" --quiet 2>/dev/null
	end=$(date +%s%N)
	echo $(((end - start) / 1000)) >>"$tmp/times"
	i=$((i + 1))
done
pages=$(find "$tmp/out" -name '*.html' | wc -l)
median=$(sort -n "$tmp/times" | sed -n 3p)
echo "sample bank: $pages pages, full build ${median} µs (median of 5)"
