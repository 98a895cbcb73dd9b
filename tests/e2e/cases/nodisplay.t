# No DISPLAY, WAYLAND_DISPLAY or SDL_VIDEODRIVER: one notice, then work as usual.
the cat sat
tokens
