#!/bin/sh
# Checks of the built sites as a whole: well-formed HTML (tidy), links that
# resolve, no injected markup from hostile content, atomic and careful
# output.
set -u
B=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case "$B" in /*) ;; *) B="$top/$B" ;; esac
bin="$B/praktika"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/xdg" # the front-matter caches of these builds
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; [ -f "${2:-}" ] && sed 's/^/#   /' "$2" | head -40; }

# tidy's problems with one page, minus the one it gets wrong: tidy 5.6
# does not know the WAI-ARIA attribute aria-current.
tidy_problems() { # page
	tidy -q -e --drop-empty-elements no "$1" 2>&1 | grep -v '^$' |
		grep -v 'proprietary attribute "aria-current"' || true
}

build() { # bank out [options]
	b=$1 o=$2
	shift 2
	(cd "$b" && "$bin" build . -o "$o" --quiet "$@") >"$tmp/build.log" 2>&1
}

# 1. Every page of the sample bank and of the sub-folder bank is valid HTML
#    and every internal link resolves.
for bank in "$top" "$top/tests/golden/subpath/bank"; do
	name=$(basename "$bank")
	out="$tmp/site-$name"
	if ! build "$bank" "$out"; then
		fail "build $name" "$tmp/build.log"
		continue
	fi
	: >"$tmp/tidy.log"
	find "$out" -name '*.html' | sort | while read -r page; do
		tidy_problems "$page" | sed "s|^|${page#"$out"/}: |" >>"$tmp/tidy.log"
	done
	if grep -q 'Error\|Warning' "$tmp/tidy.log"; then fail "tidy: $name pages are well-formed" "$tmp/tidy.log"; else ok "tidy: $name pages are well-formed"; fi
	base_path=$(sed -n 's|^base_url: *"\{0,1\}https\{0,1\}://[^/]*\(/[^"]*\)"\{0,1\}$|\1|p' "$bank/site.yaml")
	[ -n "$base_path" ] || base_path=/
	if python3 "$here/linkcheck.py" "$out" "$base_path" >"$tmp/links.log" 2>&1; then ok "links: $name"; else fail "links: $name" "$tmp/links.log"; fi
done

# The tidy check itself catches a broken page.
printf '<!DOCTYPE html><html lang="ru"><head><title>x</title></head><body><p><b>x</p></body></html>' >"$tmp/broken.html"
if [ -n "$(tidy_problems "$tmp/broken.html")" ]; then ok "tidy check catches bad markup"; else fail "tidy check catches bad markup"; fi

# The link checker itself catches a broken link.
mkdir -p "$tmp/linkself"
printf '<!DOCTYPE html><html><body><a href="/missing/">x</a></body></html>' >"$tmp/linkself/index.html"
if python3 "$here/linkcheck.py" "$tmp/linkself" / >/dev/null 2>&1; then fail "link check catches a broken link"; else ok "link check catches a broken link"; fi

# 2. Hostile content: markup in every field is escaped, raw HTML and
#    javascript: links are removed.
out="$tmp/hostile"
if build "$here/hostile" "$out"; then
	# Raw tags would show up as such; escaped ones are harmless text.
	if grep -rl '<script\|<img src=x\|<iframe\|<b onclick' "$out" >"$tmp/hostile.log"; then
		fail "hostile content is escaped" "$tmp/hostile.log"
	else
		ok "hostile content is escaped"
	fi
	# The HTML parser finds event handlers, script elements and dangerous URLs.
	if python3 "$here/linkcheck.py" "$out" / >"$tmp/hostile-links.log" 2>&1; then
		ok "hostile content: no handlers, scripts or javascript: URLs"
	else
		fail "hostile content: no handlers, scripts or javascript: URLs" "$tmp/hostile-links.log"
	fi
	if grep -q '&lt;script&gt;' "$out/practices/xss/index.html"; then ok "hostile title shown as text"; else fail "hostile title shown as text"; fi
else
	fail "build hostile bank" "$tmp/build.log"
fi

# 3. A rebuild with nothing changed touches no file (same inode and mtime
#    for every file); a rebuild after one change rewrites only its pages.
out="$tmp/stable"
snapshot() { find "$out" -type f ! -name '.praktika-*' -printf '%P %i %T@\n' | sort; }
cp -R "$top/tests/golden/subpath/bank" "$tmp/plain" # outside git: no history dates
build "$tmp/plain" "$out"
snapshot >"$tmp/snap1"
sleep 1
build "$tmp/plain" "$out"
snapshot >"$tmp/snap2"
if cmp -s "$tmp/snap1" "$tmp/snap2"; then ok "a rebuild with nothing changed touches no file"; else diff "$tmp/snap1" "$tmp/snap2" >"$tmp/snap.log"; fail "a rebuild with nothing changed touches no file" "$tmp/snap.log"; fi
cp -R "$tmp/plain" "$tmp/edited"
sed -i 's/^Старшеклассники читают/Старшеклассники охотно читают/' "$tmp/edited/content/practices/chitaem-vmeste.md"
build "$tmp/edited" "$out"
snapshot >"$tmp/snap3"
changed=$(diff "$tmp/snap2" "$tmp/snap3" | grep '^>' | cut -d' ' -f2 | tr '\n' ' ')
if [ "$changed" = "practices/chitaem-vmeste/index.html " ]; then ok "one changed practice rewrites only its page"; else echo "$changed" >"$tmp/changed.log"; fail "one changed practice rewrites only its page" "$tmp/changed.log"; fi

# 3b. The build stamp: with nothing changed a rebuild stops early, says
#     exactly what the full build said, and touches no file at all, not
#     even praktika's own; a change to an input, a new file where the build
#     looked, an option, or a hand edit of the site brings the full build
#     back. (Inputs changed less than a second before a build are never
#     trusted, hence the sleeps.)
st="$tmp/stamped" sout="$tmp/stamped-out"
cp -R "$top/tests/golden/subpath/bank" "$st"
sed -i '0,/^title:/s//nastroenie: bodroe\ntitle:/' "$st/content/practices/chitaem-vmeste.md"
vbuild() { (cd "$st" && "$bin" build . -o "$sout" -v "$@") >"$tmp/build.log" 2>&1; }
snap_all() { find "$sout" -type f -printf '%P %i %T@\n' | sort; }
stamp_case() { # name: expects the last build to have been a full one
	if grep -q "$2" "$tmp/build.log" && ! grep -q 'ничего не изменилось' "$tmp/build.log"; then ok "$1"; else fail "$1" "$tmp/build.log"; fi
}
sleep 1.1
build "$st" "$sout"
cp "$tmp/build.log" "$tmp/stamp-full.log"
if [ ! -e "$sout/.praktika-build" ] && [ -n "$(find "$XDG_CACHE_HOME/praktika" -name 'build-*')" ] &&
	grep -q "nastroenie" "$XDG_CACHE_HOME"/praktika/build-*; then
	ok "the stamp (it holds the report) is kept out of the site"
else
	ls -la "$sout" >"$tmp/stamp-where.log"; fail "the stamp (it holds the report) is kept out of the site" "$tmp/stamp-where.log"
fi
snap_all >"$tmp/stamp-snap1"
build "$st" "$sout"
snap_all >"$tmp/stamp-snap2"
if grep -q "warning: unknown field 'nastroenie'" "$tmp/stamp-full.log" && cmp -s "$tmp/stamp-full.log" "$tmp/build.log"; then
	ok "a skipped build repeats the full build's report"
else
	diff "$tmp/stamp-full.log" "$tmp/build.log" >"$tmp/stamp.diff"; fail "a skipped build repeats the full build's report" "$tmp/stamp.diff"
fi
if cmp -s "$tmp/stamp-snap1" "$tmp/stamp-snap2"; then ok "a skipped build touches no file, manifest and stamp included"; else diff "$tmp/stamp-snap1" "$tmp/stamp-snap2" >"$tmp/snap.log"; fail "a skipped build touches no file, manifest and stamp included" "$tmp/snap.log"; fi
vbuild
if grep -q 'ничего не изменилось' "$tmp/build.log"; then ok "--verbose says nothing changed"; else fail "--verbose says nothing changed" "$tmp/build.log"; fi
printf '\nЕщё один абзац.\n' >>"$st/content/practices/chitaem-vmeste.md"
echo "an older version's stamp, naming people" >"$sout/.praktika-build"
vbuild
stamp_case "an edited practice is noticed" 'полная сборка: изменился .*chitaem-vmeste.md'
if [ ! -e "$sout/.praktika-build" ]; then ok "a stamp an older version left in the site is removed"; else fail "a stamp an older version left in the site is removed"; fi
if grep -q 'Ещё один абзац' "$sout/practices/chitaem-vmeste/index.html"; then ok "the edit reaches the page"; else fail "the edit reaches the page"; fi
sleep 1.1 && build "$st" "$sout"
mkdir -p "$st/themes/default/static" && echo 'User-agent: *' >"$st/themes/default/static/robots.txt"
vbuild
stamp_case "a theme folder added to the bank is noticed" 'полная сборка: изменился .*themes/default'
if [ -f "$sout/robots.txt" ]; then ok "the new theme file is published"; else fail "the new theme file is published" "$tmp/build.log"; fi
sleep 1.1 && build "$st" "$sout"
cp "$sout/index.html" "$tmp/index.html"
echo '<!-- hand edit -->' >>"$sout/index.html"
vbuild
stamp_case "a hand edit of the site is noticed" 'файлы сайта меняли'
if cmp -s "$sout/index.html" "$tmp/index.html"; then ok "the hand-edited page is restored"; else fail "the hand-edited page is restored"; fi
vbuild --drafts
stamp_case "another option is noticed" 'другие параметры'
vbuild && vbuild --force
stamp_case "--force builds anyway" 'загрузка и разбор'

# 3c. The front-matter cache: a rebuild takes every unchanged front matter
#     from it and still checks it (the warning comes again); an edited one
#     is parsed again and reaches the page; a damaged cache is ignored;
#     --no-cache neither reads nor writes it, and gives the same site.
if grep -q 'front matter из кэша: [1-9][0-9]*, разобрано заново: 0' "$tmp/build.log" &&
	grep -q "warning: unknown field 'nastroenie'" "$tmp/build.log"; then
	ok "an unchanged bank's front matter comes from the cache, still checked"
else
	fail "an unchanged bank's front matter comes from the cache, still checked" "$tmp/build.log"
fi
sed -i '0,/^title:.*/s//title: "Читаем вместе: второй год"/' "$st/content/practices/chitaem-vmeste.md"
vbuild
if grep -q 'разобрано заново: 1;' "$tmp/build.log" &&
	grep -q 'Читаем вместе: второй год' "$sout/practices/chitaem-vmeste/index.html"; then
	ok "an edited front matter is parsed again and reaches the page"
