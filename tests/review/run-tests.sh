#!/bin/sh
# praktika review: a bank repository made with the git program in a
# temporary folder, with a merge request that changes, adds, removes and
# renames files; the summaries are compared exactly with expected.txt and
# expected.md, and the preview site is checked.
#
#   sh tests/review/run-tests.sh BUILD_DIR [--update]
#
# --update rewrites expected.txt and expected.md from this run (review the
# difference before committing it).
#
# The repository: the bank of tests/golden/subpath committed on main
# (BASE); branch mr changes the form, the goal and the text of
# bystrye-vstrechi, adds shahmatnyy-klub, renames chitaem-vmeste.md into
# practices/2023/, edits the page dokumenty and removes the mentor
# ermolaeva-svetlana, whom the unchanged practice molodoy-pedagog still
# names (an error the change causes elsewhere). Branch clean is the same
# without the removal; branch mentor edits a mentor's position; branch
# files adds an attachment, removes a static file and gives site.yaml an
# unknown field (a warning). Commit ids
# in the summaries are replaced by BASE_ID and HEAD_ID before comparing.
set -u
B=$1
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case "$B" in /*) ;; *) B="$top/$B" ;; esac
bin="$B/praktika"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -f "${2:-}" ] && sed 's/^/#   /' "$2" | head -60
	return 0
}
check() { # description command...
	d=$1; shift
	if "$@" >"$tmp/cmd.log" 2>&1; then ok "$d"; else fail "$d" "$tmp/cmd.log"; fi
}
refute() { # description command...: passes when the command fails
	d=$1; shift
	if "$@" >"$tmp/cmd.log" 2>&1; then fail "$d" "$tmp/cmd.log"; else ok "$d"; fi
}
status_is() { # description expected-status file-with-status
	if [ "$(cat "$3")" = "$2" ]; then ok "$1"; else
		echo "exit status $(cat "$3"), expected $2" >"$tmp/why"
		fail "$1" "$tmp/why"
	fi
}
same() { # description expected actual
	if diff -u "$2" "$3" >"$tmp/diff" 2>&1; then ok "$1"; else fail "$1" "$tmp/diff"; fi
}

if [ ! -x "$bin" ]; then
	echo "not ok 1 - praktika not found at $bin (make build/praktika)"
	exit 1
fi

export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" GIT_AUTHOR_NAME="Редактор Банка" \
	GIT_AUTHOR_EMAIL=editor@example.ru GIT_COMMITTER_NAME="Редактор Банка" \
	GIT_COMMITTER_EMAIL=editor@example.ru
repo="$tmp/repo"
g() { git -C "$repo" "$@"; }
commit() { # date message
	GIT_AUTHOR_DATE="$1T12:00:00+00:00" GIT_COMMITTER_DATE="$1T12:00:00+00:00" \
		g commit -q -m "$2"
}

# The merge request's edits; "with_removal" also removes the mentor.
edit_bank() {
	p="$repo/content/practices"
	sed -i 's/^form: ученик — ученик$/form: uchitel-uchenik/' "$p/bystrye-vstrechi.md"
	sed -i 's/^goal: .*/goal: Знакомство старшеклассников с профессиями выпускников гимназии./' \
		"$p/bystrye-vstrechi.md"
	echo "Каждая встреча заканчивается вопросами слушателей." >>"$p/bystrye-vstrechi.md"
	mkdir -p "$p/2023"
	g mv content/practices/chitaem-vmeste.md content/practices/2023/chitaem-vmeste.md
	cat >"$p/shahmatnyy-klub.md" <<'EOF'
---
title: Шахматный клуб «Ладья»
date: 2024-09-10
form: uchenik-uchenik
region: "70"
organization: МАОУ «Гимназия № 7»
goal: Развитие логического мышления через игру в шахматы.
results: [Команда гимназии вышла в финал городского турнира.]
---
Старшеклассники ведут занятия шахматного клуба для пятиклассников.
EOF
	sed -i 's|^- Дорожная карта.*|- Дорожная карта внедрения целевой модели наставничества на 2025/26 учебный год.|' \
		"$repo/content/pages/dokumenty.md"
	[ "${1:-}" = with_removal ] && g rm -q content/mentors/ermolaeva-svetlana.md
	g add -A
}

mkdir -p "$repo"
cp -R "$top/tests/golden/subpath/bank/." "$repo/"
g init -q -b main
g add -A
commit 2024-03-01 "Банк гимназии"
g checkout -q -b mr
edit_bank with_removal
commit 2024-10-01 "Запрос на слияние: практики и наставники"
g checkout -q -b clean main
edit_bank
commit 2024-10-01 "Запрос на слияние без удаления наставника"
g checkout -q -b mentor main
sed -i 's/^position: учитель информатики$/position: учитель информатики и робототехники/' \
	"$repo/content/mentors/yolkin-ivan.md"
