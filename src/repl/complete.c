#include "complete.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include "bertology/safetext.h"
#include "commands.h"

/* readline calls the completer with no context pointer: the session being
 * completed for and the candidate list of the completion in progress live
 * here, and nowhere else. */
static struct {
    Session *s;
    const char **cand;
    int n, next;
} g_comp;

static void cand_add(const char *c) {
    if (!c) return;
    for (int i = 0; i < g_comp.n; i++)
        if (strcmp(g_comp.cand[i], c) == 0) return;
    const char **grown = realloc(g_comp.cand, (size_t)(g_comp.n + 1) * sizeof *grown);
    if (!grown) return;
    g_comp.cand = grown;
    g_comp.cand[g_comp.n++] = c;
}

static char *generator(const char *text, int state) {
    if (!state) g_comp.next = 0;
    size_t len = strlen(text);
    while (g_comp.next < g_comp.n) {
        const char *c = g_comp.cand[g_comp.next++];
        if (strncmp(c, text, len) == 0) return strdup(c);
    }
    return NULL;
}

static void add_tokens(void) {
    Session *s = g_comp.s;
    if (!s || !pass_has_trace(&s->pass)) return;
    /* readline shows candidates raw: a token that safe_text would change
     * (a random replacement from a hostile vocabulary) is not offered */
    for (int i = 0; i < session_T(s); i++)
        if (s->pass.tokens[i] && safe_text_clean(s->pass.tokens[i])) cand_add(s->pass.tokens[i]);
}

/* The n-th word (0-based) of the line before start, copied into w. */
static int word_before(int start, int n, char *w, size_t wn) {
    const char *p = rl_line_buffer;
    int k = 0;
    while (p < rl_line_buffer + start) {
        while (p < rl_line_buffer + start && (*p == ' ' || *p == '\t')) p++;
        if (p >= rl_line_buffer + start) break;
        const char *b = p;
        while (p < rl_line_buffer + start && *p != ' ' && *p != '\t') p++;
        if (k == n) {
            snprintf(w, wn, "%.*s", (int)(p - b), b);
            return 1;
        }
        k++;
    }
    return 0;
}

static int words_before(int start) {
    int k = 0;
    char w[8];
    while (word_before(start, k, w, sizeof w)) k++;
    return k;
}

static char **completer(const char *text, int start, int end) {
    (void)end;
    g_comp.n = 0;
    rl_attempted_completion_over = 1;   /* no file names unless asked for */
    int nw = words_before(start);
    char first[64] = "";
    word_before(start, 0, first, sizeof first);
    if (nw == 0) {
        int n;
        const Command *t = commands_table(&n);
        for (int i = 0; i < n; i++) cand_add(t[i].name);
    } else {
        const Command *c = command_find(first);
        switch (c ? c->complete : COMP_TOKENS) {
        case COMP_COMMANDS: {
            int n;
            const Command *t = commands_table(&n);
            if (nw == 1) for (int i = 0; i < n; i++) cand_add(t[i].name);
            break;
        }
        case COMP_STAGES:
            if (nw == 1) for (int i = 0; i < STAGE_COUNT; i++) cand_add(stage_info((Stage)i)->name);
            break;
        case COMP_SETTINGS: {
            char name[32] = "";
            word_before(start, 1, name, sizeof name);
            if (nw == 1) for (const char *const *p = settings_names(); *p; p++) cand_add(*p);
            else if (nw == 2 && strcmp(name, "colour") == 0) {
                static const char *const V[] = {"auto", "on", "off", "256", "truecolor"};
                for (int i = 0; i < 5; i++) cand_add(V[i]);
            } else if (nw == 2 && (strcmp(name, "causal") == 0 || strcmp(name, "scale") == 0 ||
                                   strcmp(name, "truncate") == 0)) {
                cand_add("on");
                cand_add("off");
            } else if (nw == 2 && strcmp(name, "width") == 0) cand_add("auto");
            break;
        }
        case COMP_FILES:
            rl_attempted_completion_over = 0;
            return NULL;
        case COMP_TOKENS:
            add_tokens();
            break;
        case COMP_NONE:
            if (c->takes_full) cand_add("full");
            break;
        }
    }
    if (g_comp.n == 0) return NULL;
    return rl_completion_matches(text, generator);
}

void complete_install(Session *s) {
    g_comp.s = s;
    rl_attempted_completion_function = completer;
    /* Tokens such as "##ing" or "[CLS]" are one word to complete. */
    rl_basic_word_break_characters = " \t\n";
    rl_completer_word_break_characters = " \t\n";
}

void complete_uninstall(void) {
    free(g_comp.cand);
    memset(&g_comp, 0, sizeof g_comp);
    rl_attempted_completion_function = NULL;
}
