#!/bin/sh
# Builds every libFuzzer target in tests/fuzz and runs each one for a
# bounded time (or number of executions); exits non-zero if any target
# fails to build or finds a bug.
#
#   scripts/fuzz.sh [SECONDS]        SECONDS per target, default 30; 0 is
#                                    no time limit (then FUZZ_RUNS is needed)
#
# A campaign (tests/fuzz/README.md) sets these as well:
#   FUZZ_RUNS="N [NAME:N ...]"  stop each target after N executions
#                               (libFuzzer -runs), NAME:N for one target;
#                               whichever of time and runs comes first.
#   FUZZ_CORPUS=DIR             the corpus lives in DIR/NAME and outlives the
#                               run (new inputs are kept there), so that a
#                               campaign continues across sessions; the seeds
#                               are still read from tests/fuzz as below.
#   FUZZ_RESULTS=FILE           one summary line per target appended to FILE
#                               (default DIR/results.log with FUZZ_CORPUS).
#   FUZZ_RESUME=1               count the executions the results file already
#                               records for a target (runs that ended well)
#                               against its FUZZ_RUNS: a campaign continued
#                               runs only what is left, and skips a target
#                               that has had its budget.
#   FUZZ_UNTIL=TIME             a wall-clock deadline (`date -d` syntax): each
#                               target gets at most the time left, and those
#                               reached after it are not started.
#
# Conventions, so that a new target needs no change here:
#   tests/fuzz/NAME.c           the target (defines LLVMFuzzerTestOneInput);
#                               linked against src/core (every file that
#                               compiles on its own, via a static archive, so
#                               only what the target uses is pulled in).
#   tests/fuzz/corpus/NAME/     optional seed inputs (read, never written).
#   tests/fuzz/NAME.seeds.sh    optional: `sh NAME.seeds.sh DIR` writes
#                               generated seeds into DIR.
#   tests/fuzz/NAME.dict        optional libFuzzer dictionary.
#   tests/fuzz/NAME.link        optional: what the target needs besides
#                               src/core, as two lines: `src: lesson repl`
#                               (directories of src/, each compiled once into
#                               an archive, linked in the order given) and
#                               `pkg: sdl2 readline` (pkg-config packages).
# Environment: CC (default clang), FUZZ_KEEP=1 keeps the work directory,
# FUZZ_TARGETS="fuzz_a fuzz_b" runs only those targets, in that order.
# On a finding the work directory is kept and the crashing input named.
set -u

secs=${1:-30}
case $secs in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)

# The execution budget: the first bare number for every target, NAME:N
# for one; checked here so that a typo stops the run before the build.
runs_all=0
for r in ${FUZZ_RUNS:-}; do
    case $r in
        *:*) n=${r#*:} ;;
        *) n=$r; runs_all=$r ;;
    esac
    case $n in ''|*[!0-9]*) echo "fuzz: FUZZ_RUNS: '$r' is not N or NAME:N" >&2; exit 2 ;; esac
done
runs_of() {
    n=$runs_all
    for r in ${FUZZ_RUNS:-}; do
        case $r in "$1":*) n=${r#*:} ;; esac
    done
    echo "$n"
}
if [ "$secs" -eq 0 ] && [ -z "${FUZZ_RUNS:-}" ] && [ -z "${FUZZ_UNTIL:-}" ]; then
    echo "fuzz: 0 seconds needs FUZZ_RUNS or FUZZ_UNTIL (or it would never stop)" >&2
    exit 2
fi
until=""
if [ -n "${FUZZ_UNTIL:-}" ]; then
    until=$(date -d "$FUZZ_UNTIL" +%s) ||
        { echo "fuzz: FUZZ_UNTIL: '$FUZZ_UNTIL' is not a time date(1) reads" >&2; exit 2; }
fi
results=${FUZZ_RESULTS:-}
if [ -n "${FUZZ_CORPUS:-}" ]; then
    mkdir -p "$FUZZ_CORPUS" || exit 2
    FUZZ_CORPUS=$(cd "$FUZZ_CORPUS" && pwd)
    [ -n "$results" ] || results="$FUZZ_CORPUS/results.log"
fi

# The targets: all of tests/fuzz, or FUZZ_TARGETS in its order (a
# campaign runs the fast ones first).
set --
for name in ${FUZZ_TARGETS:-}; do
    [ -f "$root/tests/fuzz/$name.c" ] || { echo "fuzz: no target tests/fuzz/$name.c" >&2; exit 2; }
    set -- "$@" "$root/tests/fuzz/$name.c"
