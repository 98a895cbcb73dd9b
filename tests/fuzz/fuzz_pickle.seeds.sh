#!/bin/sh
# Seeds for fuzz_pickle: state-dict pickles as torch writes them (the hub
# tests' hand-made ones), a plain-data list of keys, and a hostile one.
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/python3 - "$out" "$root" <<'PY'
import os, pickle, sys
sys.path.insert(0, os.path.join(sys.argv[2], "tests", "hub"))
import ptbin
out = sys.argv[1]
def put(name, data):
    open(os.path.join(out, name), "wb").write(data)
put("one", ptbin.tensor_pickle([("w", "FloatStorage", "0", 6, 0, (2, 3), (3, 1))]))
put("shared", ptbin.tensor_pickle([("a", "HalfStorage", "k", 8, 0, (4,), (1,)), ("b", "HalfStorage", "k", 8, 4, (2, 2), (1, 2)),
                                   ("c", "LongStorage", "n", 3, 0, (3,), (1,)), ("d", "BFloat16Storage", "m", 1, 0, (), ())]))
put("big", ptbin.tensor_pickle([("x", "DoubleStorage", "0", 2 ** 40, 5, (2 ** 20, 2 ** 19), (2 ** 19, 1))]))
put("plain_keys", pickle.dumps(["0", "1", "k"], protocol=2))
put("plain_info", pickle.dumps({"protocol_version": 1001, "little_endian": True, "type_sizes": {"int": 4}}, protocol=2))
put("evil", ptbin.evil_pickle("/nonexistent/x"))
put("proto4", pickle.dumps({"a": (1, 2.5, None, True, "s" * 300)}, protocol=4))
PY
