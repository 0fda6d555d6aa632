#!/bin/sh
# make bench: the benchmarks, each printing its own figures.
#   - tmpl: renders/s and MB/s of a realistic practice page (~80 tags,
#     a partial and a parent layout);
#   - yaml: front-matter parses/s of a realistic 2.8 KB practice;
#   - build: the sample bank built end to end (median of 5 runs);
#   - bank: synthetic banks made by bench/gen_bank (practices/mentors:
#     1k/200 and 10k/2k; 100k/20k with BENCH_FULL=1, or by default when the
#     10k full build takes under 2 s), each built four ways: a full build
#     into an empty folder, a rebuild with nothing changed (the build stamp
#     lets it stop early), the same with --force (everything loaded and
#     rendered again), a rebuild after one practice was edited; median of BENCH_REPS runs (default 5) of wall
#     time, CPU time (user + sys), peak RSS, pages written and pages/s;
#   - hugo: the same banks built by Hugo with the equivalent templates in
#     bench/hugo/, when hugo is installed (Debian package hugo): the 1k bank
#     by default (Hugo takes about 35 s on the 10k one), up to 10k with
#     BENCH_FULL=1 (on 100k Hugo 0.111 would need some 30 GB of memory);
#     the ratio praktika / Hugo of the full build, from praktika full
#     builds run alternately with Hugo's (a run each in turn), so that a
#     slower stretch of a shared machine weighs on both sides alike.
#
# Environment:
#   BENCH_FULL=1          also the 100k bank, and Hugo on the 10k one
#   BENCH_REPS=N          runs per measurement (default 5)
#   BENCH_HUGO_MAX=N      Hugo on the banks of at most N practices
#                         (default 1000; 10000 with BENCH_FULL=1)
#   BENCH_TMPDIR=DIR      where the banks and sites go (default: mktemp -d,
#                         that is $TMPDIR or /tmp); the file system matters:
#                         tmpfs measures the program, a disk adds its writes
#   BENCH_PRAKTIKA_ARGS   extra arguments for praktika build (e.g. -j1)
#   BENCH_SIZES           the banks as PRACTICES/MENTORS words, overriding the
#                         default list (e.g. "1000/200 5000/1000")
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
if [ -n "${BENCH_TMPDIR:-}" ]; then
	mkdir -p "$BENCH_TMPDIR"
	tmp=$(mktemp -d "$BENCH_TMPDIR/praktika-bench.XXXXXX")
else
	tmp=$(mktemp -d)
fi
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM
# praktika's front-matter caches of the benchmark's builds: gone with $tmp
export XDG_CACHE_HOME="$tmp/cache"
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
rm -rf "$tmp/out" "$tmp/times"

# ---- synthetic banks -----------------------------------------------------

reps=${BENCH_REPS:-5}
full=${BENCH_FULL:-0}
if [ "$full" = 1 ]; then
	hugo_max=${BENCH_HUGO_MAX:-10000}
else
	hugo_max=${BENCH_HUGO_MAX:-1000}
fi
pk_args=${BENCH_PRAKTIKA_ARGS:-}
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e' -o /dev/null true 2>/dev/null; then
	gnu_time=yes
else
	gnu_time=no
fi
if command -v hugo >/dev/null 2>&1; then
	hugo_bin=$(command -v hugo)
else
	hugo_bin=
fi

# measure FILE CMD...: runs CMD once, output to $tmp/log, and appends
# "wall cpu rss_kb" to FILE (wall from date +%s%N; CPU = user + sys and peak
# RSS from GNU time, "-" without it). Returns 1, showing the log, if CMD
# fails.
measure() {
	file=$1
	shift
	start=$(date +%s%N)
	status=0
	if [ $gnu_time = yes ]; then
		/usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" >"$tmp/log" 2>&1 || status=$?
	else
		"$@" >"$tmp/log" 2>&1 || status=$?
	fi
	end=$(date +%s%N)
	if [ $status -ne 0 ]; then
		echo "bench: failed ($status): $*" >&2
		tail -n 20 "$tmp/log" >&2
		return 1
	fi
	if [ $gnu_time = yes ]; then
		tail -n 1 "$tmp/time" | awk -v ns=$((end - start)) \
			'{ printf "%.3f %.2f %d\n", ns / 1e9, $1 + $2, $3 }' >>"$file"
	else
		awk -v ns=$((end - start)) 'BEGIN { printf "%.3f - -\n", ns / 1e9 }' >>"$file"
	fi
}

