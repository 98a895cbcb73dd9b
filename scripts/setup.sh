#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working Bertology:
#   scripts/setup.sh run [REPL options]   install what is missing, build, start the REPL
#   scripts/setup.sh test                 install what is missing, build, run every test
#   scripts/setup.sh build                install and build only
#   scripts/setup.sh vectors [args]       install npm, build, fetch GloVe vectors (scripts/fetch-vectors.sh)
# The package list lives in scripts/deps.txt (one place).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
[ $# -gt 0 ] && shift
case "$mode" in
  run|build) groups="build" ;;
  test) groups="build test" ;;
  bench) groups="build bench" ;;
  corpus) groups="corpus" ;;
  vectors) groups="build vectors" ;;
  *) echo "usage: scripts/setup.sh run|test|build|bench|vectors [args]" >&2; exit 2 ;;
esac

wanted=()
for g in $groups; do
  while read -r group pkg; do
    [ "$group" = "$g" ] && wanted+=("$pkg")
  done < <(grep -v '^#' scripts/deps.txt)
done
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

[ -f build/build.ninja ] || meson setup build >&2
ninja -C build >&2

case "$mode" in
  run) exec build/bertology "$@" ;;
  test) exec scripts/test.sh "$@" ;;
  bench) exec bench/run.sh "$@" ;;
  vectors) BT_BIN=${BT_BIN:-build/bertology} exec scripts/fetch-vectors.sh "$@" ;;
  *) ;;
esac
