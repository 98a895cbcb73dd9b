"""Counts meson's test results across build directories and prints, last,
the one line CI reads: 'N passed, N failed' (skips on the line before). Exit 1 if any failed or if
a log is missing (a build that never ran its tests is a failure)."""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            lines = [json.loads(l) for l in f if l.strip()]
    except OSError:
        print(f"test_summary: {path} is missing: that build ran no tests", file=sys.stderr)
        failed += 1
        continue
    for t in lines:
        r = t.get("result", "")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
            print(f"FAILED: {t.get('name')} ({path.split('/')[0]}): {r}", file=sys.stderr)
print(f"{skipped} skipped")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
