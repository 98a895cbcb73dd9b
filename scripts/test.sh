#!/usr/bin/env bash
# Every test, twice: the release build, then an ASan+UBSan build; and the
# math tests once more on the plain-C matrix product (-Dblas=false), the
# fallback for machines without OpenBLAS. Ends with the one line CI reads:
# "N passed, N failed" (skips are counted on the line before).
set -uo pipefail
cd "$(dirname "$0")/.."
# OpenBLAS's Haswell kernels halve sgemm speed on these cores; the tests
# don't depend on it, but keep runs comparable.
unset OPENBLAS_CORETYPE
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}

status=0
[ -f build/build.ninja ] || meson setup build >/dev/null || status=1
ninja -C build >/dev/null || { echo "test: release build failed" >&2; status=1; }
meson test -C build --print-errorlogs --num-processes 2 >build/test-output.txt 2>&1
tail -n 25 build/test-output.txt

# gcc's `undefined` leaves out float-cast-overflow (a double too large for
# the integer it is cast to, or NaN): it is asked for by name. A build-asan
# set up before it was added is reconfigured.
asan_args="-fno-sanitize-recover=all -fsanitize=float-cast-overflow"
if [ ! -f build-asan/build.ninja ]; then
  meson setup build-asan -Dbuildtype=debugoptimized -Db_sanitize=address,undefined \
    -Dc_args="$asan_args" >/dev/null || status=1
elif ! grep -q float-cast-overflow build-asan/meson-info/intro-buildoptions.json; then
  meson configure build-asan -Dc_args="$asan_args" >/dev/null || status=1
fi
ninja -C build-asan >/dev/null || { echo "test: sanitizer build failed" >&2; status=1; }
# libgomp and OpenBLAS keep thread pools for the process lifetime; LSan
# reports them as leaks, which they are not (see tests/lsan.supp).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
SDL_VIDEODRIVER=dummy \
  meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 4 \
    >build-asan/test-output.txt 2>&1
tail -n 25 build-asan/test-output.txt

[ -f build-noblas/build.ninja ] || meson setup build-noblas -Dblas=false >/dev/null || status=1
ninja -C build-noblas >/dev/null || { echo "test: build without BLAS failed" >&2; status=1; }
meson test -C build-noblas --print-errorlogs --num-processes 2 --suite unit --suite ref \
  >build-noblas/test-output.txt 2>&1
tail -n 12 build-noblas/test-output.txt

/usr/bin/python3 scripts/test_summary.py build/meson-logs/testlog.json build-asan/meson-logs/testlog.json \
  build-noblas/meson-logs/testlog.json || status=1
exit $status
