#include "commands.h"
#include "bertology/edit_distance.h"
#include "bertology/i18n.h"
#include "bertology/repl.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <utf8proc.h>

static const Command COMMANDS[] = {
    {"help", NULL, "[CMD]", N_("list the commands, or explain one"), NULL, cmd_help, COMP_COMMANDS, 0},
    {"sentence", NULL, "TEXT", N_("analyse TEXT (\"A ||| B\" for a pair); any line that is not a command does the same"),
     N_("Use it when the text starts with a command word: sentence next to the river"), cmd_sentence, COMP_TOKENS, 0},
    {"next", "n", "[N]", N_("move one stage (or N stages) forward"), NULL, cmd_next, COMP_NONE, 1},
    {"back", "b", "[N]", N_("move one stage (or N stages) back; in a lesson, the previous step"),
     N_("In a lesson, `back` alone returns to the lesson's previous step;\n"
        "`b` and `back N` still move through the pipeline."), cmd_back_or_step, COMP_NONE, 1},
    {"stage", NULL, "NAME", N_("jump to a stage by name"),
     N_("Stages, in order: tokens embed pos segment emb, then for each layer qkv scores attn\n"
        "context proj ln1 ffn ln2, and last mlm."), cmd_stage, COMP_STAGES, 1},
    {"layer", NULL, "N", N_("jump to layer N (counted from 0), same stage"), NULL, cmd_layer, COMP_NONE, 1},
    {"head", NULL, "N", N_("choose attention head N (counted from 0)"), NULL, cmd_head, COMP_NONE, 1},
    {"show", NULL, "[full]", N_("show the current stage again (full: every value)"), NULL, cmd_show, COMP_NONE, 1},
    {"tokens", NULL, "", N_("the WordPiece tokens, their ids and segments"), NULL, cmd_tokens, COMP_NONE, 0},
    {"embed", NULL, "[TOKEN] [full]", N_("word embeddings of the sentence, or the vector of one token"),
     N_("embed TOKEN looks TOKEN up in the vocabulary (or splits it into word pieces)\n"
        "and shows its static vector: the row of the embedding table."), cmd_embed, COMP_TOKENS, 1},
    {"pos", NULL, "[full]", N_("positional encodings of the sentence's positions"), NULL, cmd_pos, COMP_NONE, 1},
    {"qkv", NULL, "[L [H]] [full]", N_("queries, keys and values of one head"), NULL, cmd_qkv, COMP_NONE, 1},
    {"scores", NULL, "[L [H]] [full]", N_("attention scores QKᵀ/√d of one head, before softmax"), NULL, cmd_scores, COMP_NONE, 1},
    {"attn", NULL, "[L [H]] [full]", N_("attention weights of one head (rows: queries, columns: keys)"), NULL, cmd_attn, COMP_NONE, 1},
    {"ln", NULL, "[L]", N_("what LayerNorm does to each token's mean and spread in layer L"), NULL, cmd_ln, COMP_NONE, 0},
    {"ffn", NULL, "[L] [full]", N_("the feed-forward block of layer L"), NULL, cmd_ffn, COMP_NONE, 1},
    {"out", NULL, "[L] [full]", N_("output of layer L (default: the last): the contextual vectors"), NULL, cmd_out, COMP_NONE, 1},
    /* xgettext:no-c-format */
    {"mask", NULL, "[POS...|off]", N_("mask 15% of the tokens as in BERT training (80/10/10, seeded), or positions POS"),
     /* xgettext:no-c-format */
     N_("mask          choose 15% of the word pieces (at least one): 80% become [MASK],\n"
        "              10% a random token, 10% stay; `set seed N` makes it repeatable\n"
        "mask 3 5      replace positions 3 and 5 (see `tokens`) with [MASK]\n"
        "mask off      back to the sentence as typed"), cmd_mask, COMP_NONE, 0},
    {"predict", NULL, "[K]", N_("top-K guesses (default 5) of the MLM head for each masked position"), NULL, cmd_predict, COMP_NONE, 0},
    {"lens", NULL, "[POS] [WORD] [K]", N_("the logit lens: the MLM head's top-K after the embeddings and every layer"),
     N_("lens            every masked position (as `predict`), top 5 at each depth\n"
        "lens 4          position 4 (see `tokens`), masked or not\n"
        "lens cat        also follow 'cat': its rank (#1 = the top guess) and probability\n"
        "lens 4 cat 10   position 4, follow 'cat', top 10 (K from 1 to 100)\n"
        "Rows: emb is the embeddings' output (the input of layer 0), layer N the output of\n"
        "layer N; each is read through the model's own MLM head (dense, GELU, LayerNorm,\n"
        "decoder), so the last row is exactly `predict`. Caveat: the head was trained on\n"
        "the last layer's output only, so early rows are read through a head not made for\n"
        "them (the Tuned Lens trains one per layer for that reason)."), cmd_lens, COMP_TOKENS, 0},
    {"ablate", NULL, "[L.H|ffn L|off]", N_("knock out a head or a layer's FFN and re-run; alone: what is knocked out"),
     N_("ablate 1.2        knock out head 2 of layer 1: its context vector (its slice of\n"
        "                  the heads' output, before the output projection) becomes 0\n"
        "ablate 1.2 mean   ... becomes its mean over the sentence's tokens instead\n"
        "ablate ffn 1      skip layer 1's feed-forward block: it adds nothing to the residual\n"
        "ablate off        undo them all (`ablate off 1.2`, `ablate off ffn 1`: one)\n"
        "ablate            list what is knocked out\n"
        "Several may be out at once. Every stage, window view, lesson and `lens` sees the\n"
        "ablated run, the prompt says so, and `predict` shows each guess's probability\n"
        "intact → ablated. Zero is the default: it is the knock-out of Michel et al. (2019)\n"
        "and of Hugging Face's head_mask, so the numbers compare with theirs. Mean keeps\n"
        "what the head adds to every token alike and removes only what it says about each\n"
        "token: a gentler test, which tells a head that carries information from one that\n"
        "mostly adds a constant offset."), cmd_ablate, COMP_NONE, 0},
    {"scan", NULL, "[POS] [WORD]", N_("knock out each head in turn: what each costs the [MASK] word and NSP"),
     N_("scan            the first masked position (as `predict`): the log-probability of\n"
        "                its top guess, and of IsNext, with each head knocked out in turn\n"
        "scan cat        follow 'cat' instead of the top guess\n"
        "scan 4 cat      at position 4 (see `tokens`), masked or not\n"
        "scan mean       knock each head out to its mean over the sentence, not to 0\n"
        "The grid is layers × heads of Δ log p = log p(with the head out) − log p(as run):\n"
        "below 0 the model needed that head. The heads already knocked out (`ablate`) stay\n"
        "out. The window's scan view (key K) draws the grid. As a script: bertology scan --json."), cmd_scan, COMP_TOKENS, 0},
    {"rollout", NULL, "[POS]", N_("attention rollout and flow: what a token draws from the input, through every layer"),
     N_("rollout       the first [MASK] (or [CLS] when there is none)\n"
     "rollout 4     position 4 (see `tokens`)\n"
     "Three columns per input token, each summing to 100%:\n"
     "  layer N     the last layer's attention of that row, mean over its heads\n"
     "  rollout     (A + I)/2 for each layer, heads averaged (I: the residual keeps\n"
     "              half of each token), multiplied through all the layers\n"
     "  flow        the layers as a graph, a node per token at each depth, each edge\n"
     "              as wide as that (A + I)/2 weight; the maximum flow from each input\n"
     "              token to POS, computed exactly (no approximation), scaled to 100%\n"
     "After Abnar & Zuidema 2020, \"Quantifying Attention Flow in Transformers\".\n"
     "The window's rollout view (key F) draws the three side by side."), cmd_rollout, COMP_NONE, 0},
    {"saliency", NULL, "[POS] [WORD]", N_("which input tokens a [MASK] word's probability depends on: gradient × input and integrated gradients"),
     N_("saliency          the first masked position (as `predict`) and its top guess\n"
        "saliency cat      the log-probability of 'cat' there instead\n"
        "saliency 4 cat    at position 4 (see `tokens`), masked or not\n"
        "saliency --ig 50  integrated gradients in 50 steps (default 20; --ig 0: none)\n"
        "x is each token's word vector (the row of the vocabulary's table); its position\n"
        "and segment vectors are held fixed. Not the sum of the three: the LayerNorm\n"
        "that reads the sum ignores its scale, so ∇·sum is 0 for every token.\n"
        "  ∇·x   gradient × input: the gradient of log p(WORD) at x, dotted with x\n"
        "  |∇|   the gradient's L2 norm: how much any change of the vector would move it\n"
        "  IG    integrated gradients (Sundararajan et al. 2017): ∇ averaged along the\n"
        "        straight path from the baseline (every word vector 0, positions and\n"
        "        segments kept) to x, midpoint rule, dotted with x; they add up to\n"
        "        log p(x) − log p(baseline) (completeness), which is checked and shown\n"
        "The gradients come from the trainer's backward pass. The window's saliency\n"
        "view (key G) draws the bars. As a script: bertology saliency --json."), cmd_saliency, COMP_TOKENS, 0},
    {"census", NULL, "[FILE]", N_("every head's attention entropy and its share on [CLS], [SEP], itself, its neighbours, punctuation"),
     N_("census        over every query row of the sentence\n"
     "census FILE   over every sentence of FILE, one per line (a file of at most 1 MiB)\n"
     "For each head: the entropy of its attention in bits (0: all on one token), and\n"
     "the share of it on [CLS], on [SEP], on the token itself, on the previous and the\n"
     "next token, and on punctuation, averaged over the query rows. A head's role is\n"
     "the target with at least half of its attention, else mixed (after Clark et al.\n"
     "2019, \"What does BERT look at?\"). The window's census view (key H) colours\n"
     "the layers × heads grid by role."), cmd_census, COMP_FILES, 0},
    {"whatif", NULL, "POS WORD|\"TEXT\"",
     N_("run again with POS replaced by WORD, as \"TEXT\", or `corrupt`ed as in training: what changes"),
     /* xgettext:no-c-format */
     N_("whatif 3 dog        run B: the sentence with position 3 (see `tokens`) replaced by\n"
        "                    'dog', which must be one word piece\n"
        "whatif corrupt      run B: the sentence with BERT's training corruption (each word\n"
        "                    piece chosen with probability 15%, at least one; of those 80%\n"
        "                    [MASK], 10% a random token, 10% kept; `set seed N` repeats it)\n"
        "whatif \"the dog\"    run B: another sentence; tokens are paired by their longest\n"
        "                    common subsequence, equal-length stretches between matches in\n"
        "                    order, and those left over are listed as having no partner\n"
        "whatif              the last what-if again; whatif off: forget it\n"
        "Run A is the sentence as run (what the stages show). The report: per head, the\n"
        "total-variation distance between A's and B's attention row of each paired query\n"
        "(0 the same, 1 disjoint), mean over the pairs; per paired token and depth, the\n"
        "cosine of the hidden vectors; the MLM guesses at each [MASK] and changed token in\n"
        "both runs; NSP's P(IsNext) for a pair. The window's what-if view (key W) draws\n"
        "it. As a script: bertology whatif --json."), cmd_whatif, COMP_TOKENS, 0},
    {"compare", NULL, "WORD \"A\" \"B\"", N_("one word in sentences A and B: its static vector against BERT's, layer by layer"),
     N_("compare bank \"the bank of the river\" \"the bank raised its rates\"\n"
        "The static cosine is 1 by construction; the contextual one is shown for the\n"
        "embedding output and every layer, beside sentence-level cosines (mean and [CLS])."), cmd_compare, COMP_TOKENS, 0},
    {"similar", NULL, "WORD [K]", N_("the K (default 10) nearest words by cosine in the static vector set"), NULL, cmd_similar,
     COMP_TOKENS, 0},
    {"analogy", NULL, "A B C [K]", N_("the words nearest to A − B + C (king man woman: queen?)"), NULL, cmd_analogy, COMP_NONE, 0},
    {"vector", NULL, "WORD [full]", N_("the static vector of WORD in the static vector set"), NULL, cmd_vector, COMP_TOKENS, 1},
    {"vectors", NULL, "[NAME|FILE]", N_("list the static vector sets, or choose one (model, glove, FILE.btv)"),
     N_("model       BERT's own input embedding table E_word (always there)\n"
        "glove       GloVe 6B 100d, once scripts/fetch-vectors.sh has fetched it\n"
        "FILE.btv    a file made by `bertology vectors convert` (or set $BERTOLOGY_VECTORS)"), cmd_vectors, COMP_FILES, 0},
    {"model", NULL, "", N_("the model's sizes and where it was loaded from"), NULL, cmd_model, COMP_NONE, 0},
    {"checkpoint", NULL, "[NAME]", N_("list the model's training checkpoints, or load one (early, final, step-N)"),
     N_("checkpoint          the model itself (final) and the step-N snapshots its training\n"
        "                    kept beside it, with their steps; * marks the one loaded\n"
        "checkpoint early    load the earliest snapshot\n"
        "checkpoint final    back to the model itself\n"
        "checkpoint step-N   load the snapshot of step N\n"
        "The sentence, its masking and the stage stay: the forward pass is re-run on the\n"
        "checkpoint loaded, and the window's training view (8) marks it on the curves."), cmd_checkpoint, COMP_NONE, 0},
    {"export", NULL, "FILE [VIEW]",
     N_("save the pass (.npz), or the view on show as numbers (.csv) or a picture (.svg)"),
     N_("export FILE.npz          every intermediate of the forward pass (numpy.load reads it)\n"
        "export FILE.csv [VIEW]   the numbers behind the window's view (or VIEW): one table with a\n"
        "                         header row, RFC 4180 quoting, '.' as the decimal point\n"
        "export FILE.svg [VIEW]   the view as a standalone SVG picture: heatmaps with their colour\n"
        "                         scale, line plots, bars, the tokens as text, on white\n"
        "The view is the one the window shows, with its layer, head and keys (R, A, ↑↓);\n"
        "without a window, the one it would show: the stage's, or the last instrument's\n"
        "(`rollout`, `scan`, `lens`, ...). VIEW names another:\n"
        "`heatmap` `heads` `headview` `positions` `vectors` `embeddings` `predictions`\n"
        "`training` `compare` `rollout` `census` `scan` `saliency` `lens` `whatif`.\nCSV headers are English names (`query`, `layer`, `p_1`, ...).\n"
        "Which views give what:"), cmd_export, COMP_FILES, 0},
    {"screenshot", NULL, "FILE.png", N_("save the window as it is shown, as PNG"), NULL, cmd_screenshot, COMP_FILES, 0},
    {"set", NULL, "[NAME [VALUE]]", N_("show or change a setting (precision colour seed causal scale truncate width)"),
     N_("precision N        digits after the point (0-8)\n"
        "colour auto|on|off|256|truecolor   shading of matrices\n"
        "seed N             seed of `mask`'s random choices\n"
        "causal on|off      each token sees only itself and earlier ones (GPT-style)\n"
        "scale on|off       off: scores are QKᵀ without the 1/√d (watch softmax saturate)\n"
        "truncate on|off    cut sentences longer than the model's limit instead of refusing\n"
        "width auto|N       columns to fit matrices into"), cmd_set, COMP_SETTINGS, 0},
    {"lesson", NULL, "[N [STEP]]", N_("list the guided lessons, or start (or resume) lesson N"),
     N_("lesson            the lessons, with how far you got\n"
        "lesson 3          start lesson 3, or resume it where you left it\n"
        "lesson 3 1        start lesson 3 over (or at any step)\n"
        "--lang pt         lessons in Portuguese (pt), Russian (ru) or English (en);\n"
        "                  the default follows LANG / LC_ALL\n"
        "While a question is open, type the answer; commands still work."), cmd_lesson, COMP_NONE, 0},
    {"continue", NULL, "", N_("the lesson's next step (`back` returns to the previous one)"), NULL, cmd_continue,
     COMP_NONE, 0},
    {"hint", NULL, "", N_("a hint for the lesson's open question or turn"), NULL, cmd_hint, COMP_NONE, 0},
    {"quit-lesson", NULL, "", N_("leave the lesson (`lesson N` picks up where you left)"), NULL, cmd_quit_lesson,
     COMP_NONE, 0},
    {"clear", NULL, "", N_("clear the terminal screen (the window and the sentence stay)"), NULL, cmd_clear, COMP_NONE, 0},
    {"quit", "q", "", N_("leave (Ctrl-D too); `exit` works as well"), NULL, cmd_quit, COMP_NONE, 0},
};

