#!/usr/bin/python3
"""Every message marked for translation in the sources is translated in
every catalog of po/LINGUAS.

usage: po_complete.py

  1. Every C file under src/ and include/ that marks a string (_("..."),
     N_("..."), P_("ctx", "..."), ngettext("..."), and bt_fail's format,
     which bt_fail translates) is listed in po/POTFILES, and every file
     POTFILES lists exists: xgettext reads only those, so a file left out
     has its strings silently English. No bt_fail format is wrapped in
     _() (it would be looked up a second time, as a translation) or
     chosen by `?:` (xgettext extracts the first literal only).
  2. xgettext, with po/meson.build's own keywords, extracts the messages
     of POTFILES; each must be in po/LL.po with a translation (every
     plural form filled, as many as the catalog's nplurals), not fuzzy.
  3. msgfmt --check accepts each catalog (format directives that match).

The comparison is proved first: a catalog with one entry taken out and
one made fuzzy must be reported on both.

Before this test the catalogs were compared with the sources by no test:
view_language draws four views (not the help overlay with the views'
labels), repl_language walks the REPL; the labels and titles of the
rollout, census and knock-outs views, marked in bertology/views.h, were in
neither catalog. Exit 77 (skip) without xgettext or msgfmt.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("BT_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE)))
PO = os.path.join(ROOT, "po")
SKIP = 77
# A marker with a string literal after it: `_(s)` in i18n.h's #define, and
# `_(o->help)` (a table's string, marked where the table is), are not.
MARK = re.compile(r'(?<![\w.>])(?:(?:_|N_|P_|ngettext)\(\s*"|bt_fail\([^,;()"]*,\s*")')
# bt_fail(err, _("...")): translated twice (src/core/error.c translates the format)
TWICE = re.compile(r'(?<![\w.>])bt_fail\([^,;()"]*,\s*_\(')
# bt_fail(err, cond ? "a" : "b"): xgettext takes the first literal only
CHOSEN = re.compile(r'(?<![\w.>])bt_fail\([^,;()"]*,\s*[^",;()]+\?\s*"')


def potfiles():
    with open(os.path.join(PO, "POTFILES"), encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def strip_comments(code):
    """C source without its comments (string and character literals kept as they are; a
    comment's newlines stay, so that line numbers do)."""
    return re.sub(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])+\'|/\*.*?\*/|//[^\n]*',
                  lambda m: m.group(0) if m.group(0)[0] in "\"'" else " " + "\n" * m.group(0).count("\n"), code,
                  flags=re.S)


def c_files():
    for top in ("src", "include"):
        for d, _, names in os.walk(os.path.join(ROOT, top)):
            for n in sorted(names):
                if n.endswith((".c", ".h")):
                    p = os.path.join(d, n)
                    with open(p, encoding="utf-8", errors="replace") as f:
                        yield os.path.relpath(p, ROOT), strip_comments(f.read())


def marking_files():
    out = []
    for top in ("src", "include"):
        for d, _, names in os.walk(os.path.join(ROOT, top)):
            for n in sorted(names):
                if not n.endswith((".c", ".h")):
                    continue
                p = os.path.join(d, n)
                with open(p, encoding="utf-8", errors="replace") as f:
                    if MARK.search(strip_comments(f.read())):
                        out.append(os.path.relpath(p, ROOT))
    return sorted(out)


def xgettext_args():
    """po/meson.build's arguments: the keywords and the encoding."""
    with open(os.path.join(PO, "meson.build"), encoding="utf-8") as f:
        text = f.read()
    args = re.findall(r"'(--(?:keyword|from-code)=[^']+)'", text)
    if not any(a.startswith("--keyword=") for a in args):
        sys.exit("po/meson.build names no --keyword")
    return args


def unquote(s):
    """The text of a C-style quoted po string."""
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(m.group(1), "\\" + m.group(1)),
                  s)


def parse_po(path):
    """{(msgctxt, msgid): (msgid_plural, [msgstr...], fuzzy)} and the header's nplurals.
    An entry ends at a blank line or where the next one's comments, msgctxt
    or msgid start (gettext needs no blank line between entries)."""
    entries = {}
    cur, field = {}, None

    def close():
        if "msgid" in cur:
            key = (cur.get("msgctxt"), cur["msgid"])
            strs = [cur[k] for k in sorted(k for k in cur if k.startswith("msgstr"))]
            entries[key] = (cur.get("msgid_plural"), strs, cur.get("fuzzy", False))

    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for line in lines + [""]:
        starts = not line.strip() or line.startswith("#") or re.match(r"^(msgctxt|msgid)\s", line)
        if starts and any(k.startswith("msgstr") for k in cur):
            close()
            cur, field = {}, None
        if not line.strip() or line.startswith("#~"):
            continue                                   # a gap, or an obsolete entry
        if line.startswith("#,"):
            cur["fuzzy"] = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$', line)
        if m:
            field = m.group(1)
            if field == "msgstr":
                field = "msgstr[0]"
            cur[field] = unquote(m.group(2))
            continue
        m = re.match(r'^"(.*)"\s*$', line)
        if m and field:
            cur[field] += unquote(m.group(1))
    header = entries.get((None, ""), (None, [""], False))[1][0]
    m = re.search(r"nplurals\s*=\s*(\d+)", header)
    return entries, int(m.group(1)) if m else 1


