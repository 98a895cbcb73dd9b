# With a window (SDL's dummy driver), `export` writes the view the window
# shows, with the window's layer and head: the heatmap of `attn 1 2`, then
# the positional encodings after `pos`, then a view named.
#! env: SDL_VIDEODRIVER=dummy
#! compare: none
#! expect: wrote {tmp}/attn.csv: the numbers of the heatmap view, 8 rows × 9 columns
#! expect: wrote {tmp}/attn.svg: the heatmap view as SVG
#! expect: wrote {tmp}/pos.csv: the numbers of the positions view
#! expect: wrote {tmp}/heads.svg: the heads view as SVG
#! csv: {tmp}/attn.csv 8 9 query [CLS] the cat sat
#! svg: {tmp}/attn.svg
#! csv: {tmp}/pos.csv 64 193 position
#! svg: {tmp}/heads.svg
the cat sat on the mat
attn 1 2
export {tmp}/attn.csv
export {tmp}/attn.svg
pos
export {tmp}/pos.csv
export {tmp}/heads.svg heads
