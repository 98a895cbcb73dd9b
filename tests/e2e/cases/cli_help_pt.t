# A subcommand's --help with --lang pt: the usage line, the description
# and every option's help in Portuguese, the defaults and ranges too; the
# option names, their values' names and TEXT stay as typed.
#! args: lens --help --lang pt
#! model: none
