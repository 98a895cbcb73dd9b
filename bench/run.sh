#!/usr/bin/env bash
# Bertology benchmarks: the C engine beside the same model in PyTorch, on
# the same machine, in the same run.  Prints three tables (see bench/README.md):
#   1. forward latency (B=1, T=16 and 128) on the default model and on a
#      bert-base-sized random checkpoint, with GFLOP/s and share of sgemm peak;
#      1b. beside each, the C pass stage by stage (bench_forward --profile),
#      each stage's time against its FLOPs at the sgemm peak
#   2. training throughput (tokens/s) of the shipped configuration
#   3. peak memory (max RSS) of the forward rows
#   4. every instrument bench_forward knows (`bench_forward --list`: lens,
#      rollout + flow, census, scan, saliency, integrated gradients, what-if)
#      beside the forward pass on the default model at T = 32, C only, with
#      each one's time over the forward pass's in the same round (issue 15:
#      under 100 ms, the scan under 1 s)
#
#   bench/run.sh [--quick] [--rounds N] [--threads N] [--no-forward] [--no-train] [--no-base]
#
#   --quick       smoke test: a few repetitions, tiny batches (numbers not meaningful)
#   --rounds N    run every row N times, C and PyTorch alternating (default 2); samples are pooled
#   --threads N   threads on both sides (default 2)
# Environment: BENCH_BUILD (build dir, default build-bench), BENCH_MODEL
# (default model dir, default assets/models/default; a random checkpoint of
# its shape is used when absent), BENCH_OUT (work dir, default bench/out),
# BENCH_C_ENV (extra VAR=value words for the C side only, e.g.
# "OMP_WAIT_POLICY=PASSIVE"; printed with the results).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

quick=0 rounds=2 threads=2 do_forward=1 do_train=1 do_base=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --rounds) rounds=$2; shift ;;
    --threads) threads=$2; shift ;;
    --no-forward) do_forward=0 ;;
    --no-train) do_train=0 ;;
    --no-base) do_base=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# The measurement environment (printed with the results).
# OPENBLAS_CORETYPE=Haswell (set on some of our machines) halves sgemm speed on
# AVX-512 cores: let OpenBLAS detect the core on both sides.
unset OPENBLAS_CORETYPE
PY=/usr/bin/python3            # Debian's python3 with numpy and torch
BUILD=${BENCH_BUILD:-build-bench}
OUT=${BENCH_OUT:-$ROOT/bench/out}
mkdir -p "$OUT"
if [ $quick = 1 ]; then
  policy=(--warmup 1 --warmup-s 0.05 --reps 3 --min-s 0.1 --max-reps 50)
  nbatch=2 bsz=4 twarm=1 twin=1
  [ "$rounds" = 2 ] && rounds=1
else
  policy=(--warmup 5 --warmup-s 1 --reps 30 --min-s 3 --max-reps 3000)
  nbatch=8 bsz=32 twarm=3 twin=4
fi
stamp=$(date -u +%Y%m%dT%H%M%SZ)
RES=$OUT/results-$stamp.jsonl
: > "$RES"
log() { echo "bench: $*" >&2; }

# --- build ---------------------------------------------------------------
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release -Dblas=true >&2
ninja -C "$BUILD" bench/bench_forward bench/bench_train bench/bench_sgemm >&2
BIN=$BUILD/bench

# --- models and batches --------------------------------------------------
DEFAULT=${BENCH_MODEL:-assets/models/default}
default_name=default
if [ ! -f "$DEFAULT/model.safetensors" ]; then
  log "$DEFAULT has no model.safetensors: using a random checkpoint of the default shape"
  DEFAULT=$OUT/random-default
  default_name="default (random)"
  [ -f "$DEFAULT/model.safetensors" ] || $PY bench/bench_data.py checkpoint "$DEFAULT" --shape default
fi
BASE=$OUT/random-bert-base
if [ $do_base = 1 ] && [ ! -f "$BASE/model.safetensors" ]; then
  log "writing a random bert-base-sized checkpoint (440 MB) to $BASE"
  $PY bench/bench_data.py checkpoint "$BASE" --shape bert-base --vocab "$ROOT/../shared/data/bert-base-uncased/vocab.txt"
fi
vocab_size=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["vocab_size"])' "$DEFAULT/config.json")
max_pos=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["max_position_embeddings"])' "$DEFAULT/config.json")
maxlen=$(( max_pos < 128 ? max_pos : 128 ))
BATCHES=$OUT/batches-v$vocab_size-n$nbatch-b$bsz-t$maxlen.bin
[ -f "$BATCHES" ] || $PY bench/bench_data.py batches "$BATCHES" --vocab-size "$vocab_size" --n $nbatch --batch $bsz \
  --min-len $(( maxlen < 64 ? maxlen : 64 )) --max-len $maxlen

# C runs as `bertology` runs: it starts itself with OMP_WAIT_POLICY=PASSIVE
# unless the user chose a policy (src/main.c), so the bench programs get
# the same; PyTorch with its best settings here.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
C_ENV=${BENCH_C_ENV:-}
run_c() { env $C_ENV "$@"; }
run_torch() { OMP_WAIT_POLICY=PASSIVE "$PY" bench/torch_bert.py "$@" --threads "$threads"; }
tag() { sed "s/^{/{\"row\": \"$1\", \"round\": ${r:-0}, /" >> "$RES"; }

