#!/bin/sh
# Renders every page template of the default theme with the mock data here,
# in strict mode and once per interface language, and checks the HTML with
# tidy. Prints TAP lines; exits 1 if any test failed.
#
#   sh tests/theme-data/run-tests.sh BUILD_DIR
#
# BUILD_DIR (holding praktika) is absolute or relative to the repository root.
#
# Each NAME.yaml here is the data of one page as praktika builds it (site,
# page and the page's own keys, see docs/theming.md and src/site/values.c,
# src/site/pages.c) without t: the strings of themes/default/i18n/LANG.yaml
# are added under t. NAME-suffix.yaml uses the template NAME
# (list-form.yaml → list.mustache). tidy 5.6 does not know aria-current, so
# that one warning is ignored.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-build}
case $B in
/*) bin=$B/praktika ;;
*) bin=$top/$B/praktika ;;
esac
here=$top/tests/theme-data
theme=$top/themes/default
langs="ru en"
kinds="home practice practices form kind region year tag forms kinds regions years tags mentors mentor page 404"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
n=0
failed=0

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}

fail() { # description [file with the details]
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -n "${2:-}" ] && sed 's/^/#   /' "$2"
	return 0
}

# mock data + t: from the language's strings
with_strings() { # mock lang out
	{
		cat "$1"
		echo "t:"
		sed 's/^/  /' "$theme/i18n/$2.yaml"
	} >"$3"
}

if [ ! -x "$bin" ]; then
	echo "praktika not found at $bin: build it first (make build/praktika)" >"$tmp/why"
	fail "praktika binary" "$tmp/why"
	echo "1..$n"
	exit 1
fi
have_tidy=yes
command -v tidy >/dev/null 2>&1 || have_tidy=

for data in "$here"/*.yaml; do
	name=$(basename "$data" .yaml)
	tmpl=$theme/templates/${name%%-*}.mustache
	for lang in $langs; do
		what="$name ($lang)"
		out=$tmp/$name.$lang
		if [ ! -f "$tmpl" ]; then
			echo "no template $tmpl for $name.yaml" >"$tmp/why"
			fail "$what" "$tmp/why"
			continue
		fi
		if grep -q '^t:' "$data"; then
			echo "$name.yaml has its own t:; the strings come from themes/default/i18n/" >"$tmp/why"
			fail "$what" "$tmp/why"
			continue
		fi
		with_strings "$data" "$lang" "$out.yaml"
		if ! "$bin" tmpl "$tmpl" "$out.yaml" --partials "$theme/templates" --strict \
			>"$out.html" 2>"$out.err"; then
			{
				echo "strict rendering of $(basename "$tmpl") failed:"
				cat "$out.err"
			} >"$tmp/why"
			fail "$what" "$tmp/why"
			continue
		fi
		if [ -z "$have_tidy" ]; then
			pass "$what # SKIP tidy is not installed: rendered in strict mode only"
			continue
		fi
		tidy -q -e "$out.html" 2>"$out.tidy"
		rc=$?
		grep -v 'proprietary attribute "aria-current"' "$out.tidy" >"$out.issues"
		if [ -s "$out.issues" ] || [ "$rc" -gt 1 ]; then
			{
				echo "tidy (exit $rc):"
				cat "$out.issues"
			} >"$tmp/why"
			fail "$what" "$tmp/why"
		else
			pass "$what"
		fi
	done
done

# The check can fail: a misspelt name is an error in strict mode, while the
# same template with the right name renders.
mock=$here/page.yaml
with_strings "$mock" ru "$tmp/negative.yaml"
printf '<p>{{page.titel}}</p>\n' >"$tmp/misspelt.mustache"
printf '<p>{{page.title}}</p>\n' >"$tmp/spelt.mustache"
"$bin" tmpl "$tmp/spelt.mustache" "$tmp/negative.yaml" --strict >"$tmp/spelt.out" 2>&1
spelt=$?
"$bin" tmpl "$tmp/misspelt.mustache" "$tmp/negative.yaml" --strict >"$tmp/misspelt.out" 2>&1
misspelt=$?
if [ "$spelt" -eq 0 ] && [ "$misspelt" -ne 0 ] && grep -q "page.titel" "$tmp/misspelt.out"; then
	pass "strict mode catches a misspelt name"
else
	{
		echo "{{page.title}} with page.yaml: exit $spelt"
		cat "$tmp/spelt.out"
		echo "{{page.titel}} with page.yaml: exit $misspelt (expected an error naming page.titel)"
		cat "$tmp/misspelt.out"
	} >"$tmp/why"
	fail "strict mode catches a misspelt name" "$tmp/why"
fi

# Every page template has mock data, and every page kind is in some mock.
missing=
for t in "$theme"/templates/*.mustache; do
	t=$(basename "$t" .mustache)
	[ "$t" = base ] && continue
	[ -f "$here/$t.yaml" ] || missing="$missing $t"
done
if [ -z "$missing" ]; then
	pass "every page template has mock data"
else
	echo "no $here/NAME.yaml for:$missing" >"$tmp/why"
	fail "every page template has mock data" "$tmp/why"
fi
missing=
for k in $kinds; do
	grep -q "^  is_$k: true" "$here"/*.yaml || missing="$missing $k"
done
if [ -z "$missing" ]; then
	pass "every page kind has mock data"
else
	echo "no mock with page.is_<kind> true for:$missing" >"$tmp/why"
	fail "every page kind has mock data" "$tmp/why"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
