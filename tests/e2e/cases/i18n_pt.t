# --lang pt: what the REPL prints is in Portuguese (gettext, po/pt.po) —
# help, stage titles and their formula/shape lines, errors — while numbers
# in matrices keep the decimal point (LC_NUMERIC is never taken from the
# locale) and a number inside a sentence takes the decimal comma (1/√8).
# repl_language.py checks every command and stage for English.
#! args: --no-window --lang pt
#! model: sinusoidal
#! rc: 1
#! expect:   next [N]                avança um estágio (ou N estágios) (n)
#! expect: [tokens] Tokens WordPiece e seus ids
#! expect: [pos] Codificação posicional
#! expect:   fórmula: PE[p,2i]=sin(p/10000^(2i/H)), PE[p,2i+1]=cos(...)
#! expect: 0 [CLS]  0.000  1.000  0.000  1.000
#! expect: comando desconhecido 'nxt'; você quis dizer 'next'?
#! expect:   formato: T = 5 tokens (este modelo lê no máximo 64), vocabulário de 240
#! expect:   formato: (T=5 consultas, T=5 chaves) da cabeça 0 de 4; 1/√8 = 0,354
#! expect: erro: a camada 99 está fora do intervalo: este modelo tem 2 camadas, numeradas de 0 a 1
help
the cat sat
pos
scores
nxt
help nxt
layer 99
