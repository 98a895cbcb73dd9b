# A mistyped option with --lang ru before it (--lang is every subcommand's
# option, so it is not the one refused): the one line in Russian, with the
# option meant and the usage; status 2.
#! args: predict --lang ru --tpo 3 "the [MASK] sat"
#! model: none
#! rc: 2