g add -A
commit 2024-10-02 "Новая должность наставника"
g checkout -q -b files main
echo "План работы наставников" >"$repo/content/files/plan.txt"
echo "per_pag: 3" >>"$repo/site.yaml"
g rm -q static/robots-note.txt
g add -A
commit 2024-10-03 "Файлы и настройки"
g checkout -q main

# Runs praktika review in the repository: review NAME args... writes
# NAME.out (stdout, commit ids replaced), NAME.err and NAME.status.
review() {
	name=$1; shift
	(cd "$repo" && "$bin" review "$@") >"$tmp/$name.raw" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.status"
	base_id=$(g rev-parse main | cut -c1-7)
	head_id=$(g rev-parse "${2:-HEAD}" 2>/dev/null | cut -c1-7)
	sed "s/$base_id/BASE_ID/g; s/${head_id:-HEAD_ID}/HEAD_ID/g" "$tmp/$name.raw" >"$tmp/$name.out"
}

# 1. The merge request, as text and as Markdown.
review text main mr
review md main mr --format markdown
if [ "$update" = "--update" ]; then
	cp "$tmp/text.out" "$here/expected.txt"
	cp "$tmp/md.out" "$here/expected.md"
fi
status_is "review exits 1 when the change causes an error elsewhere" 1 "$tmp/text.status"
same "text summary is exactly expected.txt" "$here/expected.txt" "$tmp/text.out"
status_is "review --format markdown exits 1 too" 1 "$tmp/md.status"
same "markdown summary is exactly expected.md" "$here/expected.md" "$tmp/md.out"
check "nothing on stderr without -o" test ! -s "$tmp/text.err"

# 2. The same merge request without the removal is clean.
review clean main clean
status_is "review of a clean merge request exits 0" 0 "$tmp/clean.status"
check "clean summary ends with no errors" sh -c "tail -n 1 '$tmp/clean.out' | grep -qx 'Итог: ошибок в изменениях нет'"
check "clean summary lists the caused problems as none" \
	grep -qx 'Проблемы, вызванные изменениями, в других файлах: нет' "$tmp/clean.out"
refute "clean summary does not list the kept mentor" grep -q 'ermolaeva' "$tmp/clean.out"

# 3. The preview of the clean merge request.
prev="$tmp/preview"
review preview main clean -o "$prev"
status_is "review -o exits 0" 0 "$tmp/preview.status"
check "the preview has changes/index.html" test -f "$prev/changes/index.html"
check "changes/ links the changed practice" \
	grep -q '<a href="/nastavnichestvo/practices/bystrye-vstrechi/">Быстрые встречи с выпускниками</a>' \
	"$prev/changes/index.html"
check "changes/ shows the old and the new form" \
	grep -q '<del>ученик — ученик</del>.*<ins>uchitel-uchenik</ins>' "$prev/changes/index.html"
check "changes/ links the renamed practice at its slug" \
	grep -q 'href="/nastavnichestvo/practices/chitaem-vmeste/"' "$prev/changes/index.html"
page="$prev/practices/bystrye-vstrechi/index.html"
check "the changed practice shows the «изменено» badge on its form" \
	grep -q '<dt class="review-changed">Форма наставничества <span class="review-badge">изменено</span></dt>' "$page"
check "the changed practice shows the old form" grep -q 'было: ученик — ученик' "$page"
check "the changed practice marks its goal section" \
	grep -q '<section class="practice-section review-changed">' "$page"
check "the changed practice marks its text" \
	grep -q 'practice-body review-changed' "$page"
check "the renamed practice names its former file" \
	grep -q 'content/practices/chitaem-vmeste.md' "$prev/practices/chitaem-vmeste/index.html"
check "the changed page is marked" grep -q 'prose review-changed' "$prev/dokumenty/index.html"
check "the review says where the preview is" grep -q 'предпросмотр собран' "$tmp/preview.err"

# Pages the change does not touch are byte for byte those of a normal
# build (review: null changes nothing in the templates).
"$bin" build --rev clean --repo "$repo" -o "$tmp/normal" --quiet >"$tmp/normal.log" 2>&1
check "other pages equal a normal build" diff -r -x changes -x bystrye-vstrechi \
	-x chitaem-vmeste -x shahmatnyy-klub -x dokumenty -x '.praktika-*' "$tmp/normal" "$prev"
