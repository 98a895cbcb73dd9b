# --lang ru: the tables of census, rollout and scan, and ablate's lines,
# in Russian: titles, column heads (widened where a head is longer),
# the roles, the explanations; the numbers keep the decimal point, as in
# lens, saliency and whatif (repl_language reads these lines for English).
#! args: --no-window --plain --lang ru
the cat sat on the [MASK] .
census
rollout
scan
ablate 0.1
ablate
scan mean
ablate off
