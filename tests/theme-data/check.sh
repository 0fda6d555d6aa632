#!/bin/sh
# Renders every page template of the default theme with its mock data in
# strict mode and checks the HTML with tidy.
#
#   sh tests/theme-data/check.sh [BUILD_DIR] [LANG]
#
# Each NAME.yaml here is the data of one page (site, page and the page's own
# keys, shaped as docs/theming.md says) without t: the strings of
# themes/default/i18n/LANG.yaml are added under t. NAME-suffix.yaml uses the
# template NAME (list-form.yaml → list.mustache). tidy 5.6 does not know
# aria-current, so that one warning is ignored.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-build}
lang=${2:-ru}
bin=$top/$B/praktika
theme=$top/themes/default
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
for data in "$top"/tests/theme-data/*.yaml; do
	name=$(basename "$data" .yaml)
	tmpl=${name%%-*}
	{
		cat "$data"
		echo "t:"
		sed 's/^/  /' "$theme/i18n/$lang.yaml"
	} >"$tmp/$name.yaml"
	if ! "$bin" tmpl "$theme/templates/$tmpl.mustache" "$tmp/$name.yaml" \
		--partials "$theme/templates" --strict >"$tmp/$name.html"; then
		echo "not ok - $name: render failed"
		failed=1
		continue
	fi
	tidy -q -e "$tmp/$name.html" 2>"$tmp/$name.tidy"
	if grep -v 'proprietary attribute "aria-current"' "$tmp/$name.tidy" | grep -q .; then
		echo "not ok - $name: tidy"
		grep -v 'proprietary attribute "aria-current"' "$tmp/$name.tidy" | sed 's/^/#   /'
		failed=1
	else
		echo "ok - $name"
	fi
done
exit $failed