def compare(pot, po):
    """[problem] for the messages of pot that po does not translate."""
    want, _ = parse_po(pot)
    have, nplurals = parse_po(po)
    name = os.path.basename(po)
    bad = []
    for key, (plural, _, _) in sorted(want.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        if key[1] == "":
            continue
        shown = ("%s | " % key[0] if key[0] else "") + key[1].replace("\n", "\\n")
        if key not in have:
            bad.append("%s: missing: %s" % (name, shown))
            continue
        _, strs, fuzzy = have[key]
        if fuzzy:
            bad.append("%s: fuzzy: %s" % (name, shown))
        elif plural and (len(strs) != nplurals or not all(strs)):
            bad.append("%s: %d of %d plural forms: %s" % (name, sum(1 for s in strs if s), nplurals, shown))
        elif not strs or not strs[0]:
            bad.append("%s: untranslated: %s" % (name, shown))
    return bad


def self_check(pot, po, tmp):
    """The comparison reports an entry taken out and one made fuzzy."""
    with open(po, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    # two ordinary entries after the header: one line, no escapes, no plural
    idx = [i for i, b in enumerate(blocks) if i > 0 and re.search(r'^msgid "[^"\\]+"$', b, re.M)
           and "msgid_plural" not in b and "#~" not in b][:2]
    if len(idx) < 2:
        return ["self-check: %s has too few entries to prove the comparison" % po]
    gone = re.search(r'^msgid "(.*)"$', blocks[idx[0]], re.M).group(1)
    fuzzed = re.search(r'^msgid "(.*)"$', blocks[idx[1]], re.M).group(1)
    blocks[idx[1]] = "#, fuzzy\n" + blocks[idx[1]]
    del blocks[idx[0]]
    broken = os.path.join(tmp, "broken.po")
    with open(broken, "w", encoding="utf-8") as f:
        f.write("\n\n".join(blocks))
    found = compare(pot, broken)
    miss = []
    if not any(p.endswith("missing: " + gone) for p in found):
        miss.append("self-check: an entry taken out of %s (%r) is not reported" % (os.path.basename(po), gone))
    if not any(p.endswith("fuzzy: " + fuzzed) for p in found):
        miss.append("self-check: an entry of %s made fuzzy (%r) is not reported" % (os.path.basename(po), fuzzed))
    return miss


def main():
    for tool in ("xgettext", "msgfmt"):
        if not shutil.which(tool):
            print("%s not found (Debian: gettext): skipped" % tool)
            sys.exit(SKIP)
    problems = []
    listed = potfiles()
    for p in listed:
        if not os.path.exists(os.path.join(ROOT, p)):
            problems.append("po/POTFILES lists %s, which does not exist" % p)
    for p in marking_files():
        if p not in listed:
            problems.append("%s marks strings for translation but is not in po/POTFILES" % p)
    for p, code in c_files():
        for m in TWICE.finditer(code):
            problems.append("%s:%d: bt_fail's format in _(): bt_fail translates it; pass the English literal"
                            % (p, code.count("\n", 0, m.start()) + 1))
        for m in CHOSEN.finditer(code):
            problems.append("%s:%d: bt_fail's format chosen by ?: (xgettext extracts only the first): "
                            "call bt_fail in each branch" % (p, code.count("\n", 0, m.start()) + 1))
    with open(os.path.join(PO, "LINGUAS"), encoding="utf-8") as f:
        langs = [w for l in f for w in l.split() if not l.startswith("#")]
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "bertology.pot")
        r = subprocess.run(["xgettext", "-o", pot, "--language=C"] + xgettext_args() +
                           [p for p in listed if os.path.exists(os.path.join(ROOT, p))],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            sys.exit("xgettext failed: %s" % r.stderr.decode(errors="replace"))
        n = len(parse_po(pot)[0]) - 1
        print("%d messages marked in %d files" % (n, len(listed)))
        if n < 100:
            problems.append("only %d messages extracted: the keywords of po/meson.build were not applied" % n)
        problems += self_check(pot, os.path.join(PO, langs[0] + ".po"), tmp)
        for lang in langs:
            po = os.path.join(PO, lang + ".po")
            bad = compare(pot, po)
            problems += bad
            r = subprocess.run(["msgfmt", "--check", "-o", os.devnull, po], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            if r.returncode != 0:
                problems.append("msgfmt --check %s: %s" % (po, r.stdout.decode(errors="replace").strip()))
            print("%s.po: %d of the %d messages not translated" % (lang, len(bad), n))
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