const Command *commands_table(int *n) {
    *n = (int)(sizeof COMMANDS / sizeof COMMANDS[0]);
    return COMMANDS;
}

const Command *command_find(const char *word) {
    int n;
    const Command *t = commands_table(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].name, word) == 0 || (t[i].alias && strcmp(t[i].alias, word) == 0)) return &t[i];
    if (strcmp(word, "exit") == 0) return command_find("quit");
    return NULL;
}

int repl_command_exists(const char *name) { return command_find(name) != NULL; }

/* What a Portuguese or Russian learner may type for a command, alone on
 * its line: the REPL names the English command (the course, the lessons
 * and `help` write those) rather than analysing "ajuda" as a sentence. */
static const struct {
    const char *word, *command;
} NATIVE[] = {
    {"ajuda", "help"},     {"sair", "quit"},      {"próximo", "next"},     {"proximo", "next"},
    {"avançar", "next"},   {"voltar", "back"},    {"lição", "lesson"},     {"licao", "lesson"},
    {"lições", "lesson"},  {"dica", "hint"},      {"continuar", "continue"},
    {"помощь", "help"},    {"справка", "help"},   {"выход", "quit"},       {"выйти", "quit"},
    {"далее", "next"},     {"дальше", "next"},    {"вперёд", "next"},      {"назад", "back"},
    {"урок", "lesson"},    {"уроки", "lesson"},   {"подсказка", "hint"},   {"продолжить", "continue"},
};

