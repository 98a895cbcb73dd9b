# --lang ru: the REPL's messages in Russian (po/ru.po); numbers in
# matrices keep the decimal point.
#! args: --no-window --lang ru
#! model: sinusoidal
#! rc: 1
#! expect:   head N                 выбрать голову внимания N (счёт с 0)
#! expect: [tokens] Токены WordPiece и их идентификаторы
#! expect: [pos] Позиционное кодирование
#! expect: [L0 H0 qkv] Проекции запросов, ключей и значений
#! expect: 0 [CLS]  0.000  1.000  0.000  1.000
#! expect: неизвестная команда 'nxt'; может быть, 'next'?
help
the cat sat
pos
stage qkv
nxt
