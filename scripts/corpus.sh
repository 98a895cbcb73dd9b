#!/bin/sh
# Build Bertology's pretraining corpus from Debian's free English text packages.
#
#   scripts/corpus.sh OUTDIR
#
# Installs the packages of group "corpus" in scripts/deps.txt (lines "GROUP PACKAGE")
# if any is missing, then runs scripts/corpus_clean.py, which writes
#   OUTDIR/train.txt    one sentence per line, documents separated by a blank line
#   OUTDIR/heldout.txt  same format, documents never seen in training
#   OUTDIR/STATS.txt    documents / sentences / words / bytes per source, sha256s
# The output is deterministic: same packages + same seed -> same bytes.
# Environment: CORPUS_SEED (default 20240601).
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)

# bible-kjv ships /usr/bin/bible, the decoder of bible-kjv-text's compressed bible.data.
PKGS="dict-gcide wordnet-base bible-kjv-text bible-kjv fortunes jargon-text"
if [ -f "$HERE/deps.txt" ]; then
    P=$(awk '$1 == "corpus" { print $2 }' "$HERE/deps.txt" | tr '\n' ' ')
    if [ -n "$P" ]; then PKGS=$P; fi
fi

MISSING=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        MISSING="$MISSING $p"
    fi
done
if [ -n "$MISSING" ]; then
    echo "installing:$MISSING"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
    $SUDO apt-get install -y $MISSING
fi

for p in $PKGS; do
    printf '%s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p")"
done

PY=python3
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; fi
mkdir -p "$OUT"
PYTHONHASHSEED=0 LC_ALL=C.UTF-8 "$PY" "$HERE/corpus_clean.py" "$OUT" --seed "${CORPUS_SEED:-20240601}"
# record the package versions next to the statistics
for p in $PKGS; do
    printf 'package %s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p")"
done >> "$OUT/STATS.txt"
cd "$OUT" && sha256sum train.txt heldout.txt