# median FILE COLUMN: the median of one column ("-" stays "-").
median() {
	sort -g -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

# row LABEL BUILD FILE PAGES TOUCHED: one line of the table, from the
# medians of FILE; remembers the wall and CPU medians in $row_wall/$row_cpu.
row() {
	row_wall=$(median "$3" 1)
	row_cpu=$(median "$3" 2)
	rss=$(median "$3" 3)
	awk -v l="$1" -v b="$2" -v w="$row_wall" -v c="$row_cpu" -v r="$rss" -v p="$4" -v t="$5" 'BEGIN {
		rss = r == "-" ? "-" : sprintf("%.0f", r / 1024)
		printf "%-12s %-16s %8.2f %8s %8s %8d %9.0f %s\n", l, b, w, c, rss, p, p / w, t
	}'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'
}

html_pages() {
	find "$1" -name '*.html' | wc -l
}

# touched_files DIR: how many files of the site got a new mtime since
# $tmp/stamp. praktika's own marker .praktika-output is not a page of the
# site: it is left out here and looked at by marker_touched DIR.
touched_files() {
	find "$1" -type f -newer "$tmp/stamp" ! -name '.praktika-*' | wc -l
}

marker_touched() {
	[ -n "$(find "$1" -maxdepth 1 -name .praktika-output -newer "$tmp/stamp")" ]
}

# Sizes: the 100k bank only on request or when 10k builds fast enough.
sizes=${BENCH_SIZES:-"1000/200 10000/2000 100000/20000"}
[ "$gnu_time" = yes ] || echo "note: /usr/bin/time not found (Debian package time): CPU time and RSS unavailable"
fs=$(stat -f -c %T "$tmp" 2>/dev/null || echo "?")
echo "== synthetic banks (median of $reps; wall and CPU in s, peak RSS in MB; $fs in $tmp)"
[ -z "$hugo_bin" ] || echo "hugo: $("$hugo_bin" version 2>/dev/null | awk '{ print $2; exit }') ($hugo_bin)"
printf "%-12s %-16s %8s %8s %8s %8s %9s %s\n" bank build wall CPU RSS pages pages/s \
	"files touched"