else
	fail "an edited front matter is parsed again and reaches the page" "$tmp/build.log"
fi
# A practice found unchanged is not checked again — unless what its checks
# read besides its file changed: a vocabulary entry it uses goes away.
sleep 1.1 && vbuild --force
if grep -q 'практик, не проверенных заново (не изменились): [1-9]' "$tmp/build.log"; then
	ok "unchanged practices are not checked again"
else
	fail "unchanged practices are not checked again" "$tmp/build.log"
fi
cp "$st/data/kinds.yaml" "$tmp/kinds.yaml"
sed -i 's/^- id: proektnoe/- id: proektnoe-2/' "$st/data/kinds.yaml"
vbuild
if grep -q "molodoy-pedagog.md:6:.*unknown kind 'proektnoe'" "$tmp/build.log"; then
	ok "a changed vocabulary is checked against unchanged practices"
else
	fail "a changed vocabulary is checked against unchanged practices" "$tmp/build.log"
fi
cp "$tmp/kinds.yaml" "$st/data/kinds.yaml"
vbuild
caches() { find "$XDG_CACHE_HOME/praktika" -type f ! -name 'build-*' -printf '%f %m\n' | sort; }
if [ "$(find "$sout" -name '*cache*' | wc -l)" -eq 0 ] && [ "$(stat -c %a "$XDG_CACHE_HOME/praktika")" = 700 ] &&
	caches | grep -q '^frontmatter-[0-9a-f]\{16\} 600$'; then
	ok "the cache is in the user's cache folder, private, not in the site"
