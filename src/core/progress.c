/* The process's progress hook (bertology/progress.h). */
#include "bertology/progress.h"
#include <stddef.h>

static BtProgressFn hook;
static void *hook_ctx;

void bt_progress_hook(BtProgressFn fn, void *ctx) {
    hook = fn;
    hook_ctx = ctx;
}

void bt_progress(const char *what, long done, long total) {
    if (hook) hook(hook_ctx, what, done, total);
}
