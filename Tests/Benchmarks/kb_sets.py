#!/usr/bin/env python3
"""Knowledge-base-like pattern sets of any size, made the way make_patterns.py makes kb-regex-1000.

kb-regex-1000 is the first 1000 of make_patterns.py's padding: hand-written signatures of well-known
failures, then "failure variants" of the real templates (T.*word or word.*T). This script builds the
same padding list with make_patterns.py's own functions and writes:
  kb-regex-3000.txt  the first 3000 of it (kb-regex-1000 is its first 1000);
  kb-regex-100.txt   every 30th of those 3000, so that it has the same mix of signatures and variants;
  kb-signatures-100.txt  the first 100 of them, as the shared sets take their first N: all hand-written
                     signatures (the scaling goal is read on kb-regex-100, this one is shown beside it).
Usage: kb_sets.py BENCH_DIR OUT_DIR
"""
import os
import sys

bench, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, bench)
import make_patterns as mp  # noqa: E402

order, _ = mp.load_templates()
real = [t for t in order if mp.ok(t)]
seen = set()
for t in real:
    seen.add(mp.to_regex(t))
pad = []
for k in (k.strip() for k in mp.KNOWN_ISSUES if k.strip()):
    r = mp.to_regex(k)
    if r not in seen:
        seen.add(r)
        pad.append(r)
for rnd in range(4):
    for j, t in enumerate(real):
        w = mp.FAIL_WORDS[(j * 7 + rnd * 3) % len(mp.FAIL_WORDS)]
        tr = mp.to_regex(t)
        r = (tr + ".*" + mp.esc(w)) if (j + rnd) % 2 == 0 else (mp.esc(w) + ".*" + tr)
        if r not in seen:
            seen.add(r)
            pad.append(r)
kb3000 = pad[:3000]
with open(os.path.join(bench, "patterns", "kb-regex-1000.txt")) as fh:
    shipped = fh.read().splitlines()
if kb3000[:1000] != shipped:
    sys.exit("kb_sets.py: the padding differs from patterns/kb-regex-1000.txt; make_patterns.py changed")
with open(os.path.join(out, "kb-regex-3000.txt"), "w") as fh:
    fh.write("\n".join(kb3000) + "\n")
with open(os.path.join(out, "kb-regex-100.txt"), "w") as fh:
    fh.write("\n".join(kb3000[::30]) + "\n")
with open(os.path.join(out, "kb-signatures-100.txt"), "w") as fh:
    fh.write("\n".join(kb3000[:100]) + "\n")
