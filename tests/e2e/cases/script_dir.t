# --script DIR: a directory opens but does not read; one line and status 1,
# not a silent success (issue 17).
#! args: --no-window --script {tmp}
#! rc: 1
#! compare: none
#! expect: bertology: cannot read script {tmp}: Is a directory
