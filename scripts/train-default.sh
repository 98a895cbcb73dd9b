#!/usr/bin/env bash
# Rebuilds the shipped default model from nothing but Debian's packages:
# corpus -> WordPiece vocabulary -> pretraining -> held-out evaluation ->
# assets/models/default (float16) with its logs. Deterministic for a given
# seed and thread count; takes hours on 2 cores. Resumable: run it again
# after an interruption and it continues from RUN/state.bin.
#
#   scripts/train-default.sh [RUN_DIR]     (default /work/runs/default or ~/bertology-run)
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-${BERTOLOGY_RUN:-$HOME/bertology-run}}
corpus=$run/corpus
bin=build/bertology
mkdir -p "$run"

scripts/setup.sh build
[ -f "$corpus/train.txt" ] || scripts/corpus.sh "$corpus"
[ -f "$run/vocab.txt" ] || "$bin" vocab --size 8192 --out "$run/vocab.txt" "$corpus/train.txt"

# The recipe (see assets/models/default/MODEL_CARD.md for why each value).
args=(--corpus "$corpus/train.txt" --heldout "$corpus/heldout.txt" --vocab "$run/vocab.txt" --out "$run/train"
      --layers 4 --hidden 256 --heads 4 --ffn 1024 --max-len 128 --positions sinusoidal
      --seq-len 128 --batch 32 --warmup 900 --lr 1e-3 --beta2 0.999
      --wd 0.01 --clip 1.0 --dropout 0.1 --mask-rate 0.15 --word-init-std 1.0 --init-std 0.02
      --pos-heads 2 --pos-head-sharpness 8 --pos-head-pairs 12
      --seed 42 --threads 2 --eval-every 500 --eval-sequences 512 --ckpt-every 200
      --snapshots 180,1800 --log-every 10)
unset OPENBLAS_CORETYPE   # the Haswell kernels halve sgemm speed on AVX-512 cores
# As the shipped model was made: a schedule of 18,000 steps (warm-up, linear
# decay to 0), stopped at step 14,200 and resumed with the schedule
# stretched to 22,000 steps when it was clear that there was time for more
# (the learning rate steps up from 2.2e-4 to 3.7e-4 there, then decays to 0).
# Resuming is exact (state.bin), so the two phases give the same weights on
# every rebuild. About 1.6 hours on 2 idle cores; an interrupted run
# continues where it stopped.
last=0
[ -f "$run/train/state.bin" ] && last=$(tail -n 1 "$run/train/train.log" | cut -f1)
if [ "$last" -lt 14200 ]; then
  resume=(); [ -f "$run/train/state.bin" ] && resume=(--resume)
  "$bin" train "${args[@]}" --steps 18000 --stop-after 14200 "${resume[@]}"
fi
"$bin" train "${args[@]}" --steps 22000 --resume

# The shipped directory: the final weights as float16, the logs the
# window's training view draws, the early checkpoint lessons compare with,
# the curves as PNG, and the held-out figures of the model card.
out=assets/models/default
"$bin" pack --model "$run/train/latest" --out "$out" --f16
cp "$run/train/train.log" "$run/train/eval.log" "$out/"
rm -rf "$out"/step-*
for s in 180 1800; do "$bin" pack --model "$run/train/step-$s" --out "$out/step-$s" --f16; done
"$bin" plot "$run/train" --out "$out/training.png"
"$bin" eval --model "$out" --data "$corpus/heldout.txt" --sequences 2000 | tee "$out/EVAL.txt"