# --- what was measured where -----------------------------------------------
$PY - "$RES" "$threads" "$rounds" "$quick" "$DEFAULT" <<'EOF'
import json, os, platform, subprocess, sys
res, threads, rounds, quick, default = sys.argv[1:]
cpu = "?"
for l in open("/proc/cpuinfo"):
    if l.startswith("model name"):
        cpu = l.split(":", 1)[1].strip(); break
flags = open("/proc/cpuinfo").read()
isa = "AVX-512" if " avx512f" in flags else ("AVX2" if " avx2" in flags else "no AVX2")
import torch
info = {"what": "info",
        "date": subprocess.run(["date", "-u", "+%Y-%m-%d %H:%M UTC"], capture_output=True, text=True).stdout.strip(),
        "machine": f"{cpu}, {os.cpu_count()} cores, {isa}, {platform.system()} {platform.release()}",
        "load average at start": " ".join(open("/proc/loadavg").read().split()[0:3]),
        "threads": f"{threads} on both sides; rounds {rounds}" + ("; QUICK smoke run: numbers not meaningful" if quick == "1" else ""),
        "C environment": "OPENBLAS_CORETYPE unset, OMP_WAIT_POLICY=%s, OMP_NUM_THREADS=%s, OPENBLAS_NUM_THREADS=%s%s" % (
            os.environ.get("OMP_WAIT_POLICY", "(unset)"), os.environ.get("OMP_NUM_THREADS", "(unset)"),
            os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"),
            ("; then BENCH_C_ENV: " + os.environ["BENCH_C_ENV"]) if os.environ.get("BENCH_C_ENV") else ""),
        "PyTorch environment": f"torch {torch.__version__}, torch.set_num_threads({threads}), OMP_WAIT_POLICY=PASSIVE, "
                               "OPENBLAS_CORETYPE unset, eval()+inference_mode() for forward, AdamW(foreach=True)",
        "default model": default}
with open(res, "a") as f:
    f.write(json.dumps(info) + "\n")
EOF

# --- equality checks: both sides must compute the same thing ---------------
check_forward() {  # name dir
  run_c "$BIN/bench_forward" --model "$2" --len 16 --threads "$threads" --dump "$OUT/check.bin" \
    --warmup 0 --warmup-s 0 --reps 1 --min-s 0 --max-reps 1 > /dev/null
  if ! run_torch check-forward --model "$2" --len 16 --c-logits "$OUT/check.bin" | tag "$1"; then
    tail -1 "$RES" >&2
    log "the C and PyTorch logits differ on $1: not timing different computations"
    exit 1
  fi
}
log "checking that both sides compute the same logits"
check_forward "$default_name" "$DEFAULT"
[ $do_base = 1 ] && check_forward "bert-base (random)" "$BASE"
if [ $do_train = 1 ]; then
  cj=$(run_c "$BIN/bench_train" --model "$DEFAULT" --batches "$BATCHES" --threads "$threads" --check)
  if ! run_torch check-train --model "$DEFAULT" --batches "$BATCHES" --c-json "$cj" | tag "$default_name"; then
    tail -1 "$RES" >&2
    log "one training step differs between C and PyTorch: not timing different computations"
    exit 1
  fi
fi

# --- sgemm peak --------------------------------------------------------------
log "sgemm peak"
run_c "$BIN/bench_sgemm" --n 768 --threads "$threads" "${policy[@]}" | tag sgemm

# --- timings, C and PyTorch alternating ---------------------------------------
for r in $(seq 1 "$rounds"); do
  if [ $do_forward = 1 ]; then
    models=("$default_name|$DEFAULT")
    [ $do_base = 1 ] && models+=("bert-base (random)|$BASE")
    for mm in "${models[@]}"; do
      name=${mm%%|*} dir=${mm#*|}
      for T in 16 128; do
        log "round $r/$rounds: forward $name T=$T"
        run_c "$BIN/bench_forward" --model "$dir" --len $T --threads "$threads" "${policy[@]}" | tag "$name"
        run_c "$BIN/bench_forward" --model "$dir" --len $T --threads "$threads" "${policy[@]}" --profile | tag "$name"
        run_torch forward --model "$dir" --len $T "${policy[@]}" | tag "$name"
      done
    done
  fi
  if [ $do_forward = 1 ]; then
    for mode in $("$BIN/bench_forward" --list); do
      log "round $r/$rounds: instrument $mode T=32"
      run_c "$BIN/bench_forward" --model "$DEFAULT" --len 32 --threads "$threads" "${policy[@]}" "$mode" \
        | tag "instruments"
    done
  fi
  if [ $do_train = 1 ]; then
    log "round $r/$rounds: training"
    run_c "$BIN/bench_train" --model "$DEFAULT" --batches "$BATCHES" --threads "$threads" --warmup $twarm --windows $twin | tag "$default_name"
    run_torch train --model "$DEFAULT" --batches "$BATCHES" --warmup $twarm --windows $twin | tag "$default_name"
  fi
done
echo "{\"what\": \"info\", \"load average at end\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$RES"

$PY bench/report.py "$RES" | tee "$OUT/report-$stamp.txt"
log "raw results: $RES"
