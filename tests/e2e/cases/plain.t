# --plain wins over a request for colour.
#! args: --no-window --plain
the cat sat
set colour 256
attn 0 0
set colour
