#!/bin/sh
# Seeds for fuzz_repl: the REPL transcripts of tests/e2e/cases (their
# commands, without the `#` lines), split into pieces of 16 lines as the
# target reads them; a transcript naming a command the target leaves out
# is skipped.
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
for t in "$root"/tests/e2e/cases/*.t; do
  grep -qiE 'export|screenshot|checkpoint|vectors' "$t" && continue
  grep -v '^#' "$t" | split -l 16 - "$out/$(basename "$t" .t)-"
done
