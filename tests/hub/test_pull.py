"""`bertology pull` against a loopback fake hub (fake_hub.py): a full pull
whose model gives the same trace as the original, a pull cut mid-file and
resumed with a Range request, a server that ignores ranges, a checksum
mismatch, 404s, a gated and a missing repo, a model that is not BERT, no
network, the pytorch_model.bin fallback, and `bertology models`."""
import hashlib
import json
import os
import shutil
import socket
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import common  # noqa: E402
from common import check, one_line_error, run  # noqa: E402
import checkpoint  # noqa: E402
import fake_hub  # noqa: E402
import ptbin  # noqa: E402


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def make_hub(root):
    """The repos the fake hub serves."""
    # a sizeable weights file (~1.5 MB) so that a cut lands mid-file
    checkpoint.make_checkpoint(os.path.join(root, "test-org", "tiny-bert"), layers=2, hidden=64, heads=4,
                               inter=128, seed=3)
    with open(os.path.join(root, "test-org", "tiny-bert", "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True}, f)
    checkpoint.make_checkpoint(os.path.join(root, "plain-bert"), seed=4)   # no owner, no tokenizer_config
    gpt = os.path.join(root, "gpt-thing")
    checkpoint.make_checkpoint(gpt, seed=5)
    cfg = json.load(open(os.path.join(gpt, "config.json")))
    cfg = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "vocab_size": cfg["vocab_size"],
           "n_embd": 32}
    json.dump(cfg, open(os.path.join(gpt, "config.json"), "w"))
    novocab = os.path.join(root, "no-vocab")
    checkpoint.make_checkpoint(novocab, seed=6)
    os.remove(os.path.join(novocab, "vocab.txt"))
    noweights = os.path.join(root, "no-weights")
    checkpoint.make_checkpoint(noweights, seed=7)
    os.remove(os.path.join(noweights, "model.safetensors"))
    checkpoint.make_checkpoint(os.path.join(root, "gated-org", "secret-bert"), seed=8)
    # files past their caps: a config.json of 2 MB, a vocab.txt of 33 MB
    big = os.path.join(root, "big-config")
    checkpoint.make_checkpoint(big, seed=12)
    with open(os.path.join(big, "config.json"), "a") as f:
        f.write(" " * (2 << 20))
    big = os.path.join(root, "big-vocab")
    checkpoint.make_checkpoint(big, seed=13)
    with open(os.path.join(big, "vocab.txt"), "wb") as f:
        f.write(b"x" * (33 << 20))
    # a pytorch_model.bin that convert refuses (a stride-0 broadcast)
    badbin = os.path.join(root, "bad-bin")
    checkpoint.make_checkpoint(badbin, seed=14)
    os.remove(os.path.join(badbin, "model.safetensors"))
    with open(os.path.join(badbin, "pytorch_model.bin"), "wb") as f:
        f.write(ptbin.hostile_files(root, os.path.join(root, "PWNED"))["broadcast"][0])
    bogus = os.path.join(root, "bogus-weights")
    checkpoint.make_checkpoint(bogus, seed=10)
    with open(os.path.join(bogus, "model.safetensors"), "wb") as f:
        f.write(b"<html><body>Sorry, we are down for maintenance</body></html>\n" * 20)


def cache_env(cache, endpoint):
    return {"XDG_CACHE_HOME": cache, "HF_ENDPOINT": endpoint, "HF_TOKEN": "", "HUGGING_FACE_HUB_TOKEN": ""}


def model_dir(cache, mid):
    return os.path.join(cache, "bertology", "models", mid)


def test_full_pull(hub, root, work):
    cache = os.path.join(work, "c-full")
    env = cache_env(cache, hub.endpoint)
    r = run(["pull", "test-org/tiny-bert"], env)
    check("full pull", r.returncode == 0, r.stderr.strip())
    d = model_dir(cache, "test-org/tiny-bert")
    src = os.path.join(root, "test-org", "tiny-bert")
    for f in ("config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"):
        check("full pull " + f, os.path.isfile(os.path.join(d, f)) and sha(os.path.join(d, f)) ==
              sha(os.path.join(src, f)), "missing or different")
    check("full pull: no parts", not [f for f in os.listdir(d) if f.endswith(".part") or ".tmp" in f], os.listdir(d))
    check("full pull: sha256 checked", "model.safetensors: sha256 verified" in r.stdout, r.stdout)
    check("full pull: says where", d in r.stdout, r.stdout)
    a = common.dump("original", src, os.path.join(work, "orig.npz"))
    b = common.dump("pulled", d, os.path.join(work, "pulled.npz"))
    common.same_trace("pulled model trace", a, b)
    # --model accepts the id of a pulled model
    c = common.dump("--model ID", "test-org/tiny-bert", os.path.join(work, "byid.npz"), env)
    common.same_trace("--model ID trace", a, c)
    # what --model resolves: a directory as is, else a pulled id
    helper = os.path.join(os.environ.get("BT_BUILD_ROOT", "build"), "tests", "hub_resolve")
    for name, code, out in (("test-org/tiny-bert", 0, d), (src, 0, src), ("test-org/other", 1, "test-org/other"),
                            ("../../etc", 1, "../../etc"), ("plain-bert", 1, "plain-bert")):
        r = run([name], env, binary=helper)
        check("resolve " + name, r.returncode == code and r.stdout.strip() == out, f"{r.returncode} {r.stdout}")
    # a second pull finds everything in place and downloads nothing
    n = len(hub.log)
    r = run(["pull", "test-org/tiny-bert"], env)
    check("second pull", r.returncode == 0 and "already in the cache" in r.stdout, r.stdout + r.stderr)
    check("second pull: no requests", len(hub.log) == n, hub.log[n:])
    # models lists it with its size
    r = run(["models"], env)
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    check("models", r.returncode == 0 and "test-org/tiny-bert" in r.stdout, r.stdout + r.stderr)
    shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"
    check("models: size", shown in r.stdout, f"{size} bytes; {r.stdout}")
    # --force fetches again
    n = len(hub.log)
    r = run(["pull", "--force", "test-org/tiny-bert"], env)
    check("--force", r.returncode == 0 and len(hub.log) > n, r.stderr)


def test_resume(hub, root, work):
    cache = os.path.join(work, "c-resume")
    env = cache_env(cache, hub.endpoint)
    src = os.path.join(root, "test-org", "tiny-bert", "model.safetensors")
    total = os.path.getsize(src)
    cut = total // 3
    hub.modes["cut"]["model.safetensors"] = cut
    r = run(["pull", "test-org/tiny-bert"], env)
    hub.modes["cut"].clear()
    one_line_error("cut connection", r, "interrupted", "run the same pull again to resume")
    d = model_dir(cache, "test-org/tiny-bert")
    part = os.path.join(d, "model.safetensors.part")
    check("cut: no complete-looking file", not os.path.exists(os.path.join(d, "model.safetensors")))
    check("cut: part kept", os.path.isfile(part) and os.path.getsize(part) == cut,
          os.path.getsize(part) if os.path.exists(part) else "none")
    r = run(["models"], env)
    check("models: partial", "test-org/tiny-bert" in r.stdout and "partial" in r.stdout, r.stdout)
    n = len(hub.log)
    r = run(["pull", "test-org/tiny-bert"], env)
    check("resumed pull", r.returncode == 0, r.stderr.strip())
    check("resumed: asked for the rest", f"bytes={cut}-" in hub.ranges_for("model.safetensors")[-1:],
          hub.log[n:])
    check("resumed: says so", "(resumed)" in r.stdout, r.stdout)
    got = os.path.join(d, "model.safetensors")
    check("resumed: same bytes", os.path.isfile(got) and sha(got) == sha(src))
    check("resumed: part gone", not os.path.exists(part))
    a = common.dump("resume original", os.path.dirname(src), os.path.join(work, "r1.npz"))
    b = common.dump("resumed", d, os.path.join(work, "r2.npz"))
    common.same_trace("resumed model trace", a, b)

    # a server that ignores Range sends everything again: still right
    cache = os.path.join(work, "c-norange")
    env = cache_env(cache, hub.endpoint)
    hub.modes["cut"]["model.safetensors"] = cut
    run(["pull", "test-org/tiny-bert"], env)
    hub.modes["cut"].clear()
    hub.modes["no_range"] = True
    r = run(["pull", "test-org/tiny-bert"], env)
    hub.modes["no_range"] = False
    got = os.path.join(model_dir(cache, "test-org/tiny-bert"), "model.safetensors")
    check("no-range server", r.returncode == 0 and os.path.isfile(got) and sha(got) == sha(src), r.stderr)

    # a part that already holds every byte: the server's 416 leads to the checks
    cache = os.path.join(work, "c-416")
    env = cache_env(cache, hub.endpoint)
    d = model_dir(cache, "test-org/tiny-bert")
    os.makedirs(d)
    shutil.copy(src, os.path.join(d, "model.safetensors.part"))
    r = run(["pull", "test-org/tiny-bert"], env)
    got = os.path.join(d, "model.safetensors")
    check("complete part", r.returncode == 0 and os.path.isfile(got) and sha(got) == sha(src), r.stderr)

    # a part from some other file: the checksum catches it, one fresh retry fixes it
    cache = os.path.join(work, "c-stale")
    env = cache_env(cache, hub.endpoint)
    d = model_dir(cache, "test-org/tiny-bert")
    os.makedirs(d)
    with open(os.path.join(d, "model.safetensors.part"), "wb") as f:
        f.write(os.urandom(cut))
    r = run(["pull", "test-org/tiny-bert"], env)
    got = os.path.join(d, "model.safetensors")
    check("stale part", r.returncode == 0 and os.path.isfile(got) and sha(got) == sha(src), r.stderr)


def test_checksum(hub, root, work):
    cache = os.path.join(work, "c-sha")
    env = cache_env(cache, hub.endpoint)
    hub.modes["bad_sha"].add("model.safetensors")
    r = run(["pull", "plain-bert"], env)
    hub.modes["bad_sha"].clear()
    one_line_error("checksum mismatch", r, "model.safetensors", "checksum mismatch")
    d = model_dir(cache, "plain-bert")
    check("mismatch: nothing left", not os.path.exists(os.path.join(d, "model.safetensors")) and
          not os.path.exists(os.path.join(d, "model.safetensors.part")), os.listdir(d))
    r = run(["pull", "plain-bert"], env)
    check("after a mismatch", r.returncode == 0, r.stderr)
    check("no tokenizer_config is fine", not os.path.exists(os.path.join(d, "tokenizer_config.json")))


def test_revisions(hub, root, work):
    env = cache_env(os.path.join(work, "c-rev"), hub.endpoint)
    d = model_dir(os.path.join(work, "c-rev"), "plain-bert")
    check("rev main", run(["pull", "plain-bert"], env).returncode == 0)
    rev = lambda: open(os.path.join(d, ".revision")).read().strip()  # noqa: E731
    check("rev recorded", rev() == "main", rev())
    # another revision replaces the cached files instead of mixing them
    n = len(hub.log)
    r = run(["pull", "plain-bert", "--revision", "refs/pr/1"], env)
    check("rev switch", r.returncode == 0 and "replacing it with refs/pr/1" in r.stdout, r.stdout + r.stderr)
    check("rev encoded", any("/resolve/refs%2Fpr%2F1/model.safetensors" in p for p, _ in hub.log[n:]), hub.log[n:])
    check("rev switched", rev() == "refs/pr/1", rev())
    # a revision that does not exist leaves the cached model as it was
    one_line_error("missing revision keeps cache", run(["pull", "plain-bert", "--revision", "v9"], env),
                   "plain-bert has no revision 'v9'")
    check("cache intact", rev() == "refs/pr/1" and sorted(os.listdir(d)) ==
          [".revision", "config.json", "model.safetensors", "vocab.txt"], os.listdir(d))


def test_errors(hub, root, work):
    env = cache_env(os.path.join(work, "c-err"), hub.endpoint)
    models = os.path.join(work, "c-err", "bertology", "models")
    one_line_error("missing repo", run(["pull", "test-org/no-such-model"], env), "no model 'test-org/no-such-model'")
    check("missing repo: no cache entry", not os.path.exists(os.path.join(models, "test-org")),
          os.listdir(models) if os.path.isdir(models) else "")
    one_line_error("404 revision", run(["pull", "plain-bert", "--revision", "v9"], env), "no revision 'v9'")
    check("404 revision: no cache entry", not os.path.exists(os.path.join(models, "plain-bert")))
    one_line_error("404 vocab", run(["pull", "no-vocab"], env), "no-vocab has no vocab.txt")
    one_line_error("404 weights", run(["pull", "no-weights"], env), "neither model.safetensors nor pytorch_model.bin")
    hub.modes["gated"].add("gated-org/secret-bert")
    one_line_error("gated", run(["pull", "gated-org/secret-bert"], env), "gated", "HF_TOKEN")
    hub.modes["gated"].clear()
    one_line_error("bogus weights", run(["pull", "bogus-weights"], env), "model.safetensors is not valid")
    check("bogus weights removed", not os.path.exists(os.path.join(models, "bogus-weights", "model.safetensors")))
    one_line_error("not BERT", run(["pull", "gpt-thing"], env), "'gpt2' model, not BERT")
    check("not BERT: no cache entry", not os.path.exists(os.path.join(models, "gpt-thing")))
    one_line_error("bad id", run(["pull", "../etc"], env), "not a hub model id")
    one_line_error("bad revision", run(["pull", "plain-bert", "--revision", "a b"], env), "not a revision")
    # a port nobody listens on: connection refused, like having no network
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    one_line_error("no network", run(["pull", "plain-bert"], cache_env(os.path.join(work, "c-nonet"),
                                                                        f"http://127.0.0.1:{port}")),
                   "cannot reach 127.0.0.1")
    one_line_error("no model given", run(["pull"], env), "which model", code=2)
    r = run(["models"], cache_env(os.path.join(work, "c-empty"), hub.endpoint))
    check("models: empty cache", r.returncode == 0 and "no models" in r.stdout, r.stdout + r.stderr)


def test_limits(hub, root, work):
    """Caps on each file's size, checked while downloading; a deadline that
    follows progress; what each failure is called. The pacing limits are
    shortened through their environment variables (src/hub/http.h)."""
    models = os.path.join(work, "c-lim", "bertology", "models")
    env = dict(cache_env(os.path.join(work, "c-lim"), hub.endpoint), BERTOLOGY_HUB_STALL_S="4",
               BERTOLOGY_HUB_GRACE_S="6", BERTOLOGY_HUB_MIN_RATE="50000")
    n = len(hub.log)
    one_line_error("config.json over its cap", run(["pull", "big-config"], env), "config.json", "more than the 1.0 MB")
    check("config.json over its cap: nothing kept", not os.path.exists(os.path.join(models, "big-config")),
          os.listdir(os.path.join(models, "big-config")) if os.path.exists(os.path.join(models, "big-config")) else "")
    one_line_error("vocab.txt over its cap", run(["pull", "big-vocab"], env), "vocab.txt", "more than the 33.6 MB")
    d = os.path.join(models, "big-vocab")
    check("vocab.txt over its cap: nothing kept", not [f for f in os.listdir(d) if f.startswith("vocab")], os.listdir(d))
    # no Content-Length: stopped as the body passes the cap
    hub.modes["no_length"].add("vocab.txt")
    one_line_error("vocab.txt over its cap, unannounced", run(["pull", "big-vocab"], env), "vocab.txt",
                   "sent more than 33.6 MB")
    hub.modes["no_length"].clear()
    check("unannounced: nothing kept", not [f for f in os.listdir(d) if f.startswith("vocab")], os.listdir(d))
    # a server trickling bytes: given up on after the grace period, saying how slow
    hub.modes["trickle"]["model.safetensors"] = 600
    one_line_error("trickle", run(["pull", "plain-bert"], env, timeout=30), "model.safetensors: too slow", "B/s",
                   "would take")
    hub.modes["trickle"].clear()
    # a server that stops sending mid-file, and one that never answers
    hub.modes["stall"]["model.safetensors"] = 1000
    one_line_error("stall", run(["pull", "plain-bert"], env, timeout=30), "the server stopped sending",
                   "run the same pull again")
    hub.modes["stall"].clear()
    r = run(["pull", "plain-bert"], env)
    check("after a stall: resumed", r.returncode == 0 and "(resumed)" in r.stdout, r.stdout + r.stderr)
    hub.modes["silent"] = True
    one_line_error("silent server", run(["pull", "test-org/tiny-bert"], env, timeout=30), "sent no answer for 4 s")
    hub.modes["silent"] = False
    hub.modes["big_header"] = True
    one_line_error("1 MB header", run(["pull", "test-org/tiny-bert"], env, timeout=30), "header larger than")
    hub.modes["big_header"] = False
    # a pytorch_model.bin that convert refuses does not stay in the cache
    one_line_error("refused bin", run(["pull", "bad-bin"], env), "cannot convert", "stride of 0")
    d = os.path.join(models, "bad-bin")
    left = os.listdir(d) if os.path.isdir(d) else []
    check("refused bin: removed", not [f for f in left if f.startswith(("pytorch", "model"))], left)
    check("limits: requests made", len(hub.log) > n)


def test_bin_fallback(hub, root, work):
    if not ptbin.have_torch():
        print("skip: pytorch_model.bin fallback (no torch)")
        return
    repo = os.path.join(root, "bin-only")
    ref = os.path.join(work, "bin-ref")
    cfg = checkpoint.make_checkpoint(ref, seed=9)
    ptbin.write_bin(repo, cfg, checkpoint.random_params(cfg, 9), tie_decoder=True, position_ids=True)
    cache = os.path.join(work, "c-bin")
    r = run(["pull", "bin-only"], cache_env(cache, hub.endpoint))
    check("bin fallback", r.returncode == 0, r.stderr.strip())
    d = model_dir(cache, "bin-only")
    check("bin fallback: converted", "converted to model.safetensors" in r.stdout, r.stdout)
    check("bin fallback: bin removed", not os.path.exists(os.path.join(d, "pytorch_model.bin")))
    a = common.dump("bin reference", ref, os.path.join(work, "b1.npz"))
    b = common.dump("bin pulled", d, os.path.join(work, "b2.npz"))
    common.same_trace("bin-only model trace", a, b)


def main():
    if not os.path.exists(common.BIN):
        print(f"{common.BIN} not built")
        return 1
    with tempfile.TemporaryDirectory() as work:
        root = os.path.join(work, "hub")
        make_hub(root)
        hub = fake_hub.FakeHub(root, revisions=("main", "refs/pr/1"), lifetime=240)
        try:
            test_full_pull(hub, root, work)
            test_resume(hub, root, work)
            test_checksum(hub, root, work)
            test_revisions(hub, root, work)
            test_errors(hub, root, work)
            test_limits(hub, root, work)
            test_bin_fallback(hub, root, work)
        finally:
            hub.stop()
    return common.finish("pull")


if __name__ == "__main__":
    sys.exit(main())
