# Every error: one clear line each, the state intact, exit status 1.
#! args: --no-window
#! rc: 1
next
back
stage attn
attn
predict
mask
export {tmp}/x.npz
nxt
layr 3
predcit 5
the cat sat on the mat
next week we go
layer 99
layer -1
layer two
head 7
head x
attn 0 9
attn 5
qkv 1 2 3
ln 9
out 2
stage foo
stage atn
stage
embed zzzzqqq xx
embed the cat
mask 0
mask 7
mask 99
mask x
predict
predict 0
predict 101
predict x
set foo 1
set precision 12
set precision x
set colour purple
set causal maybe
set seed -3
set seed 99999999999999999999
ajuda
помощь
Помощь
LIÇÃO
set width 5
set precision 3 4
export {tmp}/x.txt
export
screenshot {tmp}/a.png
screenshot {tmp}/a.jpg
help nxt
help me please
tokens 3
model x
quit now
back 0
next x
the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the the
tokens
set truncate on
set truncate off
tokens
