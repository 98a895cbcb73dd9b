# An unknown option after --lang pt: the error is in Portuguese, since
# --lang is read before the other options; status 2.
#! args: --lang pt --bogus
#! rc: 2
tokens
