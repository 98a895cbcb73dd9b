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
      --seq-len 128 --batch 32 --steps 18000 --warmup 900 --lr 1e-3 --beta2 0.999
      --wd 0.01 --clip 1.0 --dropout 0.1 --mask-rate 0.15 --word-init-std 1.0 --init-std 0.02
      --pos-heads 2 --pos-head-sharpness 8 --pos-head-pairs 12
      --seed 42 --threads 2 --eval-every 500 --eval-sequences 512 --ckpt-every 200
      --snapshots 180,1800 --log-every 10)
unset OPENBLAS_CORETYPE   # the Haswell kernels halve sgemm speed on AVX-512 cores
# One schedule (warm-up, linear decay to 0 at step 18000); about 1.5 hours
# on 2 idle cores. An interrupted run continues from its state.bin.
if [ -f "$run/train/state.bin" ]; then
  "$bin" train "${args[@]}" --resume
else
  "$bin" train "${args[@]}"
fi

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
