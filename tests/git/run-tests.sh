#!/bin/sh
# Banks in git: real repositories made with the git program in a temporary
# folder (praktika itself reads them through libgit2 only).
set -u
B=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case "$B" in /*) ;; *) B="$top/$B" ;; esac
bin="$B/praktika"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; [ -f "${2:-}" ] && sed 's/^/#   /' "$2" | head -30; }
check() { # description command...
	d=$1; shift
	if "$@" >"$tmp/cmd.log" 2>&1; then ok "$d"; else fail "$d" "$tmp/cmd.log"; fi
}

export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" GIT_AUTHOR_NAME="Редактор Банка" \
	GIT_AUTHOR_EMAIL=editor@example.ru GIT_COMMITTER_NAME="Редактор Банка" \
	GIT_COMMITTER_EMAIL=editor@example.ru
commit() { # date message
	GIT_AUTHOR_DATE="$1T12:00:00+00:00" GIT_COMMITTER_DATE="$1T12:00:00+00:00" \
		git -C "$repo" commit -q -m "$2"
}

# A bank whose practice has no date: git gives it one.
repo="$tmp/repo"
mkdir -p "$repo"
cp -R "$top/tests/golden/subpath/bank/." "$repo/"
sed -i '/^date: 2023-11-20$/d' "$repo/content/practices/chitaem-vmeste.md"
git -C "$repo" init -q -b main
git -C "$repo" add -A
commit 2024-03-01 "Первая версия банка"
sed -i 's/^title: Читаем вместе$/title: Читаем вместе со старшими/' "$repo/content/practices/chitaem-vmeste.md"
git -C "$repo" add -A
GIT_AUTHOR_NAME="Второй Автор" commit 2024-05-20 "Уточнено название"

build() { # out args...
	out=$1; shift
	"$bin" build "$@" -o "$out" --quiet
}

# 1. The same content gives the same site from the working tree and from
#    the commit that holds it.
check "build from the working tree" build "$tmp/wt" "$repo"
check "build from --rev HEAD" build "$tmp/rev" --rev HEAD --repo "$repo"
check "working tree and HEAD give byte-identical sites" diff -r -x '.praktika-*' "$tmp/wt" "$tmp/rev"

page="$tmp/rev/practices/chitaem-vmeste/index.html"
check "a practice without date is dated by its first commit" grep -q 'datetime="2024-03-01">1 марта 2024' "$page"
check "the last commit gives the updated date" grep -q 'datetime="2024-05-20">20 мая 2024' "$page"
check "sitemap lastmod comes from git" grep -q '<lastmod>2024-05-20</lastmod>' "$tmp/rev/sitemap.xml"
check "the feed's updated date comes from git" grep -q '<updated>2024-05-20T00:00:00Z</updated>' "$tmp/rev/atom.xml"
if grep -q 'Второй Автор' "$page"; then fail "contributors are off by default"; else ok "contributors are off by default"; fi

# 2. An older revision, by any name git knows.
git -C "$repo" tag v1 HEAD~1
check "build --rev v1" build "$tmp/v1" --rev v1 --repo "$repo"
check "--rev v1 has the old title" grep -q '<h1[^>]*>Читаем вместе</h1>' "$tmp/v1/practices/chitaem-vmeste/index.html"
check "build --rev HEAD~1 equals --rev v1" diff -r -x '.praktika-*' "$tmp/v1" "$(build "$tmp/h1" --rev HEAD~1 --repo "$repo" && echo "$tmp/h1")"

# 2b. Revisions built one after another into one folder: the files that
#     are the same blob as last time are not read again (a blob is its own
#     stat), the one that changed is, and the site is the revision's.
build "$tmp/inc" --rev v1 --repo "$repo"
"$bin" build --rev HEAD --repo "$repo" -o "$tmp/inc" -v >"$tmp/inc.log" 2>&1
known=$(sed -n 's/.*не прочитанных заново (не изменились): \([0-9]*\);.*$/\1/p' "$tmp/inc.log")
if [ -n "$known" ] && [ "$known" -gt 0 ] && grep -q 'разобрано заново: 1;' "$tmp/inc.log" &&
	diff -r -x '.praktika-*' "$tmp/rev" "$tmp/inc" >>"$tmp/inc.log" 2>&1; then
	ok "a revision after another reads only the files that changed"
else
	fail "a revision after another reads only the files that changed" "$tmp/inc.log"
fi

# 3. The working tree is never read in revision mode.
echo "broken" >"$repo/site.yaml"
check "revision build ignores the working tree" build "$tmp/rev2" --rev HEAD --repo "$repo"
git -C "$repo" checkout -q -- site.yaml

# 4. A bare repository, as on a git server.
git clone -q --bare "$repo" "$tmp/bare.git"
check "build in a bare repository" build "$tmp/bare" --rev main --repo "$tmp/bare.git"
check "bare repository gives the same site" diff -r -x '.praktika-*' "$tmp/rev" "$tmp/bare"

# 5. Contributors only when site.yaml asks.
echo "show_contributors: true" >>"$repo/site.yaml"
git -C "$repo" add -A
commit 2024-06-01 "Показывать авторов"
check "build with contributors" build "$tmp/contrib" --rev HEAD --repo "$repo"
check "contributors shown when asked" grep -q 'Второй Автор' "$tmp/contrib/practices/chitaem-vmeste/index.html"

# 6. Uncommitted changes: marked in --verbose, dated by the file's mtime.
sed -i 's/^title: Читаем вместе со старшими$/title: Читаем вместе каждый день/' "$repo/content/practices/chitaem-vmeste.md"
touch -d '2024-07-15 10:00' "$repo/content/practices/chitaem-vmeste.md"
"$bin" build "$repo" -o "$tmp/dirty" --verbose >"$tmp/dirty.log" 2>&1
check "--verbose names the uncommitted file" grep -q 'не зафиксирован в git.*content/practices/chitaem-vmeste.md' "$tmp/dirty.log"
check "an uncommitted file is dated by its mtime" grep -q 'datetime="2024-07-15"' "$tmp/dirty/practices/chitaem-vmeste/index.html"
# What git status lists is uncommitted: an edit staged but not committed,
# a new file never added, an ignored one; a committed file is not.
git -C "$repo" add content/practices/chitaem-vmeste.md
sed 's/^title: .*/title: Новая практика/' "$repo/content/practices/chitaem-vmeste.md" >"$repo/content/practices/novaya.md"
sed 's/^title: .*/title: Скрытая практика/' "$repo/content/practices/chitaem-vmeste.md" >"$repo/content/practices/skrytaya.md"
echo 'content/practices/skrytaya.md' >"$repo/.gitignore"
"$bin" build "$repo" -o "$tmp/dirty" --verbose >"$tmp/dirty.log" 2>&1
check "a staged edit, a new and an ignored file are uncommitted" sh -c "grep -q 'не зафиксирован в git.*chitaem-vmeste.md' '$tmp/dirty.log' && grep -q 'не зафиксирован в git.*novaya.md' '$tmp/dirty.log' && grep -q 'не зафиксирован в git.*skrytaya.md' '$tmp/dirty.log' && [ \$(grep -c 'не зафиксирован в git' '$tmp/dirty.log') -eq 3 ]"
git -C "$repo" reset -q
rm -f "$repo/content/practices/novaya.md" "$repo/content/practices/skrytaya.md" "$repo/.gitignore"
git -C "$repo" checkout -q -- .

