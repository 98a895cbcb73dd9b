#!/usr/bin/python3
"""Drives the real interactive REPL under tmux (send-keys / capture-pane):
the prompt follows the position, Tab completes commands, stage names,
settings and the sentence's tokens, Ctrl-C drops the line, history is saved
under $XDG_STATE_HOME/bertology/history and comes back with Up in the next
session, and Ctrl-D leaves with status 0.

Binary: $BT_REPL_BIN, else $BT_BIN. Exit 77 (skip) without tmux.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE)))
SKIP = 77


class Tmux:
    def __init__(self, socket):
        self.socket = socket

    def run(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket] + list(args), check=check, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)

    def keys(self, *keys):
        self.run("send-keys", "-t", "bt", *keys)

    def type(self, text):
        self.run("send-keys", "-t", "bt", "-l", text)

    def pane(self, escapes=False):
        r = self.run("capture-pane", "-t", "bt", "-p", *(["-e"] if escapes else []), check=False)
        return r.stdout

    def last_line(self):
        lines = [l for l in self.pane().split("\n") if l.strip()]
        return lines[-1] if lines else ""

    def wait(self, pred, what, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            if pred():
                return
            time.sleep(0.05)
        raise AssertionError("timed out waiting for %s; the pane shows:\n%s" % (what, self.pane()))

    def wait_last(self, text, timeout=10.0):
        self.wait(lambda: self.last_line().rstrip() == text.rstrip(), "last line %r" % text, timeout)


def start(tmux, cmd, env):
    # bash, not sh: it survives the Ctrl-C that the REPL handles and still
    # records the exit status afterwards.
    exports = " ".join("%s='%s'" % (k, v) for k, v in env.items())
    tmux.run("new-session", "-d", "-s", "bt", "-x", "160", "-y", "50", "env %s bash -c '%s'" % (exports, cmd))


def main():
    binary = os.environ.get("BT_REPL_BIN") or os.environ.get("BT_BIN")
    if not binary:
        print("FAIL: set BT_BIN")
        return 1
    if not shutil.which("tmux"):
        print("SKIP: needs tmux (scripts/deps.txt installs it for the tests)")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="bt-tmux-")
    tmux = Tmux("bt-test-%d" % os.getpid())
    try:
        model = os.path.join(tmp, "ckpt")
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "ref", "checkpoint.py"), model, "--seed", "0"],
                       check=True, stdout=subprocess.DEVNULL)
        p = subprocess.run([binary, "--model", model, "--no-window", "-e", "help"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if p.returncode != 0 or b"sentence" not in p.stdout:
            print("FAIL: %s --no-window -e help does not run the REPL" % binary)
            return 1
        state = os.path.join(tmp, "state")
        rcfile = os.path.join(tmp, "rc")
        env = {"XDG_STATE_HOME": state, "TERM": "xterm-256color", "LC_ALL": "C.UTF-8", "NO_COLOR": "1"}
        cmd = '"%s" --model "%s" --no-window; echo $? > "%s"' % (binary, model, rcfile)

        # Session 1: prompt, completion, Ctrl-C, history.
        start(tmux, cmd, env)
        tmux.wait_last("bertology ›")
        tmux.type("the cat sat on the mat")
        tmux.keys("Enter")
        tmux.wait_last("[tokens] ›")
        tmux.type("ne")
        tmux.keys("Tab")
        tmux.wait_last("[tokens] › next")          # command completed (trailing space stripped)
        tmux.keys("Enter")
        tmux.wait_last("[embed] ›")
        tmux.type("stage sco")
        tmux.keys("Tab")
        tmux.wait_last("[embed] › stage scores")   # stage name completed
        tmux.keys("Enter")
        tmux.wait_last("[L0 H0 scores] ›")
        tmux.type("attn 1 2")
        tmux.keys("Enter")
        tmux.wait_last("[L1 H2 attn] ›")
        assert "Attention weights" in tmux.pane()
        assert "\x1b[38;" not in tmux.pane(escapes=True), "NO_COLOR=1 must turn the colour ramp off"
        tmux.type("embed ma")
        tmux.keys("Tab")
        tmux.wait_last("[L1 H2 attn] › embed mat")  # a token of the sentence completed
        tmux.keys("Enter")
        tmux.wait_last("[L1 H2 attn] ›")   # embed TOKEN shows a vector, it does not move
        tmux.type("set cau")
        tmux.keys("Tab")
        tmux.wait_last("[L1 H2 attn] › set causal")
        tmux.type("of")
        tmux.keys("Tab")
        tmux.wait_last("[L1 H2 attn] › set causal off")  # a setting's value completed
        tmux.keys("C-u")
        # Ctrl-C drops the line: nothing runs, the prompt comes back.
        tmux.type("layer 99")
        tmux.keys("C-c")
        tmux.wait(lambda: "^C" in tmux.pane(), "^C echoed")
        tmux.wait_last("[L1 H2 attn] ›")
        assert "out of range" not in tmux.pane(), "Ctrl-C must cancel, not run, the line"
        # An error keeps the REPL alive and the position intact.
        tmux.type("layer 99")
        tmux.keys("Enter")
        tmux.wait(lambda: "layer 99 is out of range" in tmux.pane(), "the layer error")
        tmux.wait_last("[L1 H2 attn] ›")
        tmux.keys("C-d")
        tmux.wait(lambda: os.path.exists(rcfile) and open(rcfile).read().strip() != "", "exit after Ctrl-D")
        assert open(rcfile).read().strip() == "0", "Ctrl-D must exit 0"
        tmux.run("kill-server", check=False)

        hist = os.path.join(state, "bertology", "history")
        with open(hist) as f:
            saved = [l.rstrip("\n") for l in f if not l.startswith("#")]
        for line in ("the cat sat on the mat", "next", "stage scores", "attn 1 2", "embed mat", "layer 99"):
            assert line in saved, "history lacks %r: %r" % (line, saved)
        assert not any("  " in l or l.endswith(" ") for l in saved), saved

        # Session 2: Up brings back the last session's lines.
        os.remove(rcfile)
        start(tmux, cmd, env)
        tmux.wait_last("bertology ›")
        tmux.keys("Up")
        tmux.wait_last("bertology › layer 99")
        tmux.keys("Up")
        tmux.wait_last("bertology › embed mat")
        tmux.keys("C-u")
        tmux.type("quit")
        tmux.keys("Enter")
        tmux.wait(lambda: os.path.exists(rcfile) and open(rcfile).read().strip() != "", "exit after quit")
        assert open(rcfile).read().strip() == "0"
        tmux.run("kill-server", check=False)

        # Session 3: on a terminal without NO_COLOR, attention weights come
        # with a colour ramp (256-colour escapes), the same cells as text.
        os.remove(rcfile)
        colour_env = dict(env)
        del colour_env["NO_COLOR"]
        start(tmux, cmd, colour_env)
        tmux.wait_last("bertology ›")
        tmux.type("the cat sat on the mat")
        tmux.keys("Enter")
        tmux.wait_last("[tokens] ›")
        tmux.type("attn 0 0")
        tmux.keys("Enter")
        tmux.wait(lambda: "Attention weights" in tmux.pane(), "the attention table")
        coloured = tmux.pane(escapes=True)
        assert "\x1b[38;5;" in coloured or "\x1b[38;2;" in coloured, "no colour on a terminal:\n" + coloured[-800:]
        # Knock-outs in force show in the prompt, until `ablate off`.
        tmux.type("ablate 1.2")
        tmux.keys("Enter")
        tmux.wait_last("[L0 H0 attn | ablated 1.2] ›")
        tmux.type("ablate ffn 0")
        tmux.keys("Enter")
        tmux.wait_last("[L0 H0 attn | ablated 1.2 ffn 0] ›")
        tmux.type("ablate off")
        tmux.keys("Enter")
        tmux.wait_last("[L0 H0 attn] ›")
        tmux.type("quit")
        tmux.keys("Enter")
        tmux.wait(lambda: os.path.exists(rcfile) and open(rcfile).read().strip() != "", "exit after quit")
        tmux.run("kill-server", check=False)

        # Sessions 4 and 5: the startup line speaks --lang (plural forms:
        # "2 слоя × 4 головы"), and so do the colour ramp's legend and errors.
        for lang, startup, shading in (
                ("pt", "bertology: 2 camadas × 4 cabeças, H = 32, de", "cores: viridis, escuro = "),
                ("ru", "bertology: 2 слоя × 4 головы, H = 32, из", "раскраска: viridis, тёмный = ")):
            os.remove(rcfile)
            start(tmux, cmd.replace("--no-window", "--no-window --lang " + lang), colour_env)
            tmux.wait_last("bertology ›")
            assert startup in tmux.pane(), "startup line in %s:\n%s" % (lang, tmux.pane()[-600:])
            assert "Type a sentence" not in tmux.pane()
            tmux.type("the cat sat on the mat")
            tmux.keys("Enter")
            tmux.wait_last("[tokens] ›")
            tmux.type("attn 0 0")
            tmux.keys("Enter")
            tmux.wait(lambda: shading in tmux.pane(), "the shading legend in " + lang)
            # a number inside a sentence takes the decimal comma there
            assert any(shading in l and "," in l.split(shading)[1] for l in tmux.pane().split("\n")), tmux.pane()
            tmux.type("quit")
            tmux.keys("Enter")
            tmux.wait(lambda: os.path.exists(rcfile) and open(rcfile).read().strip() != "", "exit after quit")
            tmux.run("kill-server", check=False)
        print("ok: prompt, completion, Ctrl-C, errors, history, Ctrl-D, colour on a terminal and NO_COLOR, "
              "the startup line and legends in pt and ru, knock-outs in the prompt")
        return 0
    finally:
        tmux.run("kill-server", check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