done
[ $# -gt 0 ] || set -- "$root"/tests/fuzz/*.c

cc=${CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: $cc not found (libFuzzer needs clang)" >&2
    exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/bt-fuzz-XXXXXX") || exit 2

# Coverage instrumentation and sanitizers go on the library too, or the
# fuzzer would be blind inside it; -fno-sanitize-recover turns every
# undefined-behaviour report into a crash libFuzzer records.
cflags="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -I$root/include
 -fsanitize=address,undefined -fno-sanitize-recover=undefined"
# where the REPL finds lessons/ and the default model, as meson.build says
cflags="$cflags -DBT_SOURCE_ROOT=\"$root\""
libs="-lcjson -lutf8proc -lm -lpthread"
if pkg-config --exists openblas 2>/dev/null; then
    cflags="$cflags -DBT_USE_BLAS=1 $(pkg-config --cflags openblas)"
    libs="$libs $(pkg-config --libs openblas)"
fi

# The targets run tiny models: OpenBLAS's worker threads would spin in
# sched_yield waiting for work (35% of fuzz_repl's time under perf) and
# take the core a second fuzzer of a campaign runs on.
export OPENBLAS_NUM_THREADS=1

# The numeric kernels keep ASan and UBSan but not the coverage callbacks:
# their branches follow the tensor shapes, never the input's bytes, so the
# fuzzer learns nothing there, and the callbacks in their inner loops were
# a quarter of fuzz_repl's time (493 -> 650 exec/s without them).
uncovered="matmul.c matmul_small.c layers.c attention.c"

# src/core is shared with work in progress: a file that does not compile
# yet is left out (and named), rather than stopping every target.
mkdir -p "$work/core"
skipped=""
for src in "$root"/src/core/*.c; do
    obj="$work/core/$(basename "$src" .c).o"
    cov=-fsanitize=fuzzer-no-link
    case " $uncovered " in *" $(basename "$src") "*) cov="" ;; esac
    # shellcheck disable=SC2086
    if ! $cc $cflags $cov -c "$src" -o "$obj" 2>>"$work/core.log"; then
        skipped="$skipped $(basename "$src")"
    fi
done
[ -n "$skipped" ] && echo "fuzz: src/core files that do not compile, left out:$skipped (see $work/core.log)"
ar rcs "$work/libcore.a" "$work"/core/*.o || exit 2

# Another directory of src/ as $work/libDIR.a, once, with the cflags of
# the packages given; a file that does not compile is left out and named.
archive() {
    dir=$1 pkgcflags=$2
    [ -f "$work/lib$dir.a" ] && return 0
    [ -d "$root/src/$dir" ] || { echo "fuzz: no directory src/$dir"; return 1; }
    mkdir -p "$work/$dir"
    left=""
    for src in "$root/src/$dir"/*.c; do
        obj="$work/$dir/$(basename "$src" .c).o"
        # shellcheck disable=SC2086
        $cc $cflags $pkgcflags -I"$root/src" -fsanitize=fuzzer-no-link -c "$src" -o "$obj" \
            2>>"$work/$dir.log" || left="$left $(basename "$src")"
    done
    [ -n "$left" ] && echo "fuzz: src/$dir files that do not compile, left out:$left (see $work/$dir.log)"
    ar rcs "$work/lib$dir.a" "$work/$dir"/*.o
}


# One summary line per target for the results file: what the README's
# table is made of (machine and load included, as they explain exec/s).
record() {
    [ -n "$results" ] || return 0
    printf '%s %s runs=%s exec/s=%s cov=%s ft=%s corpus=%s time=%ss budget=%s result=%s host=%s cores=%s load=%s\n' \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" "${execs:-?}" "${eps:-?}" "${covn:-?}" "${ftn:-?}" \
        "$units" "$took" "$budget" "$1" "$(uname -n)" "$(nproc 2>/dev/null || echo ?)" \
        "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)" >>"$results"
}

failed=0 ran=0
for target in "$@"; do
    [ -e "$target" ] || continue
    name=$(basename "$target" .c)
    ran=$((ran + 1))
    t=$secs
    if [ -n "$until" ]; then
        left=$(( until - $(date +%s) ))
        if [ $left -le 0 ]; then
            echo "$name: not started (FUZZ_UNTIL $FUZZ_UNTIL has passed)"
            continue
        fi
        if [ "$t" -eq 0 ] || [ $left -lt "$t" ]; then t=$left; fi
    fi
    runs=$(runs_of "$name")
    exe="$work/$name"
    if [ "${FUZZ_RESUME:-0}" = 1 ] && [ "$runs" -gt 0 ] && [ -n "$results" ] && [ -f "$results" ]; then
        had=$(awk -v n="$name" '$2 == n && / result=ok / {
                for (i = 3; i <= NF; i++) if ($i ~ /^runs=[0-9]+$/) s += substr($i, 6) }
            END { printf "%d", s }' "$results")
        if [ "$had" -ge "$runs" ]; then
            echo "$name: budget reached ($had runs recorded in $results)"
            continue
        fi
        runs=$((runs - had))
    fi
    dirs="" pkgs="" extra="" pkglibs="" pkgcflags=""
    if [ -f "$root/tests/fuzz/$name.link" ]; then
        dirs=$(sed -n 's/^src://p' "$root/tests/fuzz/$name.link")
        pkgs=$(sed -n 's/^pkg://p' "$root/tests/fuzz/$name.link")
    fi
    if [ -n "$pkgs" ]; then
        # shellcheck disable=SC2086
        pkgcflags=$(pkg-config --cflags $pkgs) && pkglibs=$(pkg-config --libs $pkgs) ||
            { echo "$name: BUILD FAILED (pkg-config: $pkgs)"; failed=1; continue; }
    fi
    for d in $dirs; do
        archive "$d" "$pkgcflags" || { failed=1; continue 2; }
        extra="$extra $work/lib$d.a"
    done
    # shellcheck disable=SC2086
    if ! $cc $cflags $pkgcflags -I"$root/src" -fsanitize=fuzzer "$target" $extra "$work/libcore.a" $libs $pkglibs \
            -o "$exe" 2>"$work/$name.build.log"; then
        echo "$name: BUILD FAILED (see $work/$name.build.log)"
        failed=1
        continue
    fi

    corpus="${FUZZ_CORPUS:-$work/corpus}/$name" seeds="$work/seeds/$name"
    mkdir -p "$corpus" "$seeds"
    [ -d "$root/tests/fuzz/corpus/$name" ] && cp -R "$root/tests/fuzz/corpus/$name/." "$seeds/"
    if [ -f "$root/tests/fuzz/$name.seeds.sh" ] &&
            ! sh "$root/tests/fuzz/$name.seeds.sh" "$seeds" 2>"$work/$name.seeds.log"; then
        echo "$name: seed script failed (see $work/$name.seeds.log)"
        failed=1
    fi
    dict=""
    [ -f "$root/tests/fuzz/$name.dict" ] && dict="-dict=$root/tests/fuzz/$name.dict"

    # One process on purpose: the machine is shared. New inputs go to
    # $corpus (the first directory); findings to $work/NAME-crash-*.
    # -runs=-1 and -max_total_time=0 are libFuzzer's "no limit".
    budget="${t}s"
    [ "$t" -eq 0 ] && budget="-"
    [ "$runs" -gt 0 ] && budget="$budget,${runs}runs"
    start=$(date +%s)
    # shellcheck disable=SC2086
    (cd "$work" && "$exe" -max_total_time="$t" -runs="$( [ "$runs" -gt 0 ] && echo "$runs" || echo -1)" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/$name-" \
        $dict "$corpus" "$seeds" >"$work/$name.log" 2>&1)
    rc=$?
    took=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log" | tail -n 1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$name.log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$work/$name.log" | tail -n 1)
    covn=${cov#cov: }
    ftn=$(grep -o 'ft: [0-9]*' "$work/$name.log" | tail -n 1 | sed 's/ft: //')
    units=$(find "$corpus" -type f | wc -l)
    if [ $rc -eq 0 ]; then
        echo "$name: ok, ${took}s, ${execs:-?} runs, ${eps:-?} exec/s, ${cov:-cov: ?}, corpus $units"
        record ok
    else
        artifact=""
        for a in "$work/$name"-crash-* "$work/$name"-leak-* "$work/$name"-timeout-* \
                 "$work/$name"-oom-*; do
            [ -e "$a" ] && { artifact=$a; break; }
        done
        echo "$name: FAILED (exit $rc) after ${execs:-?} runs; input: ${artifact:-none};" \
             "log: $work/$name.log"
        record "FAILED:${artifact:-none}"
        grep -m 1 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$work/$name.log" | sed 's/^/    /'
        failed=1
    fi
done

if [ $ran -eq 0 ]; then
    echo "fuzz: no targets in tests/fuzz"
fi
if [ $failed -ne 0 ] || [ "${FUZZ_KEEP:-0}" = 1 ]; then
    echo "fuzz: work directory kept: $work"
else
    rm -rf "$work"
fi
exit $failed
