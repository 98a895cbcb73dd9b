#!/bin/sh
# Seeds for fuzz_zip: the hand-made pytorch_model.bin files of the hub
# tests (tests/hub/ptbin.py: good zip archives and each hostile variant),
# and, when torch is there, real torch.save files in both formats.
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/python3 - "$out" "$root" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(sys.argv[2], "tests", "hub"))
import ptbin
out = sys.argv[1]
for name, (data, _) in ptbin.hostile_files(out, os.path.join(out, "PWNED")).items():
    open(os.path.join(out, name), "wb").write(data)
open(os.path.join(out, "many"), "wb").write(ptbin.many_tensors(20, False))
open(os.path.join(out, "views"), "wb").write(ptbin.many_tensors(20, True))
try:
    import collections, torch
    sd = collections.OrderedDict(w=torch.arange(6.0).view(2, 3), h=torch.ones(3, dtype=torch.float16),
                                 i=torch.arange(4))
    sd["t"] = sd["w"].t()
    for legacy in (False, True):
        torch.save(sd, os.path.join(out, "torch_legacy" if legacy else "torch_zip"),
                   _use_new_zipfile_serialization=not legacy)
except ImportError:
    pass
PY