else
	caches >"$tmp/caches.log"; fail "the cache is in the user's cache folder, private, not in the site" "$tmp/caches.log"
fi
for c in "$XDG_CACHE_HOME"/praktika/frontmatter-*; do printf 'praktika-fmcache 1\nnot a cache' >"$c"; done
vbuild --force
if grep -q 'front matter из кэша: 0,' "$tmp/build.log" && ! grep -q 'error' "$tmp/build.log" &&
	[ "$(cat "$XDG_CACHE_HOME"/praktika/frontmatter-* | wc -c)" -gt 1000 ]; then
	ok "a damaged cache is ignored and written again"
else
	fail "a damaged cache is ignored and written again" "$tmp/build.log"
fi
caches >"$tmp/caches-before"
(cd "$st" && "$bin" build . -o "$tmp/nocache" --quiet --no-cache) >"$tmp/nocache.log" 2>&1
caches >"$tmp/caches-after"
if cmp -s "$tmp/caches-before" "$tmp/caches-after" && diff -r -x '.praktika-*' "$sout" "$tmp/nocache" >"$tmp/nocache.diff" 2>&1; then
	ok "--no-cache writes no cache and the same site"
else
	fail "--no-cache writes no cache and the same site" "$tmp/nocache.diff"
fi
if caches | grep -Eqv '^(frontmatter|pages)-[0-9a-f]+(\.journal)? 600$'; then fail "no temporary cache left behind"; else ok "no temporary cache left behind"; fi

