#!/usr/bin/env python3
# merge_logs.py OLD_DIR NEW_RUN OUT_DIR: v2.1's train/eval logs, then the v3 run's shifted by
# v2.1's last step, tokens and elapsed time (one curve for the whole lineage)
import sys, os
old, new, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
def rows(p):
    L = open(p).read().splitlines()
    return L[0], [l.split('\t') for l in L[1:] if l.strip()]
h, tr = rows(f'{old}/train.log')
step0, tok0, el0 = int(tr[-1][0]), float(tr[-1][1]), float(tr[-1][2])
h2, tr2 = rows(f'{new}/train.log')
with open(f'{out}/train.log', 'w') as f:
    f.write(h + '\n')
    for r in tr: f.write('\t'.join(r) + '\n')
    for r in tr2:
        r = list(r); r[0] = str(int(r[0]) + step0); r[1] = '%.0f' % (float(r[1]) + tok0); r[2] = '%.1f' % (float(r[2]) + el0)
        f.write('\t'.join(r) + '\n')
he, ev = rows(f'{old}/eval.log')
he2, ev2 = rows(f'{new}/eval.log')
with open(f'{out}/eval.log', 'w') as f:
    f.write(he + '\n')
    for r in ev: f.write('\t'.join(r) + '\n')
    for r in ev2:
        r = list(r); r[0] = str(int(r[0]) + step0); r[1] = '%.0f' % (float(r[1]) + tok0)
        f.write('\t'.join(r) + '\n')
print('merged: v2.1 to step', step0, '+', tr2[-1][0] if tr2 else 0, 'v3 steps')
