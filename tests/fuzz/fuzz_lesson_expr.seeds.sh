#!/bin/sh
# Seeds for fuzz_lesson_expr: every expression of the English lessons, one
# per file: `check:` lines, `let:` values and each {EXPR} of the text.
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
{
  sed -n 's/^check: //p; s/^let: [A-Za-z_0-9]* *= *//p' "$root"/lessons/en/*.lesson
  grep -ho '{[^{}]*}' "$root"/lessons/en/*.lesson | sed 's/^{//; s/}$//'
} | sort -u | {
  i=0
  while IFS= read -r e; do
    i=$((i + 1))
    printf '%s' "$e" > "$out/expr-$i"
  done
}
