#!/bin/sh
# Builds every libFuzzer target in tests/fuzz and runs each one for a
# bounded time; exits non-zero if any target fails to build or finds a bug.
#
#   scripts/fuzz.sh [SECONDS]        SECONDS per target, default 30
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
# FUZZ_TARGETS="fuzz_a fuzz_b" runs only those targets.
# On a finding the work directory is kept and the crashing input named.
set -u

secs=${1:-30}
case $secs in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
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

# src/core is shared with work in progress: a file that does not compile
# yet is left out (and named), rather than stopping every target.
mkdir -p "$work/core"
skipped=""
for src in "$root"/src/core/*.c; do
    obj="$work/core/$(basename "$src" .c).o"
    # shellcheck disable=SC2086
    if ! $cc $cflags -fsanitize=fuzzer-no-link -c "$src" -o "$obj" 2>>"$work/core.log"; then
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

failed=0 ran=0
for target in "$root"/tests/fuzz/*.c; do
    [ -e "$target" ] || continue
    name=$(basename "$target" .c)
    if [ -n "${FUZZ_TARGETS:-}" ]; then
        case " $FUZZ_TARGETS " in *" $name "*) ;; *) continue ;; esac
    fi
    exe="$work/$name"
    ran=$((ran + 1))
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

    corpus="$work/corpus/$name" seeds="$work/seeds/$name"
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
    # shellcheck disable=SC2086
    (cd "$work" && "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/$name-" $dict "$corpus" "$seeds" \
        >"$work/$name.log" 2>&1)
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log" | tail -n 1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$name.log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$work/$name.log" | tail -n 1)
    units=$(find "$corpus" -type f | wc -l)
    if [ $rc -eq 0 ]; then
        echo "$name: ok, ${secs}s, ${execs:-?} runs, ${eps:-?} exec/s, ${cov:-cov: ?}, corpus $units"
    else
        artifact=""
        for a in "$work/$name"-crash-* "$work/$name"-leak-* "$work/$name"-timeout-* \
                 "$work/$name"-oom-*; do
            [ -e "$a" ] && { artifact=$a; break; }
        done
        echo "$name: FAILED (exit $rc) after ${execs:-?} runs; input: ${artifact:-none};" \
             "log: $work/$name.log"
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
