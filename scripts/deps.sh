#!/bin/sh
# Installs every Debian package that yojin's build, tests and benchmarks need.
# Idempotent: packages already present are not touched, and apt is not called at all
# when nothing is missing. Run as root (make run / make test call it).
set -eu

PKGS="
build-essential
cmake
pkg-config
libsqlite3-dev
libyaml-dev
libcmocka-dev
python3
python3-yaml
chromium
poppler-utils
fonts-noto-cjk
clang
cppcheck
"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/deps.sh: missing packages:$missing" >&2
    echo "scripts/deps.sh: run as root (or install them with apt-get) and try again" >&2
    exit 1
fi

echo "scripts/deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