refute "the normal build's pages have no review marks" grep -rq --include='*.html' 'review-' "$tmp/normal"

# 4. A mentor's changed field.
review mentor main mentor -o "$tmp/mentor-preview"
status_is "review of a mentor's change exits 0" 0 "$tmp/mentor.status"
check "the mentor's summary names the field" \
	grep -qx '      position: учитель информатики → учитель информатики и робототехники' "$tmp/mentor.out"
check "the mentor's page marks the position" \
	grep -q 'class="lead review-changed">учитель информатики и робототехники <span class="review-badge">изменено</span><span class="review-was">было: учитель информатики</span>' \
	"$tmp/mentor-preview/mentors/yolkin-ivan/index.html"

# 5. Other files; a warning in a changed file does not block the merge.
review files main files
status_is "a warning in a changed file exits 0" 0 "$tmp/files.status"
check "other files are listed" sh -c "grep -A3 -x 'Другие файлы' '$tmp/files.out' | tr '\n' '|' | \
	grep -qx 'Другие файлы|  добавлен: content/files/plan.txt|  изменён: site.yaml|  удалён: static/robots-note.txt|'"
check "the warning of site.yaml is among the problems of changed files" \
	grep -q "^  site.yaml:[0-9:]*: warning: unknown field 'per_pag'" "$tmp/files.out"
check "the verdict counts the warning" grep -qx 'Итог: ошибок в изменениях нет (1 предупреждение)' "$tmp/files.out"

# 6. No preview from a bank with errors; the summary still comes.
review broken main mr -o "$tmp/broken-preview"
status_is "review -o of a change with errors exits 1" 1 "$tmp/broken.status"
check "no preview is written from a bank with errors" test ! -e "$tmp/broken-preview"
check "the summary is printed anyway" grep -q '^Итог: в изменениях 1 ошибка' "$tmp/broken.out"
check "stderr says why there is no preview" grep -q 'предпросмотр не собран' "$tmp/broken.err"

# 7. No changes; --repo from elsewhere.
review same main main
status_is "comparing a revision with itself exits 0" 0 "$tmp/same.status"
check "comparing a revision with itself reports no changes" grep -qx 'Изменений в банке нет.' "$tmp/same.out"
(cd "$tmp" && "$bin" review main mr --repo "$repo") >"$tmp/repo.out" 2>&1
echo $? >"$tmp/repo.status"
status_is "--repo from another folder gives the same verdict" 1 "$tmp/repo.status"
check "--repo shows paths under the repository" grep -q "^  $repo/content/practices/molodoy-pedagog.md:10:11: error:" "$tmp/repo.out"

# 8. Usage and revisions.
review nobase
status_is "no base revision is bad usage (2)" 2 "$tmp/nobase.status"
review badfmt main mr --format xml
status_is "an unknown format is bad usage (2)" 2 "$tmp/badfmt.status"
review badopt main mr --frobnicate
status_is "an unknown option is bad usage (2)" 2 "$tmp/badopt.status"
review toomany main mr clean
status_is "a third revision is bad usage (2)" 2 "$tmp/toomany.status"
review help --help
status_is "--help exits 0" 0 "$tmp/help.status"
check "--help prints the usage in Russian" grep -q '^Использование: praktika review БАЗА' "$tmp/help.raw"
review norev main v9
status_is "an unknown revision exits 1" 1 "$tmp/norev.status"
check "an unknown revision is named" grep -q "unknown revision 'v9'" "$tmp/norev.err"

# 9. The preview's own pages, checked with tidy. (The templates with review
#    data are rendered strictly from mocks by tests/theme-data.)
theme="$top/themes/default"
have_tidy=yes
command -v tidy >/dev/null 2>&1 || have_tidy=
tidy_ok() { # html: true when tidy has nothing to say but aria-current
	[ -z "$have_tidy" ] && return 0
	tidy -q -e "$1" 2>&1 | grep -v 'proprietary attribute "aria-current"' >"$tmp/tidy.log"
	[ ! -s "$tmp/tidy.log" ]
}
for f in changes/index.html practices/bystrye-vstrechi/index.html \
	practices/chitaem-vmeste/index.html dokumenty/index.html; do
	check "tidy finds nothing in the preview's $f" tidy_ok "$prev/$f"
done
check "tidy finds nothing in the mentor's preview page" \
	tidy_ok "$tmp/mentor-preview/mentors/yolkin-ivan/index.html"
[ -z "$have_tidy" ] && echo "# SKIP tidy is not installed: HTML not checked"

echo "1..$n"
[ "$failed" -eq 0 ]
