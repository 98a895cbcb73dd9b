# With a window (SDL's dummy driver: no screen needed), `screenshot` saves
# what the window shows, and the window follows the REPL's position.
#! env: SDL_VIDEODRIVER=dummy
#! compare: none
#! expect: wrote {tmp}/attn.png
#! expect: wrote {tmp}/pos.png
#! png: {tmp}/attn.png
#! png: {tmp}/pos.png
the cat sat on the mat
attn 1 2
screenshot {tmp}/attn.png
pos
screenshot {tmp}/pos.png