/* word case-folded and composed (NFC), or NULL: strcasecmp folds only
 * ASCII, so "Помощь" or "LIÇÃO" at the start of a line went unmatched. */
static char *folded(const char *word) {
    utf8proc_uint8_t *out = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)word, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) < 0)
        return NULL;
    return (char *)out;
}

const Command *command_native(const char *word) {
    char *w = folded(word);
    const Command *c = NULL;
    for (size_t i = 0; w && !c && i < sizeof NATIVE / sizeof NATIVE[0]; i++)
        if (strcmp(w, NATIVE[i].word) == 0) c = command_find(NATIVE[i].command);   /* the table is folded already */
    free(w);
    return c;
}

const Command *command_nearest(const char *word, int *dist) {
    int n, best = 99;
    const Command *t = commands_table(&n), *bc = NULL;
    for (int i = 0; i < n; i++) {
        int d = edit_distance(word, t[i].name);
        if (d < best) { best = d; bc = &t[i]; }
    }
    *dist = best;
    return bc;
}

void command_usage(const Command *c, char *buf, size_t n) {
    snprintf(buf, n, _("usage: %s%s%s — %s"), c->name, c->args[0] ? " " : "", c->args, _(c->help));
}

int parse_int(const char *s, long *out) {
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno == ERANGE) return -1;   /* strtol saturates: 10^20 is not LONG_MAX */
    *out = v;
    return 0;
}

