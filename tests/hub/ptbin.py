"""Writing pytorch_model.bin files for the tests: real ones with torch
(the same parameters as tests/ref/checkpoint.py writes as safetensors),
and hostile or broken ones assembled by hand.

torch is imported lazily so that the hostile files, which need only the
standard library, can be written without it."""
import io
import os
import pickle
import struct
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ref"))
import checkpoint  # noqa: E402


def have_torch():
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        return False


def write_bin(outdir, cfg, params, dtype="F32", noncontig=(), offset=(), tie_decoder=False,
              position_ids=False, legacy=False):
    """params: name -> float32 numpy array, written as a state dict.

    noncontig: names stored as a transposed view (strides not row-major);
    offset: names stored as a view into the middle of a larger storage;
    tie_decoder: add cls.predictions.decoder.weight sharing the word
    embeddings' storage (as BertForPreTraining does); position_ids: the int64
    buffer older transformers versions saved; legacy: torch's pre-1.6 format."""
    import collections
    import json

    import torch
    tdt = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[dtype]
    sd = collections.OrderedDict()
    for name, a in params.items():
        t = torch.from_numpy(a.copy()).to(tdt)
        if name in noncontig and t.dim() == 2:
            t = t.t().contiguous().t()          # same values, column-major strides
            assert not t.is_contiguous()
        if name in offset:
            pad = torch.zeros(7, dtype=tdt)
            big = torch.cat([pad, t.flatten(), pad])
            t = big[7:7 + t.numel()].view(t.shape)
            assert t.storage_offset() == 7
        sd[name] = t
    if tie_decoder:
        sd["cls.predictions.decoder.weight"] = sd["bert.embeddings.word_embeddings.weight"]
        sd["cls.predictions.decoder.bias"] = sd["cls.predictions.bias"]
    if position_ids:
        sd["bert.embeddings.position_ids"] = torch.arange(cfg["max_position_embeddings"]).unsqueeze(0)
    os.makedirs(outdir, exist_ok=True)
    torch.save(sd, os.path.join(outdir, "pytorch_model.bin"), _use_new_zipfile_serialization=not legacy)
    with open(os.path.join(outdir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(outdir, "vocab.txt"), "w") as f:
        f.write("\n".join(checkpoint.small_vocab()) + "\n")


# --- hand-made files: no torch needed ---------------------------------------

def p_str(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def p_int(v):
    return b"J" + struct.pack("<i", v)


def p_long(v):
    return b"\x8a\x08" + struct.pack("<q", v)


def tensor_pickle(entries):
    """entries: (name, storage_type, key, numel, offset, size, stride).
    The bytes torch.save would write for an OrderedDict of these."""
    out = b"\x80\x02ccollections\nOrderedDict\nq\x00)R("
    for name, stype, key, numel, off, size, stride in entries:
        out += p_str(name) + b"ctorch._utils\n_rebuild_tensor_v2\n("
        out += b"(" + p_str("storage") + b"ctorch\n" + stype.encode() + b"\n" + p_str(key) + p_str("cpu")
        out += (p_int(numel) if numel < 2 ** 31 else p_long(numel)) + b"tQ"
        out += p_int(off) + b"(" + b"".join(p_int(x) for x in size) + b"t"
        out += b"(" + b"".join(p_int(x) for x in stride) + b"t\x89h\x00)Rt" + b"R"
    return out + b"u."


def many_tensors(n, shared):
    """A zip pytorch_model.bin of n one-float tensors t0..t{n-1}: n storages,
    or (shared) n views of one storage of n floats; t_i holds i. Pickled in
    SETITEMS batches of 1000 as torch does (a larger batch would pass the
    stack limit)."""
    head = tensor_pickle([])[:-3]
    if shared:
        ents = [(f"t{i}", "FloatStorage", "0", n, i, (1,), (1,)) for i in range(n)]
        data = {"data/0": struct.pack(f"<{n}f", *range(n))}
    else:
        ents = [(f"t{i}", "FloatStorage", str(i), 1, 0, (1,), (1,)) for i in range(n)]
        data = {f"data/{i}": struct.pack("<f", i) for i in range(n)}
    body = [tensor_pickle([e])[len(head) + 1:-2] for e in ents]
    pkl = head + b"".join(b"(" + b"".join(body[i:i + 1000]) + b"u" for i in range(0, n, 1000)) + b"."
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_STORED) as zf:
        for name, d in {"data.pkl": pkl, **data}.items():
            zf.writestr("archive/" + name, d)
    return bio.getvalue()


def evil_pickle(marker):
    """What pickle.dumps makes of an object whose __reduce__ is os.system."""
    class Evil:
        def __reduce__(self):
            return (os.system, ("touch " + marker,))
    import collections
    return pickle.dumps(collections.OrderedDict(w=Evil()), protocol=2)


def hostile_files(outdir, marker):
    """name -> (bytes of a pytorch_model.bin, what the error must say)."""
    good = tensor_pickle([("w", "FloatStorage", "0", 6, 0, (2, 3), (3, 1))])
    f6 = struct.pack("<6f", *range(6))
    cases = {}

    def z(records, compress=False):
        bio = io.BytesIO()
        with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as zf:
            for name, data in records.items():
                zf.writestr("archive/" + name, data)
        return bio.getvalue()

    cases["os_system"] = (z({"data.pkl": evil_pickle(marker), "data/0": f6}), "system")
    cases["os_system_by_hand"] = (z({"data.pkl": b"\x80\x02cos\nsystem\n" + p_str("touch " + marker) +
                                                 b"\x85R.", "data/0": f6}), "'os.system'")
    cases["builtins_exec"] = (z({"data.pkl": b"\x80\x04\x8c\x08builtins\x8c\x04exec\x93" + p_str("1") +
                                             b"\x85R.", "data/0": f6}), "'builtins.exec'")
    cases["unknown_opcode"] = (z({"data.pkl": b"\x80\x02I42\n.", "data/0": f6}), "opcode 0x49")
    cases["truncated_pickle"] = (z({"data.pkl": good[:len(good) // 2], "data/0": f6}), "truncated")
    whole = z({"data.pkl": good, "data/0": f6})
    cases["truncated_file"] = (whole[:len(whole) * 2 // 3], "truncated")
    cases["huge_storage"] = (z({"data.pkl": tensor_pickle([("w", "FloatStorage", "0", 2 ** 40, 0, (2, 3), (3, 1))]),
                                "data/0": f6}), "declares")
    cases["huge_tensor"] = (z({"data.pkl": tensor_pickle([("w", "FloatStorage", "0", 6, 0, (1000, 1000), (1000, 1))]),
                               "data/0": f6}), "reaches element")
    cases["short_storage"] = (z({"data.pkl": good, "data/0": f6[:20]}), "holds 20 bytes but the pickle declares 24")
    cases["long_storage"] = (z({"data.pkl": good, "data/0": f6 + b"\0" * 8}), "holds 32 bytes")
    cases["missing_storage"] = (z({"data.pkl": good}), "missing from the archive")
    cases["compressed"] = (z({"data.pkl": good, "data/0": f6}, compress=True), "compressed")
    cases["memo_bomb"] = (z({"data.pkl": b"\x80\x02Nr\xff\xff\xff\xff.", "data/0": f6}), "memo")
    cases["not_a_dict"] = (z({"data.pkl": b"\x80\x02]q\x00.", "data/0": f6}), "no state dict")
    cases["no_data_pkl"] = (z({"weights": f6}), "data.pkl")
    cases["garbage"] = (b"this is not a checkpoint at all, only text\n" * 4, "neither a torch zip")
    # one float shown as [16384, 16384] by strides of 0: 1 GiB of output from a few hundred bytes
    cases["broadcast"] = (z({"data.pkl": tensor_pickle([("w", "FloatStorage", "0", 1, 0, (16384, 16384), (0, 0))]),
                             "data/0": f6[:4]}), "stride of 0")
    # two views sharing numbers of one storage (not the same view): repeats them as well
    cases["overlap"] = (z({"data.pkl": tensor_pickle([("a", "FloatStorage", "0", 6, 0, (4,), (1,)),
                                                      ("b", "FloatStorage", "0", 6, 2, (4,), (1,))]),
                           "data/0": f6}), "overlapping views")
    damaged = bytearray(whole)
    damaged[whole.index(f6) + 2] ^= 0x40
    cases["crc"] = (bytes(damaged), "CRC")
    return cases
