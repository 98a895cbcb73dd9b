# --help prints the usage and exits 0.
#! args: --help
tokens