int arg_layer(const Session *s, const char *arg, int *out, BtError *err) {
    long v;
    int L = s->model.cfg.num_layers;
    if (parse_int(arg, &v) != 0) return bt_fail(err, "'%s' is not a layer number: layers are 0–%d", arg, L - 1);
    if (v < 0 || v >= L)
        return bt_fail(err, ngettext("layer %ld is out of range: this model has %d layer, numbered 0–%d",
                                     "layer %ld is out of range: this model has %d layers, numbered 0–%d", L),
                       v, L, L - 1);
    *out = (int)v;
    return 0;
}

int arg_head(const Session *s, const char *arg, int *out, BtError *err) {
    long v;
    int nh = s->model.cfg.num_heads;
    if (parse_int(arg, &v) != 0) return bt_fail(err, "'%s' is not a head number: heads are 0–%d", arg, nh - 1);
    if (v < 0 || v >= nh)
        return bt_fail(err, ngettext("head %ld is out of range: this model has %d head per layer, numbered 0–%d",
                                     "head %ld is out of range: this model has %d heads per layer, numbered 0–%d", nh),
                       v, nh, nh - 1);
    *out = (int)v;
    return 0;
}

int arg_position(const Session *s, const char *arg, int *out, BtError *err) {
    long v;
    int T = session_T(s);
    if (parse_int(arg, &v) != 0)
        return bt_fail(err, "'%s' is not a position: positions are 0–%d (see `tokens`)", arg, T - 1);
    if (v < 0 || v >= T)
        return bt_fail(err, ngettext("position %ld is out of range: the sentence has %d token, 0–%d (see `tokens`)",
                                     "position %ld is out of range: the sentence has %d tokens, 0–%d (see `tokens`)", T),
                       v, T, T - 1);
    *out = (int)v;
    return 0;
}