# 7. A shallow clone is reported, not silently used.
git clone -q --depth 1 "file://$repo" "$tmp/shallow"
"$bin" check "$tmp/shallow" >"$tmp/shallow.log" 2>&1
check "a shallow clone is reported" grep -q 'warning: shallow clone' "$tmp/shallow.log"

# 8. Errors name what is wrong.
"$bin" build --rev v9 --repo "$repo" -o "$tmp/none" >"$tmp/v9.log" 2>&1
check "unknown revision is an error" grep -qx "$repo: error: unknown revision 'v9'" "$tmp/v9.log"
"$bin" build --rev HEAD --repo "$tmp/nothing" -o "$tmp/none" >"$tmp/norepo.log" 2>&1
check "a missing repository is an error" grep -q 'error: git repository not found' "$tmp/norepo.log"
if [ -e "$tmp/none" ]; then fail "nothing written after an error"; else ok "nothing written after an error"; fi

# 9. Many sources, one bank: a council joins its schools' banks.
school() { # dir slug title
	mkdir -p "$1/content/practices" "$1/content/mentors" "$1/content/files"
	cat >"$1/content/practices/$2.md" <<PRACTICE
---
title: $3
date: 2024-02-01
form: uchenik-uchenik
organization: Школа
mentors: [orlova]
goal: Цель практики.
results: [Итог.]
attachments: [{title: План, file: files/plan.txt}]
---
Текст.
PRACTICE
	printf -- '---\nname: Орлова Анна Ивановна\nposition: учитель\norganization: Школа\nregion: "70"\nconsent: {date: 2024-01-01, publish: [name, position]}\n---\n' >"$1/content/mentors/orlova.md"
	echo "план $3" >"$1/content/files/plan.txt"
}
council="$tmp/council"
mkdir -p "$council/content"
school "$tmp/school-a" obshchaya "Практика школы А"
repo=$tmp/school-b
mkdir -p "$repo/bank"
school "$repo/bank" obshchaya "Практика школы Б"
git -C "$repo" init -q -b main
git -C "$repo" add -A
commit 2024-02-10 "Банк школы Б"
cat >"$council/site.yaml" <<'SITE'
title: Банк совета
region: "70"
sources:
  - {name: school-a, repo: ../school-a, defaults: {region: "70"}}
  - {name: school-b, repo: ../school-b, rev: main, path: bank, defaults: {region: "54"}}
