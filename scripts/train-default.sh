#!/usr/bin/env bash
# Rebuilds the shipped default model from nothing but Debian's packages:
# corpus -> WordPiece vocabulary -> pretraining -> held-out evaluation ->
# assets/models/default (float16) with its logs. Deterministic for a given
# seed and thread count; takes hours on 2 cores. Resumable: run it again
# after an interruption and it continues from RUN/state.bin.
#
#   scripts/train-default.sh [RUN_DIR]     (default $BERTOLOGY_RUN, else ~/bertology-run)
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-${BERTOLOGY_RUN:-$HOME/bertology-run}}
corpus=$run/corpus
bin=build/bertology
mkdir -p "$run"

scripts/setup.sh build
[ -f "$corpus/train.txt" ] || scripts/corpus.sh "$corpus"
[ -f "$run/vocab.txt" ] || "$bin" vocab --size 8192 --out "$run/vocab.txt" "$corpus/train.txt"

# The shipped model's corpus and vocabulary, by content: other package
# versions give another corpus, and so another model (still a good one).
shipped=assets/models/default
if [ -f "$shipped/CORPUS.txt" ]; then
  want=$(sed -n 's/^train.txt .*sha256=//p' "$shipped/CORPUS.txt")
  have=$(sha256sum "$corpus/train.txt" | cut -d' ' -f1)
  [ "$want" = "$have" ] || echo "train-default.sh: warning: $corpus/train.txt is not the corpus the shipped model was trained on (see $shipped/CORPUS.txt for the package versions): the rebuild will not be bit-identical" >&2
fi
if [ -f "$shipped/vocab.txt" ] && ! cmp -s "$run/vocab.txt" "$shipped/vocab.txt"; then
  echo "train-default.sh: warning: $run/vocab.txt differs from the shipped vocabulary: the rebuild will not be bit-identical" >&2
fi

# The recipe (see assets/models/default/MODEL_CARD.md for why each value).
args=(--corpus "$corpus/train.txt" --heldout "$corpus/heldout.txt" --vocab "$run/vocab.txt" --out "$run/train"
      --layers 4 --hidden 256 --heads 4 --ffn 1024 --max-len 128 --positions sinusoidal
      --seq-len 128 --batch 32 --warmup 900 --lr 1e-3 --beta2 0.999
      --wd 0.01 --clip 1.0 --dropout 0.1 --mask-rate 0.15 --word-init-std 1.0 --init-std 0.02
      --pos-heads 2 --pos-head-sharpness 8 --pos-head-pairs 12
      --seed 42 --threads 2 --eval-every 500 --eval-sequences 512 --ckpt-every 200
      --snapshots 180,1800,22000 --log-every 10)
unset OPENBLAS_CORETYPE   # the Haswell kernels halve sgemm speed on AVX-512 cores
# As the shipped model was made: one run, resumed with its schedule
# stretched whenever there was time for more (a resumed run is exact:
# state.bin, so the phases give the same weights on every rebuild). A
# schedule of 18,000 steps (warm-up, linear decay to 0) stopped at step
# 14,200 and stretched to 22,000 (the rate steps from 2.2e-4 up to 3.7e-4,
# then decays to 0). The held-out curve was still rising there, so a second
# session resumed it with the schedule stretched to 38,000 (a warm restart:
# 0 up to 4.3e-4), and at step 25,600 stretched once more, to 42,000 (3.3e-4
# up to 4.0e-4), then decaying to 0. About 3.7 hours on 2 idle cores; an
# interrupted run continues where it stopped.
phase() {  # phase SCHEDULE_STEPS STOP_AFTER
  local last=0 resume=()
  if [ -f "$run/train/state.bin" ]; then
    last=$(tail -n 1 "$run/train/train.log" | cut -f1); resume=(--resume)
  fi
  [ "$last" -ge "$2" ] && return 0
  "$bin" train "${args[@]}" --steps "$1" --stop-after "$2" "${resume[@]}"
}
phase 18000 14200
phase 22000 22000
phase 38000 25600
phase 42000 42000

# The shipped directory: the final weights as float16, the logs the
# window's training view draws, the earlier checkpoints lessons compare with,
# the curves as PNG, and the held-out figures of the model card.
out=assets/models/default
"$bin" pack --model "$run/train/latest" --out "$out" --f16
cp "$run/train/train.log" "$run/train/eval.log" "$out/"
cp "$corpus/STATS.txt" "$out/CORPUS.txt"   # package versions and sha256 of the corpus
rm -rf "$out"/step-*
for s in 180 1800 22000; do "$bin" pack --model "$run/train/step-$s" --out "$out/step-$s" --f16; done
"$bin" plot "$run/train" --out "$out/training.png"
"$bin" eval --model "$out" --data "$corpus/heldout.txt" --cloze assets/cloze-en.txt --sequences 2000 | tee "$out/EVAL.txt"
