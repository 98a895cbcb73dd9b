# An unknown option: usage on stderr, status 2.
#! args: --bogus
#! rc: 2
tokens