int arg_top_k(const char *arg, int *out, BtError *err) {
    long k;
    if (parse_int(arg, &k) != 0 || k < 1 || k > 100)
        return bt_fail(err, "K must be a number from 1 to 100, not '%s'", arg);
    *out = (int)k;
    return 0;
}

int cmd_help(Session *s, const Call *c, BtError *err) {
    FILE *f = s->out;
    int n;
    const Command *t = commands_table(&n);
    if (c->argc > 2) return CMD_USAGE;
    if (c->argc == 2) {
        const Command *cmd = command_find(c->argv[1]);
        if (!cmd) {
            int d;
            const Command *near = command_nearest(c->argv[1], &d);
            if (d <= 2) return bt_fail(err, "no command '%s'; did you mean '%s'?", c->argv[1], near->name);
            return bt_fail(err, "no command '%s' (`help` lists them)", c->argv[1]);
        }
        fprintf(f, "%s%s%s\n  %s\n", cmd->name, cmd->args[0] ? " " : "", cmd->args, _(cmd->help));
        if (cmd->alias) fprintf(f, _("  short form: %s\n"), cmd->alias);
        if (cmd->more) {
            const char *p = _(cmd->more);
            while (*p) {
                const char *nl = strchr(p, '\n');
                int len = nl ? (int)(nl - p) : (int)strlen(p);
                fprintf(f, "  %.*s\n", len, p);
                p += len + (nl ? 1 : 0);
            }
        }
        /* export's list of views by format comes from the figures' table */
        if (cmd->run == cmd_export) export_help_views(f);
        return CMD_OK;
    }
    int w = 0;
    for (int i = 0; i < n; i++) {
        int len = (int)strlen(t[i].name) + (t[i].args[0] ? 1 + (int)strlen(t[i].args) : 0);
        if (len > w) w = len;
    }
    for (int i = 0; i < n; i++) {
        char u[128];
        snprintf(u, sizeof u, "%s%s%s", t[i].name, t[i].args[0] ? " " : "", t[i].args);
        /* The usage strings contain multi-byte characters only in help text. */
        fprintf(f, "  %-*s  %s%s%s%s\n", w, u, _(t[i].help), t[i].alias ? " (" : "", t[i].alias ? t[i].alias : "",
                t[i].alias ? ")" : "");
    }
    fputs(_("Any other line is analysed as a sentence; \"A ||| B\" makes a pair.\n"
            "L and H count from 0. `help CMD` says more about one command.\n"), f);
    return CMD_OK;
}

/* Learners type `clear` as in a shell; as a sentence it would be analysed. */
int cmd_clear(Session *s, const Call *c, BtError *err) {
    (void)err;
    if (c->argc > 1) return CMD_USAGE;
    if (s->out == stdout && isatty(fileno(stdout))) fputs("\033[H\033[2J", stdout);
    return CMD_OK;
}

int cmd_quit(Session *s, const Call *c, BtError *err) {
    (void)err;
    if (c->argc > 1) return CMD_USAGE;
    s->quit = 1;
    return CMD_OK;
}
