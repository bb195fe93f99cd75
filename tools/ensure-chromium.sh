#!/usr/bin/env bash
# Make sure a headless Chromium is available for the report's browser test.
# Prints the browser's path and exits 0; installs Debian's `chromium` package
# when missing and running as root (CI and the dev machines are); exits 1 otherwise.
# Usage: tools/ensure-chromium.sh   (e.g. from .ci/run before the tests)
set -euo pipefail

find_chromium() {
    local c
    for c in "${CHROMIUM:-}" chromium chromium-browser google-chrome-stable google-chrome; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

if find_chromium; then
    exit 0
fi

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: chromium not found and cannot install it (needs root and apt-get)" >&2
    exit 1
fi

echo "ensure-chromium: installing Debian's chromium package..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-liberation >&2
find_chromium
