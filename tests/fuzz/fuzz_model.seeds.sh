#!/bin/sh
# Seeds for fuzz_model: a valid tiny checkpoint, split the way the target reads it.
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
/usr/bin/python3 - "$tmp" "$root" <<'PY' || exit 0
import sys, os, struct
sys.path.insert(0, os.path.join(sys.argv[2], "tests", "ref"))
import checkpoint
d = sys.argv[1]
vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c"]
for i, pos in enumerate(["absolute", "sinusoidal"]):
    checkpoint.make_checkpoint(os.path.join(d, pos), layers=1, hidden=8, heads=2, inter=8,
                               max_pos=8, pos=pos, vocab=vocab, dtype="F16" if i else "F32")
PY
for pos in absolute sinusoidal; do
  [ -f "$tmp/$pos/config.json" ] || continue
  n=$(wc -c < "$tmp/$pos/config.json")
  { printf "\\$(printf %03o $((n / 256)))\\$(printf %03o $((n % 256)))"; cat "$tmp/$pos/config.json" "$tmp/$pos/model.safetensors"; } > "$out/seed_$pos"
done
rm -rf "$tmp"
