# A subcommand's --lang naming a language without lessons: refused in one
# line, as the REPL refuses it, not silently English; status 2.
#! args: tokenize --lang fr "the cat"
#! model: none
#! rc: 2
