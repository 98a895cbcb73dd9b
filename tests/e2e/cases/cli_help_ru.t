# A subcommand's --help in Russian, --lang before --help: the required
# options, defaults and ranges in Russian; --lang itself listed.
#! args: vocab --lang ru --help
#! model: none
