# --lang pt: the tables of census, rollout and scan, and ablate's lines,
# in Portuguese: titles, column heads (widened where a head is longer),
# the roles, the explanations; the numbers keep the decimal point, as in
# lens, saliency and whatif (repl_language reads these lines for English).
#! args: --no-window --plain --lang pt
#! expect:   cabeça   entropia   [CLS]   [SEP]   próp.    ant.    seg.   pont.  papel
#! expect:      #  token   camada 1  propagação    fluxo
#! expect: cada uma das 8 cabeças tirada por vez (vetor de contexto zerado)
the cat sat on the [MASK] .
census
rollout
scan
ablate 0.1
ablate
scan mean
ablate off
