#!/usr/bin/env bash
# npm run test:fresh: the whole test suite on a fresh Debian machine with Node.js 20.
# Installs the Debian packages the tests need when they are missing (as root, or through
# sudo), runs `npm ci` when node_modules is missing or not what package-lock.json names, then
# `npm test` (extra arguments go to jest). On a ready machine it installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each program as the tests find it (test/support/programs.ts): its override variable (a
# folder when its name ends in _DIR), else the first executable of that name on PATH, else
# the package's own folders (Debian keeps PostgreSQL off PATH, in /usr/lib/postgresql/<major>/bin).
# Chromium drives the Web Chat browser tests (playwright-core, nothing downloaded);
# redis-server and redis-cli make the tests' own single nodes and three-master cluster on free
# loopback ports; initdb and postgres make the tests' own PostgreSQL in a temporary folder.
# .ci/run installs the same packages up front.
PROGRAMS=(
  "chromium CHROMIUM_PATH chromium"
  "redis-server REDIS_SERVER_PATH redis-server"
  "redis-cli REDIS_CLI_PATH redis-tools"
  "postgres POSTGRES_BIN_DIR postgresql /usr/lib/postgresql/*/bin"
  "initdb POSTGRES_BIN_DIR postgresql /usr/lib/postgresql/*/bin"
)

say() { echo "test:fresh: $*" >&2; }

is_executable() { [ -f "$1" ] && [ -x "$1" ]; }

find_program() { # name variable [folder glob]
  local override="${!2:-}" file
  if [ -n "$override" ]; then
    if [[ $2 == *_DIR ]]; then is_executable "$override/$1"; else is_executable "$override"; fi
    return
  fi
  command -v "$1" >/dev/null 2>&1 && return
  for file in ${3:+$3/$1}; do
    is_executable "$file" && return
  done
  return 1
}

# Sets MISSING_PACKAGES and MISSING_PROGRAMS.
find_missing() {
  MISSING_PACKAGES=()
  MISSING_PROGRAMS=()
  local entry name variable package folders where
  for entry in "${PROGRAMS[@]}"; do
    read -r name variable package folders <<<"$entry"
    if ! find_program "$name" "$variable" "$folders"; then
      # postgres and initdb come from one package: name it once.
      [[ " ${MISSING_PACKAGES[*]} " == *" $package "* ]] || MISSING_PACKAGES+=("$package")
      if [[ $variable == *_DIR ]]; then where=in; else where=at; fi
      MISSING_PROGRAMS+=("$name${!variable:+ $where ${!variable} ($variable)}")
    fi
  done
  # A CJK font and an emoji font only for the screenshots people look at (no test reads
  # glyphs): any will do. Without an emoji font 👍 on a button is an empty box.
  if ! { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family)" ]; }; then
    MISSING_PACKAGES+=(fonts-wqy-zenhei)
  fi
  if ! { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :charset=1f44d family)" ]; }; then
    MISSING_PACKAGES+=(fonts-noto-color-emoji)
  fi
}

join() { local IFS=,; echo "$*"; }

find_missing
if [ "${#MISSING_PACKAGES[@]}" -gt 0 ]; then
  APT=(env DEBIAN_FRONTEND=noninteractive apt-get)
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then APT=(sudo "${APT[@]}"); fi
  if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; }; then
    say "the tests need the Debian packages ${MISSING_PACKAGES[*]}: run this as root or install them (apt-get install ${MISSING_PACKAGES[*]})"
    exit 1
  fi
  say "installing ${MISSING_PACKAGES[*]}"
  if ! "${APT[@]}" update -q || ! "${APT[@]}" install -y -q --no-install-recommends "${MISSING_PACKAGES[@]}"; then
    say "apt-get could not install ${MISSING_PACKAGES[*]}: install them and run again"
    exit 1
  fi
  find_missing
  if [ "${#MISSING_PROGRAMS[@]}" -gt 0 ]; then
    say "still missing after apt-get install: $(join "${MISSING_PROGRAMS[@]}")"
    exit 1
  fi
fi

# node_modules is in step when npm's record of what it installed (node_modules/.package-lock.json)
# names the versions package-lock.json names; file dates would not do, git checkouts touch them.
lock_in_step() {
  [ -f node_modules/.package-lock.json ] && node -e '
    const wanted = require("./package-lock.json").packages, got = require("./node_modules/.package-lock.json").packages;
    const stale = Object.entries(wanted).some(([k, p]) => k !== "" && (got[k] ? got[k].version !== p.version : !p.optional))
      || Object.keys(got).some((k) => !wanted[k]);
    process.exit(stale ? 1 : 0);'
}
if ! lock_in_step; then
  say "installing node_modules (npm ci)"
  npm ci --no-audit --no-fund
fi

exec npm test -- "$@"
