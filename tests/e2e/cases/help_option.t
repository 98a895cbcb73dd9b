# --help prints the usage (REPL options and subcommands) and exits 0.
#! args: --help
#! compare: none
#! expect: usage: bertology [options]
#! expect: REPL options:
#! expect:   --vectors FILE
#! expect:   --lang LANG
#! expect: subcommands
#! expect:   predict
#! expect:   train
tokens
