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
      --seq-len 128 --batch 32 --warmup 200 --lr 1e-3 --beta2 0.999
      --wd 0.01 --clip 1.0 --dropout 0.1 --mask-rate 0.15 --word-init-std 1.0 --init-std 0.02
      --seed 42 --threads 2 --eval-every 500 --eval-sequences 512 --ckpt-every 200
      --snapshots 40,400 --log-every 10)
unset OPENBLAS_CORETYPE   # the Haswell kernels halve sgemm speed on AVX-512 cores
# Two phases, as the shipped model was made: 4000 steps with warm-up and
# linear decay, then the schedule extended to 8000 steps (a warm restart at
# half the peak rate, decaying to 0). A finished phase resumes as a no-op.
if [ -f "$run/train/state.bin" ]; then
  "$bin" train "${args[@]}" --steps 4000 --resume
else
  "$bin" train "${args[@]}" --steps 4000
fi
"$bin" train "${args[@]}" --steps 8000 --resume


# The shipped directory: the final weights as float16, the logs the
# window's training view draws, the early checkpoint lessons compare with,
# the curves as PNG, and the held-out figures of the model card.
out=assets/models/default
"$bin" pack --model "$run/train/latest" --out "$out" --f16
cp "$run/train/train.log" "$run/train/eval.log" "$out/"
"$bin" pack --model "$run/train/step-400" --out "$out/step-400" --f16
"$bin" plot "$run/train" --out "$out/training.png"
"$bin" eval --model "$out" --data "$corpus/heldout.txt" --sequences 2000 | tee "$out/EVAL.txt"