# 3d. Page records: a rebuild renders only the pages whose data changed
#     and keeps the rest as they are; the site is the same as one built
#     from scratch; a changed template renders every page again; --force
#     renders every page; the records are private and not in the site.
# The site in $sout equals one built from scratch (--no-cache).
same_as_scratch() {
	rm -rf "$tmp/scratch" && (cd "$st" && "$bin" build . -o "$tmp/scratch" --quiet --no-cache) >"$tmp/scratch.log" 2>&1 &&
		diff -r -x '.praktika-*' "$sout" "$tmp/scratch" >"$tmp/scratch.diff" 2>&1
}
records_case() { # name status: ok, or the build's report and the difference
	if [ "$2" -eq 0 ]; then
		ok "$1"
	else
		cat "$tmp/build.log" "$tmp/scratch.diff" >"$tmp/records.log" 2>/dev/null
		fail "$1" "$tmp/records.log"
	fi
}
sleep 1.1 && build "$st" "$sout"
sed -i 's/^Старшеклассники читают/Старшеклассники с удовольствием читают/' "$st/content/practices/chitaem-vmeste.md"
vbuild
kept=$(sed -n 's/.*не отрисованы заново): \([0-9]*\)$/\1/p' "$tmp/build.log")
pages=$(sed -n 's/.*: \([0-9]*\) страниц[аы]*, всего.*/\1/p' "$tmp/build.log")
[ -n "$kept" ] && [ "$kept" -gt 0 ] && [ "$kept" -lt "$pages" ] &&
	grep -q 'с удовольствием читают' "$sout/practices/chitaem-vmeste/index.html" &&
	same_as_scratch
records_case "an edited practice renders only some pages, and the site equals one built from scratch" $?
# A rebuild whose pages are all kept never lists content/; a body that
# starts linking to a new file there still publishes it.
mkdir -p "$st/content/files" && echo 'памятка' >"$st/content/files/pamyatka-novaya.txt"
printf '\n[Памятка для наставника](../files/pamyatka-novaya.txt)\n' >>"$st/content/practices/chitaem-vmeste.md"
vbuild
[ -f "$sout/files/pamyatka-novaya.txt" ] && grep -q 'pamyatka-novaya.txt' "$sout/practices/chitaem-vmeste/index.html" &&
	same_as_scratch
records_case "a body that starts linking to a new file publishes it on a rebuild" $?
sed -i '0,/^title:.*/s//title: "Читаем вместе: третий год"/' "$st/content/practices/chitaem-vmeste.md"
vbuild
grep -rq 'Читаем вместе: третий год' "$sout/practices/index.html" "$sout/index.html" &&
	same_as_scratch
records_case "a new title reaches the lists that show it, and the site equals one built from scratch" $?
# A practice page is kept by what its data is made of (its file, its
# card, mentors, tags, neighbours), without making the data: a mentor's
# new position still reaches the page of the practice that names them,
# and only the pages showing it are rendered again.
sed -i 's/^position: учитель русского языка и литературы$/position: заместитель директора по учебной работе/' "$st/content/mentors/ermolaeva-svetlana.md"
vbuild
kept=$(sed -n 's/.*не отрисованы заново): \([0-9]*\)$/\1/p' "$tmp/build.log")
[ -n "$kept" ] && [ "$kept" -gt 0 ] &&
	grep -q 'заместитель директора по учебной работе' "$sout/practices/molodoy-pedagog/index.html" &&
	same_as_scratch
