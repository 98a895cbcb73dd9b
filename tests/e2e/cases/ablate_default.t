# `ablate` and `scan` on the shipped default model (4 layers of 4 heads).
# Its numbers change with training, so only the structure is checked
# (the numbers are checked against numpy in tests/ref/test_ablate.py):
# `ablate 9.9` names the valid range in one line and keeps the knock-outs.
#! model: default
#! args: --no-window --plain
#! rc: 1
#! compare: none
#! expect: head 2 of layer 1 knocked out: its context vector is 0; forward pass re-run (`predict` compares it with the intact model)
#! expect: error: layer 9 is out of range: this model has 4 layers, numbered 0–3
#! expect: knocked out (2):
#! expect:   1.2          head 2 of layer 1: its context vector is 0
#! expect:   ffn 3        layer 3's feed-forward block: its output is 0, the residual skips it
#! expect:   knocked out: 1.2 ffn 3; probability intact → ablated
#! expect: each of the 16 heads knocked out in turn (context vector set to 0), besides 1.2 ffn 3 (`ablate`)
#! expect:             h0     h1     h2     h3
#! expect: layer 3 
#! expect:    out 
#! expect: Δ log P(IsNext) of the NSP head, minus this run's
#! expect: each of the 16 heads knocked out in turn (context vector set to 0)
#! expect: Δ log p('dog') at position 6 ([MASK])
#! expect: every knock-out undone: the model is intact again; forward pass re-run
the cat sat on the [MASK] .
ablate 1.2
ablate ffn 3
ablate 9.9
ablate
predict
scan
ablate off
scan dog
