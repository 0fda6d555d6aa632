#!/bin/sh
# Installs the Debian packages praktika needs to build and test, and only
# those that are missing; says what it installs. Uses sudo when not root.
set -eu
PACKAGES="build-essential pkg-config clang libclang-rt-14-dev valgrind
libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libgit2-dev
libicu-dev libstemmer-dev libmicrohttpd-dev libjemalloc-dev libcmocka-dev tidy git python3"
missing=
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "Все нужные пакеты Debian уже установлены."
	exit 0
fi
echo "Устанавливаю пакеты Debian:$missing"
sudo=
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
fi
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