records_case "a mentor's new position reaches their practice's kept-by-inputs page, and the site equals one built from scratch" $?
# Mentor and practice list pages are kept by what their lists are made
# of (the cards or mentors on the page by reference, the counts, the
# filter groups): a mentor's form that nobody had adds a filter link to
# every mentor list page, also to those that do not list them.
sed -i -e 's/^experience: 3$/experience: 3\nforms: [uchenik-uchenik]/' -e 's/^  publish: \[name, position\]$/  publish: [name, position, forms]/' "$st/content/mentors/yolkin-ivan.md"
vbuild
[ -f "$sout/mentors/forms/uchenik-uchenik/index.html" ] &&
	grep -q 'mentors/forms/uchenik-uchenik/' "$sout/mentors/forms/uchitel-uchitel/index.html" &&
	same_as_scratch
records_case "a mentor's new form reaches every mentor list page's filters, and the site equals one built from scratch" $?
# A source's defaults are part of what its practices' pages are made of.
ds="$tmp/defaults-src" db="$tmp/defaults-bank" dout="$tmp/defaults-out"
mkdir -p "$ds/content/practices" "$db/content"
printf -- '---\ntitle: Практика школы\ndate: 2024-02-01\nform: uchenik-uchenik\norganization: Школа\ngoal: Цель практики.\nresults: [Итог.]\n---\nТекст.\n' >"$ds/content/practices/obshchaya.md"
printf 'title: Банк\nregion: "70"\nsources:\n  - {name: school, repo: ../defaults-src, defaults: {region: "70", municipality: Томск}}\n' >"$db/site.yaml"
build "$db" "$dout"
sleep 1.1 && sed -i 's/municipality: Томск/municipality: Северск/' "$db/site.yaml"
(cd "$db" && "$bin" build . -o "$dout" -v) >"$tmp/build.log" 2>&1
if grep -q 'не отрисованы заново): [1-9]' "$tmp/build.log" && grep -q 'Северск' "$dout/practices/obshchaya/index.html"; then
	ok "a source's changed defaults reach its practices' pages"
else
	fail "a source's changed defaults reach its practices' pages" "$tmp/build.log"
fi
# A file the last build read is not read again while its stat says it
# is the same; an edit in place that keeps its size and puts its mtime
# back (touch -r) is still seen: its ctime moved.
sleep 1.1 && vbuild
f="$st/content/practices/chitaem-vmeste.md"
cp -p "$f" "$tmp/ref.md"
sed 's/с удовольствием читают/с удовольствием решают/' "$f" >"$tmp/new.md"
cat "$tmp/new.md" >"$f" && touch -r "$tmp/ref.md" "$f"
vbuild
known=$(sed -n 's/.*не прочитанных заново (не изменились): \([0-9]*\);.*$/\1/p' "$tmp/build.log")
[ "$(stat -c %s "$f")" = "$(stat -c %s "$tmp/ref.md")" ] && [ -n "$known" ] && [ "$known" -gt 0 ] &&
	grep -q 'с удовольствием решают' "$sout/practices/chitaem-vmeste/index.html" &&
	same_as_scratch
