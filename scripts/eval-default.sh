#!/usr/bin/env bash
# Every figure of the default model's card, as `bertology eval` prints it:
# held-out [MASK] accuracy and NSP (all sources, prose and dictionary
# apart, each source), the four cloze files, the three word-sense files, static
# neighbours. scripts/train-default.sh writes its output to EVAL.txt.
#
#   scripts/eval-default.sh [MODEL_DIR] [CORPUS_DIR]
#     MODEL_DIR   default assets/models/default
#     CORPUS_DIR  scripts/corpus.sh's output (default ~/bertology-run/corpus);
#                 without it only the held-out figures are left out
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-assets/models/default}
corpus=${2:-${BERTOLOGY_RUN:-$HOME/bertology-run}/corpus}
bin=${BT_BIN:-build/bertology}
ev() { "$bin" eval --model "$model" "$@"; }

if [ -f "$corpus/heldout.txt" ]; then
  echo "=== held-out, every source (heldout.txt) ==="
  ev --data "$corpus/heldout.txt" --sequences 2000
  for part in prose dict gcide wordnet brown nlp bible fortunes jargon sotu moby; do
    [ -f "$corpus/heldout-$part.txt" ] || continue
    echo; echo "=== held-out, $part (heldout-$part.txt) ==="
    ev --data "$corpus/heldout-$part.txt" --sequences 500
  done
  echo
fi
echo "=== held-out prose shipped for CI (tests/data/heldout-prose-sample.txt) ==="
ev --data tests/data/heldout-prose-sample.txt --sequences 1000
for f in assets/cloze-en.txt assets/cloze-en-2.txt assets/cloze-en-3.txt assets/cloze-en-4.txt; do
  echo; echo "=== $f ==="; ev --cloze "$f"
done
for f in assets/senses-en.txt assets/senses-en-2.txt assets/senses-en-3.txt; do
  echo; echo "=== $f ==="; ev --senses "$f"
done
echo; echo "=== assets/neighbours-en.txt ==="; ev --neighbours assets/neighbours-en.txt
