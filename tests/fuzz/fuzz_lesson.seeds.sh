#!/bin/sh
# Seeds for fuzz_lesson: every shipped lesson, in every language.
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
for f in "$root"/lessons/*/*.lesson; do
  lang=$(basename "$(dirname "$f")")
  cp "$f" "$out/$lang-$(basename "$f")"
done