records_case "unchanged files are not read again; an edit with the same size and mtime is still seen" $?
# A build that appends to the cache trusts the place of a front matter
# its base holds without reading it (a record stands for the checks):
# when the bytes there are damaged after all, the page that needs the
# whole front matter parses its file again.
vbuild && vbuild
journal=$(ls -t "$XDG_CACHE_HOME"/praktika/frontmatter-*.journal | head -n 1) # this site's
python3 - "${journal%.journal}" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
words = struct.unpack('<10Q', data[-88:-8])
index_off, count = words[0], words[1]
for i in range(count):
    off, length = struct.unpack_from('<QI', data, index_off + 36 * i + 16)
    if b'municipality' in data[off:off + length]:  # a practice's front matter, not its record
        data[off + length // 2] ^= 0xff
open(path, 'wb').write(bytes(data))
PY
rm "$sout/practices/molodoy-pedagog/index.html" # a file not edited here: in the base
vbuild
[ -f "$sout/practices/molodoy-pedagog/index.html" ] && ! grep -q error "$tmp/build.log" && same_as_scratch
records_case "a damaged front matter in the cache's base is parsed again from its file" $?
# Every page's frame (menu, page.*) is fingerprinted by what it is made
# of: a new menu item or site description reaches every page.
sed -i 's|^  - {title: Документы, url: /dokumenty/}$|  - {title: Документы, url: /dokumenty/}\n  - {title: Новости, url: /novosti/}|' "$st/site.yaml"
sed -i 's|^description: .*|description: Раздел сайта гимназии о наставничестве.|' "$st/site.yaml"
vbuild
[ "$(grep -rL 'Новости' --include=index.html "$sout" | wc -l)" -eq 0 ] &&
	[ "$(grep -rl 'Раздел сайта гимназии о наставничестве' --include=index.html "$sout" | wc -l)" -gt 1 ] &&
	same_as_scratch
records_case "a new menu item and site description reach every page, and the site equals one built from scratch" $?
mkdir -p "$st/layouts"
{ cat "$top/themes/default/templates/practice.mustache"; echo '<!-- свой шаблон -->'; } >"$st/layouts/practice.mustache"
vbuild
if grep -q 'не отрисованы заново): 0$' "$tmp/build.log" && grep -q 'свой шаблон' "$sout/practices/chitaem-vmeste/index.html"; then
	ok "a changed template renders every page again"
else
	fail "a changed template renders every page again" "$tmp/build.log"
fi
vbuild --force
if grep -q 'не отрисованы заново): 0$' "$tmp/build.log"; then ok "--force renders every page"; else fail "--force renders every page" "$tmp/build.log"; fi
if [ "$(find "$sout" -name 'pages-*' | wc -l)" -eq 0 ] && [ -n "$(find "$XDG_CACHE_HOME/praktika" -name 'pages-*')" ]; then
	ok "the page records are in the user's cache folder, not in the site"
else
	fail "the page records are in the user's cache folder, not in the site"
fi
rm -rf "$st/layouts"

# 4. A bank with errors writes nothing: the old site stays whole.
cp -R "$top/tests/golden/subpath/bank" "$tmp/broken"
printf -- '---\ntitle: x\n---\n' >"$tmp/broken/content/practices/zz.md"
before=$(find "$out" -type f | sort | xargs md5sum | md5sum)
if build "$tmp/broken" "$out"; then fail "bank with errors is refused"; else ok "bank with errors is refused"; fi
after=$(find "$out" -type f | sort | xargs md5sum | md5sum)
if [ "$before" = "$after" ]; then ok "old site untouched after a failed build"; else fail "old site untouched after a failed build"; fi
if ls "$tmp" | grep -q 'praktika-staging' || caches | grep -Eqv '^(frontmatter|pages)-[0-9a-f]+(\.journal)? 600$'; then fail "no staging folder or temporary cache left behind"; else ok "no staging folder or temporary cache left behind"; fi

# A page that fails to render while the workers have the next batch in
# hand (over two batches of pages, -j 4): the build stops cleanly, waits
# for them, and leaves no staging folder, whichever pages were done.
cp -R "$top/tests/golden/subpath/bank" "$tmp/late"
i=0
while [ $i -lt 300 ]; do
	sed "s/^title: .*/title: Копия $i/" "$tmp/late/content/practices/chitaem-vmeste.md" \
		>"$tmp/late/content/practices/kopiya-$i.md"
	i=$((i + 1))
done
mkdir -p "$tmp/late/layouts"
printf '{{no_such_value}}\n' >"$tmp/late/layouts/practice.mustache"
(cd "$tmp/late" && "$bin" build . -o "$tmp/late-out" --quiet -j 4) >"$tmp/late.log" 2>&1
late_rc=$?
if [ $late_rc -eq 1 ] && grep -q "no_such_value" "$tmp/late.log" && grep -q "сайт не собран" "$tmp/late.log" &&
	! grep -q "Sanitizer" "$tmp/late.log" && [ ! -e "$tmp/late-out" ] &&
	! ls "$tmp" | grep -q 'praktika-staging'; then
	ok "a page failing with the next batch in flight stops the build cleanly"
else
	echo "exit status $late_rc" >>"$tmp/late.log"
	fail "a page failing with the next batch in flight stops the build cleanly" "$tmp/late.log"
fi

# 5. An output folder with someone else's files is never replaced.
mkdir -p "$tmp/foreign"
echo keep >"$tmp/foreign/important.txt"
if build "$top/tests/golden/subpath/bank" "$tmp/foreign"; then fail "foreign output folder refused"; else ok "foreign output folder refused"; fi
if [ "$(cat "$tmp/foreign/important.txt")" = keep ]; then ok "foreign files kept"; else fail "foreign files kept"; fi

# 6. Unconsented personal data never reaches the output.
out="$tmp/site-main"
if grep -rl 'Биография не публикуется' "$tmp/site-bank" >/dev/null 2>&1; then fail "bio without consent is not published"; else ok "bio without consent is not published"; fi
if grep -rl 'Ёлкин' "$tmp/site-bank" >/dev/null 2>&1 && ! grep -rq 'yolkin-ivan/.*experience\|3 года' "$tmp/site-bank/mentors/yolkin-ivan/index.html"; then ok "only consented fields of a mentor"; else fail "only consented fields of a mentor"; fi

# 7. The site is the same byte for byte whatever the number of threads,
#    and so is the front-matter cache but for its last 32 bytes (when the
#    build started, the file's generation, the footer's checksum and the
#    closing magic).
if XDG_CACHE_HOME="$tmp/xj1" build "$top/tests/golden/subpath/bank" "$tmp/j1" -j 1 &&
	XDG_CACHE_HOME="$tmp/xj4" build "$top/tests/golden/subpath/bank" "$tmp/j4" -j 4 &&
	diff -r -x '.praktika-*' "$tmp/j1" "$tmp/j4" >"$tmp/j.log" 2>&1 &&
	head -c -32 "$tmp"/xj1/praktika/frontmatter-* >"$tmp/fm1" && head -c -32 "$tmp"/xj4/praktika/frontmatter-* >"$tmp/fm4" &&
	[ -s "$tmp/fm1" ] && cmp "$tmp/fm1" "$tmp/fm4" >>"$tmp/j.log" 2>&1; then
	ok "-j 1 and -j 4 give identical sites and caches"
else
	fail "-j 1 and -j 4 give identical sites and caches" "$tmp/j.log"
fi
# Bodies rendered on all threads (mentors' biographies among them) report
# their problems in the same order whatever the number of threads.
mkdir -p "$tmp/jb"
cp -R "$top/site.yaml" "$top/content" "$tmp/jb/"
for f in "$tmp"/jb/content/mentors/*.md; do
	printf '\n[Файл](../files/net-takogo-%s.pdf)\n' "$(basename "$f" .md)" >>"$f"
done
(cd "$tmp/jb" && XDG_CACHE_HOME="$tmp/xjb1" "$bin" build . -o "$tmp/jb1" -j 1) >"$tmp/jb1.log" 2>&1
(cd "$tmp/jb" && XDG_CACHE_HOME="$tmp/xjb4" "$bin" build . -o "$tmp/jb4" -j 4) >"$tmp/jb4.log" 2>&1
sed -i 's/[0-9.]* с$//' "$tmp/jb1.log" "$tmp/jb4.log"
sed -i "s|$tmp/jb[14]||" "$tmp/jb1.log" "$tmp/jb4.log"
if [ "$(grep -c 'leads to no file' "$tmp/jb1.log")" -gt 2 ] && diff "$tmp/jb1.log" "$tmp/jb4.log" >"$tmp/jb.diff" 2>&1; then
	ok "messages of bodies rendered on several threads come in the same order as on one"
else
	cat "$tmp/jb1.log" "$tmp/jb.diff" >"$tmp/jb.log"
	fail "messages of bodies rendered on several threads come in the same order as on one" "$tmp/jb.log"
fi
# A broken link in a body is reported at its own line and column.
first=$(sed -n 's/^\(content\/mentors\/[a-z-]*\.md\):\([0-9]*\):\([0-9]*\): warning: link to.*/\1 \2 \3/p' "$tmp/jb1.log" | head -n 1)
set -- $first
if [ $# -eq 3 ] && [ "$2" -eq "$(wc -l <"$tmp/jb/$1")" ] && [ "$3" -eq 1 ]; then
	ok "a broken body link is reported at its line and column"
else
	fail "a broken body link is reported at its line and column" "$tmp/jb1.log"
fi
