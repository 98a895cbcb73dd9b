# `export FILE [VIEW]`: the pass as .npz, the numbers of the view shown as
# .csv and its picture as .svg, by the file's extension. Without a window
# the view is the one a window would show: the stage's, or the last
# instrument's until the next move. Then the lines for what cannot be done:
# an extension that is none of the three, a view with .npz, an unknown
# view, a view without SVG, a view with nothing to show yet.
#! args: --no-window --plain
#! rc: 1
#! npz: {tmp}/pass.npz input_ids layer1.attn
#! csv: {tmp}/attn.csv 9 10 query [CLS] the cat
#! svg: {tmp}/attn.svg
#! csv: {tmp}/heads.csv 72 12 layer head query
#! svg: {tmp}/heads.svg
#! csv: {tmp}/emb.csv 9 6 sentence position token pc1
#! csv: {tmp}/lens.csv 3 13 depth token_1
#! svg: {tmp}/lens.svg
#! csv: {tmp}/positions.csv 64 193 position learned_d0
the cat sat on the [MASK] .
attn 1 1
export {tmp}/attn.csv
export {tmp}/attn.svg
export {tmp}/pass.npz
export {tmp}/heads.csv heads
export {tmp}/heads.svg heads
export {tmp}/emb.csv embeddings
export {tmp}/emb.svg embeddings
export {tmp}/notes.txt
export {tmp}/pass.npz heatmap
export {tmp}/attn.csv nosuch
export {tmp}/scan.csv scan
lens
export {tmp}/lens.csv
export {tmp}/lens.svg
stage pos
export {tmp}/positions.csv
export
help export
