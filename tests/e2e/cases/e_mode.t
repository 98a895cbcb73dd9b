# -e CMD, repeated: run in order, errors numbered, status 1.
#! mode: e
#! args: --no-window
#! rc: 1
the river bank
stage nope
scores 0 1
