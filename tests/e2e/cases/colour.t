# Colour on request even through a pipe (256 and 24-bit), off with `set colour off`.
#! args: --no-window
the cat sat
set colour 256
attn 0 0
set colour truecolor
embed cat
set colour off
attn 0 0
