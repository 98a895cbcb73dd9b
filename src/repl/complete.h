#ifndef BT_REPL_COMPLETE_H
#define BT_REPL_COMPLETE_H
/* Tab completion: command names first, then what each command takes
 * (stage names, settings, file names, the tokens of the sentence). */
#include "session.h"

/* Installs the completer for session s (readline's callbacks carry no
 * user pointer, so s is remembered until complete_uninstall). */
void complete_install(Session *s);
void complete_uninstall(void);

#endif
