# -e commands that all succeed: status 0.
#! mode: e
#! args: --no-window --plain
money in the bank
attn 0 0
