# --lang ru: the REPL's messages in Russian (po/ru.po); numbers in
# matrices keep the decimal point.
#! args: --no-window --lang ru
#! model: sinusoidal
#! rc: 1
#! expect:   head N                  выбрать голову внимания N (счёт с 0)
#! expect: [tokens] Токены WordPiece и их идентификаторы
#! expect: [pos] Позиционное кодирование
#! expect: [L0 H0 qkv] Проекции запросов, ключей и значений
#! expect: 0 [CLS]  0.000  1.000  0.000  1.000
#! expect: неизвестная команда 'nxt'; может быть, 'next'?
#! expect:   форма:   T = 5 токенов (модель читает не больше 64), словарь из 240
#! expect: ошибка: слой 99 вне диапазона: в этой модели 2 слоя, номера 0–1
#! expect: ошибка: голова 9 вне диапазона: в этой модели 4 головы на слой, номера 0–3
#! expect: ошибка: позиция 7 вне диапазона: в предложении 5 токенов, 0–4 (см. `tokens`)
help
the cat sat
pos
stage qkv
nxt
layer 99
head 9
mask 7
