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
libmicrohttpd-dev
libsodium-dev
libjansson-dev
libarchive-dev
python3
python3-yaml
chromium
chromium-driver
python3-selenium
poppler-utils
fonts-noto-cjk
clang
cppcheck
openssl
adduser
wrk
nginx-light
zlib1g-dev
fail2ban
aide
libssl-dev
libcurl4-openssl-dev
libpcap-dev
libndpi-dev
libsystemd-dev
libseccomp-dev
nmap
tcpdump
iproute2
systemd-journal-remote
inotify-tools
"

# The console and the monitor drop root privileges to this system user.
ensure_user() {
    if ! getent passwd yojin >/dev/null 2>&1; then
        if [ "$(id -u)" -eq 0 ]; then
            adduser --system --group --no-create-home --home /nonexistent yojin >/dev/null 2>&1
        fi
    fi
}

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    ensure_user
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
ensure_user
