# --lang pt: what the REPL prints is in Portuguese (gettext, po/pt.po) —
# help, stage titles and their formula/shape lines, errors — while numbers
# in matrices keep the decimal point (LC_NUMERIC is never taken from the
# locale).
#! args: --no-window --lang pt
#! model: sinusoidal
#! rc: 1
#! expect:   next [N]               avança um estágio (ou N estágios) (n)
#! expect: [tokens] Tokens WordPiece e seus ids
#! expect: [pos] Codificação posicional
#! expect:   fórmula: PE[p,2i]=sin(p/10000^(2i/H)), PE[p,2i+1]=cos(...)
#! expect: 0 [CLS]  0.000  1.000  0.000  1.000
#! expect: comando desconhecido 'nxt'; você quis dizer 'next'?
help
the cat sat
pos
nxt
help nxt
layer 99