SITE
"$bin" check "$council" >"$tmp/clash.log" 2>&1
check "a slug clash between sources is an error naming both" grep -q "duplicate practice slug 'obshchaya' in source 'school-b' (also used by .*school-a/content/practices/obshchaya.md in source 'school-a')" "$tmp/clash.log"
sed -i 's|{name: school-b, repo: ../school-b, rev: main, path: bank, defaults: {region: "54"}}|{name: school-b, repo: ../school-b, rev: main, path: bank, prefix: b-, defaults: {region: "54"}}|' "$council/site.yaml"
sed -i 's|{name: school-a, repo: ../school-a, defaults: {region: "70"}}|{name: school-a, repo: ../school-a, prefix: a-, defaults: {region: "70"}}|' "$council/site.yaml"
check "prefixes keep the sources apart" build "$tmp/council-site" "$council"
check "practice of a working-tree source" test -f "$tmp/council-site/practices/a-obshchaya/index.html"
check "practice of a git source at a revision" test -f "$tmp/council-site/practices/b-obshchaya/index.html"
check "source defaults fill the region" grep -q 'regions/54/' "$tmp/council-site/practices/b-obshchaya/index.html"
check "mentor references stay within their source" grep -q 'mentors/b-orlova/' "$tmp/council-site/practices/b-obshchaya/index.html"
check "another source's attachment is published under sources/" grep -q 'план Практика школы Б' "$tmp/council-site/sources/school-b/files/plan.txt"
check "the git source is dated by its history" grep -q 'datetime="2024-02-10"' "$tmp/council-site/practices/b-obshchaya/index.html"
# The build stamp knows its git inputs: a new commit on a source's branch
# brings the full build back, though no file of the council changed.
sleep 1.1
build "$tmp/council-site" "$council"
"$bin" build "$council" -o "$tmp/council-site" -v >"$tmp/stamp1.log" 2>&1
check "nothing changed: the council's rebuild is skipped" grep -q 'ничего не изменилось' "$tmp/stamp1.log"
echo "новый пункт плана" >>"$repo/bank/content/files/plan.txt"
git -C "$repo" add -A
commit 2024-03-01 "План дополнен"
"$bin" build "$council" -o "$tmp/council-site" -v >"$tmp/stamp2.log" 2>&1
check "a new commit of a git source is noticed" grep -q 'полная сборка: изменился .*school-b' "$tmp/stamp2.log"
check "and its change is published" grep -q 'новый пункт плана' "$tmp/council-site/sources/school-b/files/plan.txt"
sed -i 's|rev: main|rev: nope|' "$council/site.yaml"
"$bin" check "$council" >"$tmp/badsrc.log" 2>&1
check "a bad source revision is reported" grep -q "school-b: error: unknown revision 'nope'" "$tmp/badsrc.log"
