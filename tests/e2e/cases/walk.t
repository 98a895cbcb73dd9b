# Walks the whole pipeline of a 2-layer model, stage by stage, and back.
#! args: --no-window
the cat sat on the mat
next
next
next
next
next
next
next
next
next
next
next
next
next
next
next
next
next
next
next
next
next
back
back 3
next 2
n
b
