# `census`: every head's attention entropy and its shares on [CLS], [SEP],
# itself, its neighbours and punctuation, over the sentence and over a
# file of sentences (blank lines skipped, CRLF, a pair). Then the bad
# input, one line each: a missing file, a directory, /dev/zero, invalid
# UTF-8 (naming the line), a file with no sentence, too many arguments;
# the sentence stays (`tokens`).
#! args: --no-window --plain
#! rc: 1
census
the cat sat on the mat , by the river .
census
census {cases}/census_sentences.txt
census {cases}/no-such-file.txt
census {cases}
census /dev/zero
census {cases}/census_bad_utf8.txt
census {cases}/census_blank.txt
census a b
tokens
help census
