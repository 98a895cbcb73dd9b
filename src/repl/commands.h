#ifndef BT_REPL_COMMANDS_H
#define BT_REPL_COMMANDS_H
/* The one table of REPL commands, in the style of SQLite's shell: a name,
 * an optional short alias, the usage, a one-line help, and the function.
 * Lessons check their commands against this table, so renaming one here
 * breaks their test instead of breaking them silently. */
#include "bertology/error.h"
#include "session.h"

typedef struct {
    int argc;
    char **argv;        /* argv[0] is the command word; `full` already removed */
    const char *rest;   /* the raw text after the command word */
    int full;           /* the word `full` was given: show every value */
} Call;

/* What a command returns: CMD_USAGE makes the caller print its usage. */
enum { CMD_OK = 0, CMD_ERR = -1, CMD_USAGE = -2 };

/* What tab completes after the command word. */
typedef enum { COMP_NONE = 0, COMP_COMMANDS, COMP_STAGES, COMP_TOKENS, COMP_FILES, COMP_SETTINGS } CompKind;

typedef struct {
    const char *name;
    const char *alias;  /* NULL, or a short form */
    const char *args;   /* usage after the name, "" for none */
    const char *help;   /* one line, N_("...") (printed through _()) */
    const char *more;   /* NULL, or a few more lines for `help CMD`, N_("...") too */
    int (*run)(Session *s, const Call *c, BtError *err);
    CompKind complete;
    int takes_full;     /* accepts `full` */
} Command;

const Command *commands_table(int *n);
/* By exact name or alias; NULL if none. */
const Command *command_find(const char *word);
/* The command a Portuguese or Russian word alone stands for ("ajuda",
 * "помощь": help), or NULL. */
const Command *command_native(const char *word);
/* The command whose name is nearest to word (edit_distance), and the distance. */
const Command *command_nearest(const char *word, int *dist);
/* "usage: layer N — jump to layer N, same stage" */
void command_usage(const Command *c, char *buf, size_t n);

/* Handlers, one file per family. */
int cmd_help(Session *s, const Call *c, BtError *err);
int cmd_quit(Session *s, const Call *c, BtError *err);
int cmd_sentence(Session *s, const Call *c, BtError *err);
int cmd_next(Session *s, const Call *c, BtError *err);
int cmd_back(Session *s, const Call *c, BtError *err);
int cmd_stage(Session *s, const Call *c, BtError *err);
int cmd_layer(Session *s, const Call *c, BtError *err);
int cmd_head(Session *s, const Call *c, BtError *err);
int cmd_show(Session *s, const Call *c, BtError *err);
int cmd_tokens(Session *s, const Call *c, BtError *err);
int cmd_embed(Session *s, const Call *c, BtError *err);
int cmd_pos(Session *s, const Call *c, BtError *err);
int cmd_qkv(Session *s, const Call *c, BtError *err);
int cmd_scores(Session *s, const Call *c, BtError *err);
int cmd_attn(Session *s, const Call *c, BtError *err);
int cmd_ln(Session *s, const Call *c, BtError *err);
int cmd_ffn(Session *s, const Call *c, BtError *err);
int cmd_out(Session *s, const Call *c, BtError *err);
int cmd_mask(Session *s, const Call *c, BtError *err);
int cmd_predict(Session *s, const Call *c, BtError *err);
int cmd_model(Session *s, const Call *c, BtError *err);
int cmd_export(Session *s, const Call *c, BtError *err);
/* `help export`'s last lines: which views give CSV and SVG (cmd_export.c). */
void export_help_views(FILE *out);
int cmd_screenshot(Session *s, const Call *c, BtError *err);
int cmd_set(Session *s, const Call *c, BtError *err);
/* Static word vectors (cmd_vectors.c). */
int cmd_vectors(Session *s, const Call *c, BtError *err);
int cmd_similar(Session *s, const Call *c, BtError *err);
int cmd_analogy(Session *s, const Call *c, BtError *err);
int cmd_vector(Session *s, const Call *c, BtError *err);
int cmd_compare(Session *s, const Call *c, BtError *err);
/* The logit lens (cmd_lens.c). */
int cmd_lens(Session *s, const Call *c, BtError *err);
/* Drops the last `lens` kept for the window (a new model makes it stale). */
void lens_forget(Session *s);
/* Knock-outs (cmd_ablate.c). */
int cmd_ablate(Session *s, const Call *c, BtError *err);
int cmd_scan(Session *s, const Call *c, BtError *err);
/* Drops the last `scan` (its model or its sentence's meaning is gone). */
void scan_forget(Session *s);
/* Attention rollout and flow (cmd_rollout.c), the head census (cmd_census.c). */
int cmd_rollout(Session *s, const Call *c, BtError *err);
int cmd_census(Session *s, const Call *c, BtError *err);
/* Saliency for a [MASK] (cmd_saliency.c); saliency_forget drops the last
 * one (its model is gone). */
int cmd_saliency(Session *s, const Call *c, BtError *err);
void saliency_forget(Session *s);
void census_state_free(Session *s);
/* What-if (cmd_whatif.c): a second run beside the current one; its report (whatif_print.c). */
int cmd_whatif(Session *s, const Call *c, BtError *err);
void whatif_forget(Session *s);
struct WhatIf;
void whatif_print(Session *s, const struct WhatIf *w);
/* Training checkpoints (cmd_checkpoint.c). */
int cmd_checkpoint(Session *s, const Call *c, BtError *err);
int cmd_clear(Session *s, const Call *c, BtError *err);
/* Loads the model in dir in place of the session's, silently, as
 * `checkpoint` does (lessons put back the model they started with). */
int checkpoint_load_dir(Session *s, const char *dir, BtError *err);
/* Guided lessons (cmd_lesson.c). */
int cmd_lesson(Session *s, const Call *c, BtError *err);
int cmd_continue(Session *s, const Call *c, BtError *err);
int cmd_hint(Session *s, const Call *c, BtError *err);
int cmd_quit_lesson(Session *s, const Call *c, BtError *err);
int cmd_back_or_step(Session *s, const Call *c, BtError *err);
/* While a lesson asks a question, takes line as the answer when it looks
 * like one (returns 1) instead of a command or a sentence. */
int lesson_intercept(Session *s, const char *line);
/* A command ran (its table name, "sentence" for text; rest: its
 * arguments as typed): may end a lesson's `try:`. */
void lesson_observe(Session *s, const char *command, const char *rest, int ok);
/* "lesson 3·2/6 ?" for the prompt; "" with no lesson open. */
void lesson_prompt_tag(const Session *s, char *buf, size_t n);
void lesson_state_free(Session *s);
/* The lessons' language from the command line (--lang); "" follows the locale. */
int lesson_set_lang(Session *s, const char *lang);
/* The LessonHost for `bertology lesson --check`: lessons run through s. */
struct LessonHost;
int lesson_session_host(Session *s, struct LessonHost *out, BtError *err);

/* Names of `set`'s settings, NULL-terminated (for completion). */
const char *const *settings_names(void);

/* Argument helpers shared by the handlers. */
/* Parses a whole decimal integer; 0 on success. */
int parse_int(const char *s, long *out);
/* Layer/head arguments checked against the model, with one clear message. */
int arg_layer(const Session *s, const char *arg, int *out, BtError *err);
int arg_head(const Session *s, const char *arg, int *out, BtError *err);
/* A token position of the current sentence (0 to T-1). */
int arg_position(const Session *s, const char *arg, int *out, BtError *err);
/* K of a top-K list: 1 to 100. */
int arg_top_k(const char *arg, int *out, BtError *err);

#endif
