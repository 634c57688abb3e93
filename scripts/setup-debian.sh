#!/bin/sh
# setup-debian.sh — installs what confer needs on Debian 12, builds it, and
# (with --demo) starts a demo conference in the chair's REPL.
#
#   ./scripts/setup-debian.sh          install packages and build
#   ./scripts/setup-debian.sh --demo   ... then start the demo conference
#   --with-browser                     also install chromium (the board's and the record's screenshot tests)
#   --with-postgres                    also install the PostgreSQL server (the tests start their own)
set -eu
cd "$(dirname "$0")/.."

packages="build-essential cmake pkg-config gettext
  liblua5.4-dev lua5.4 libsqlite3-dev sqlite3 libffi-dev libedit-dev
  libsodium-dev libjansson-dev
  libmicrohttpd-dev curl libcmark-dev libpq-dev
  tmux valgrind clang libclang-rt-14-dev time python3"

demo=0
for arg in "$@"; do
  case $arg in
    --demo) demo=1 ;;
    --with-browser) packages="$packages chromium" ;;
    --with-postgres) packages="$packages postgresql" ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"

if [ "$demo" = 1 ]; then
  exec ./build/confer demo
fi
