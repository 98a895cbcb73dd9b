# quit stops a piped script; what follows is not run, status 0.
#! args: --no-window
the cat
quit
layer 99