prev_wall='' prev_cpu='' prev_label='' prev_n=''
growth=
for size in $sizes; do
	n=${size%/*}
	m=${size#*/}
	label=$(awk -v n="$n" -v m="$m" 'BEGIN {
		if (n % 1000) printf "%d/%d", n, m; else printf "%dk/%d", n / 1000, m }')
	if [ "$n" -ge 100000 ] && [ "$full" != 1 ] && [ -z "${BENCH_SIZES:-}" ]; then
		fast=$(awk -v w="${prev_wall:-99}" 'BEGIN { print (w < 2.0) ? "yes" : "no" }')
		if [ "$fast" != yes ]; then
			echo "$label: skipped (the previous full build took ${prev_wall:-?} s, over 2 s; BENCH_FULL=1 runs it)"
			continue
		fi
	fi
	bank="$tmp/bank-$n"
	out="$tmp/site-$n"
	rm -rf "$tmp"/bank-* "$tmp"/site-* "$tmp"/hugo-*
	start=$(date +%s%N)
	"$B/bench/gen_bank" "$bank" "$n" "$m"
	end=$(date +%s%N)
	mb=$(du -sm "$bank" | cut -f1)
	if ! "$B/praktika" check "$bank" >"$tmp/check" 2>&1; then
		echo "bench: the generated bank $label does not pass praktika check:" >&2
		grep -m 20 'error:' "$tmp/check" >&2 || tail -n 5 "$tmp/check" >&2
		exit 1
	fi
	warnings=$(grep -c 'warning:' "$tmp/check" || true)
	gen_s=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')

	# Full build into an empty folder, with no front-matter cache either.
	: >"$tmp/full"
	i=0
	while [ $i -lt "$reps" ]; do
		rm -rf "$out" "$XDG_CACHE_HOME"
		# shellcheck disable=SC2086 # pk_args is a list of words
		measure "$tmp/full" "$B/praktika" build "$bank" -o "$out" --quiet $pk_args || exit 1
		i=$((i + 1))
	done
	pages=$(html_pages "$out")
	row "$label" "full" "$tmp/full" "$pages" "-"
	full_wall=$row_wall full_cpu=$row_cpu

	# Rebuild with nothing changed: no output file may get a new mtime.
	: >"$tmp/same"
	touched_max=0
	marker=kept
	i=0
	while [ $i -lt "$reps" ]; do
		touch "$tmp/stamp"
		# shellcheck disable=SC2086
		measure "$tmp/same" "$B/praktika" build "$bank" -o "$out" --quiet $pk_args || exit 1
		touched=$(touched_files "$out")
		! marker_touched "$out" || marker=rewritten
		[ "$touched" -gt "$touched_max" ] && touched_max=$touched
		i=$((i + 1))
	done
	if [ "$touched_max" -eq 0 ]; then
		note="0: mtimes kept"
	else
		note="$touched_max: MTIMES CHANGED"
	fi
	[ $marker = kept ] || note="$note (.praktika-output rewritten)"
	row "$label" "nothing changed" "$tmp/same" "$pages" "$note"

	# The same with --force: the bank loaded and every page rendered again,
	# the output compared page by page (what a rebuild costs without the
	# build stamp, and the floor of the one-edited rebuild below).
	: >"$tmp/forced"
	: >"$tmp/touched"
	i=0
	while [ $i -lt "$reps" ]; do
		touch "$tmp/stamp"
		# shellcheck disable=SC2086
		measure "$tmp/forced" "$B/praktika" build "$bank" -o "$out" --quiet --force $pk_args || exit 1
		touched_files "$out" >>"$tmp/touched"
		i=$((i + 1))
	done
	row "$label" "same, --force" "$tmp/forced" "$pages" "$(median "$tmp/touched" 1)"

	# Rebuild after one published practice's body was edited.
	for edited in "$bank"/content/practices/*.md; do
		grep -q '^draft: true' "$edited" || break
	done
	: >"$tmp/edit"
	: >"$tmp/touched"
	i=0
	while [ $i -lt "$reps" ]; do
		printf '\nПравка %d: абзац, добавленный при замере скорости.\n' "$i" >>"$edited"
		touch "$tmp/stamp"
		# shellcheck disable=SC2086
		measure "$tmp/edit" "$B/praktika" build "$bank" -o "$out" --quiet $pk_args || exit 1
		touched_files "$out" >>"$tmp/touched"
		i=$((i + 1))
	done
	row "$label" "one edited" "$tmp/edit" "$pages" "$(median "$tmp/touched" 1)"
	echo "  $label: generated in $gen_s s ($mb MB); check: 0 errors, $warnings warnings; edited ${edited#"$bank"/}"

	# Hugo on the same bank.
	if [ -n "$hugo_bin" ] && [ "$n" -le "$hugo_max" ]; then
		hugo_ok=yes
		: >"$tmp/hugo"
		: >"$tmp/paired"
		i=0
		while [ $i -lt "$reps" ]; do
			rm -rf "$tmp/hugo-out"
			if ! measure "$tmp/hugo" env HUGO_RESOURCEDIR="$tmp/hugo-resources" "$hugo_bin" \
				--config "$top/bench/hugo/site.toml" --themesDir "$top/bench" \
				--source "$bank" --destination "$tmp/hugo-out" --cacheDir "$tmp/hugo-cache" \
				--noBuildLock --quiet; then
				hugo_ok=no
				break
			fi
			# praktika's full build right after, for the ratio
			rm -rf "$out" "$XDG_CACHE_HOME"
			# shellcheck disable=SC2086
			measure "$tmp/paired" "$B/praktika" build "$bank" -o "$out" --quiet $pk_args || exit 1
			i=$((i + 1))
		done
		if [ $hugo_ok = yes ]; then
			row "$label" "hugo full" "$tmp/hugo" "$(html_pages "$tmp/hugo-out")" "-"
			hugo_wall=$row_wall hugo_cpu=$row_cpu
			row "$label" "full, with hugo" "$tmp/paired" "$pages" "-"
			echo "  $label: praktika / hugo, full builds run in turn: wall $(ratio "$row_wall" "$hugo_wall") (hugo $(ratio "$hugo_wall" "$row_wall") times slower), CPU $(ratio "$row_cpu" "$hugo_cpu")"
		fi
	fi
	if [ -n "$prev_label" ]; then
		growth="$growth
  $label / $prev_label: wall ×$(ratio "$full_wall" "$prev_wall"), CPU ×$(ratio "$full_cpu" "$prev_cpu") for ×$(ratio "$n" "$prev_n") practices"
	fi
	prev_wall=$full_wall prev_cpu=$full_cpu prev_label=$label prev_n=$n
	rm -rf "$bank" "$out" "$tmp/hugo-out"
done
[ -n "$hugo_bin" ] || echo "hugo не установлен — сравнение пропущено"
if [ -n "$growth" ]; then
	echo "growth of the full build:$growth"
fi

# ---- build from a git revision --------------------------------------------
# The 1k bank committed over 1,000 commits (a practice or a mentor per
# commit, then edits), built from the working tree and with --rev HEAD
# into empty folders, history walk included (its cache removed before each
# run); the ratio is the git issue's figure (target: at most 1.2).
if command -v git >/dev/null 2>&1; then
	repo="$tmp/git-bank"
	"$B/bench/gen_bank" "$repo" 1000 200 >/dev/null
	(
		cd "$repo" || exit 1
		export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.ru \
			GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.ru
		git init -q -b main
		git add site.yaml content/pages 2>/dev/null
		git commit -q -m start
		# Each commit adds one file: 1,200 commits in all.
		ls content/mentors/*.md content/practices/*.md | while read -r f; do
			git add "$f"
			git commit -q -m "add $f"
		done
		git add -A && git commit -q -m rest --allow-empty
	) >"$tmp/git.log" 2>&1
	commits=$(git -C "$repo" rev-list --count HEAD)
	: >"$tmp/wt" && : >"$tmp/rev"
	i=0
	while [ $i -lt "$reps" ]; do
		rm -rf "$tmp/wt-out" "$tmp/rev-out" "$repo/.git/praktika-history"
		measure "$tmp/wt" "$B/praktika" build "$repo" -o "$tmp/wt-out" -q $pk_args || break
		rm -f "$repo/.git/praktika-history"
		measure "$tmp/rev" "$B/praktika" build --rev HEAD --repo "$repo" -o "$tmp/rev-out" -q $pk_args || break
		i=$((i + 1))
	done
	echo "== build from a git revision (1k/200 bank, $commits commits, median of $reps, history not cached)"
	wt=$(median "$tmp/wt" 1)
	rev=$(median "$tmp/rev" 1)
	echo "working tree: ${wt} s; --rev HEAD: ${rev} s; ratio $(awk -v a="$rev" -v b="$wt" 'BEGIN { printf "%.2f", a / b }')"
	rm -rf "$repo" "$tmp/wt-out" "$tmp/rev-out"
else
	echo "git не установлен — сборка из ревизии не измерена"
fi
