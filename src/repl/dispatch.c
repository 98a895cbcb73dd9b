#include "dispatch.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/edit_distance.h"
#include "bertology/i18n.h"
#include "bertology/safetext.h"
#include "commands.h"

enum { MAX_ARGS = 64 };

void report_error(Session *s, const char *where, const char *msg) {
    fflush(s->out);
    /* msg may quote the line (a script is a file) or a token */
    if (where) fprintf(stderr, _("%s: error: %s\n"), safe_str(where), safe_str(msg));
    else fprintf(stderr, _("error: %s\n"), safe_str(msg));
    fflush(stderr);
}

/* Splits in place on blanks; "double quotes" keep a file name with spaces.
 * *open: a quote was not closed (the line ended inside it). */
static int split(char *p, char **argv, int *open) {
    int argc = 0;
    *open = 0;
    while (*p && argc < MAX_ARGS) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        if (*p == '"') {
            argv[argc++] = ++p;
            while (*p && *p != '"') p++;
            *open = !*p;
        } else {
            argv[argc++] = p;
            while (*p && *p != ' ' && *p != '\t') p++;
        }
        if (*p) *p++ = 0;
    }
    return argc;
}

static int is_number(const char *w) {
    if (*w == '-' || *w == '+') w++;
    if (!*w) return 0;
    for (; *w; w++)
        if (!isdigit((unsigned char)*w)) return 0;
    return 1;
}

/* A line whose first word is a near miss of a command, is no word of the
 * vocabulary, and whose other words look like arguments ("nxt", "layr 3",
 * "predcit 5") is taken as a mistyped command; "hello" or "sat" stay
 * sentences. */
static const Command *typo_of(const Session *s, int argc, char **argv, int *dist) {
    const char *w = argv[0];
    size_t len = strlen(w);
    if (len < 2) return NULL;
    if (s->model.tok && tok_id(s->model.tok, w) >= 0) return NULL;
    for (const char *p = w; *p; p++)
        if (!islower((unsigned char)*p)) return NULL;
    const Command *near = command_nearest(w, dist);
    if (!near || *dist > edit_slip_limit(len)) return NULL;
    for (int i = 1; i < argc; i++)
        if (!is_number(argv[i]) && !strchr(argv[i], '.') && strcmp(argv[i], "full") != 0) return NULL;
    return near;
}

void report_line_too_long(Session *s, const char *where) {
    char msg[256];
    snprintf(msg, sizeof msg, _("the line is longer than %d bytes, the limit for a command or a sentence; skipped"),
             REPL_LINE_MAX);
    report_error(s, where, msg);
}

int dispatch_line(Session *s, const char *line, const char *where) {
    BtError err = {{0}};
    while (*line == ' ' || *line == '\t') line++;
    size_t len = strnlen(line, REPL_LINE_MAX + 1);
    if (len > REPL_LINE_MAX) {
        report_line_too_long(s, where);
        return -1;
    }
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len == 0) return 0;
    long bad = utf8_invalid_at(line, len);
    if (bad >= 0) {
        snprintf(err.msg, sizeof err.msg,
                 _("the line is not valid UTF-8 (byte 0x%02X at offset %ld); nothing changed"),
                 (unsigned char)line[bad], bad);
        report_error(s, where, err.msg);
        return -1;
    }
    char *buf = strndup(line, len);
    char *work = strndup(line, len);
    char *argv[MAX_ARGS];
    if (!buf || !work) { free(buf); free(work); report_error(s, where, _("out of memory")); return -1; }
    /* A lesson's open question takes the line first when it looks like
     * an answer (cmd_lesson.c). */
    if (s->lesson && lesson_intercept(s, buf)) { free(buf); free(work); return 0; }
    int open_quote;
    int argc = split(work, argv, &open_quote);

    const Command *cmd = command_find(argv[0]);
    int rc = 0;
    if (!cmd) {
        int d;
        const Command *near = typo_of(s, argc, argv, &d);
        const Command *native = argc == 1 ? command_native(argv[0]) : NULL;
        if (native) {
            snprintf(err.msg, sizeof err.msg,
                     _("'%s' is not a command: commands are typed in English, here `%s` (`help` lists them; "
                       "`sentence %s` analyses the word as text)"),
                     argv[0], native->name, buf);
            report_error(s, where, err.msg);
            rc = -1;
        } else if (near) {
            snprintf(err.msg, sizeof err.msg,
                     _("unknown command '%s'; did you mean '%s'? (`help` lists commands; `sentence %s` analyses it as text)"),
                     argv[0], near->name, buf);
            report_error(s, where, err.msg);
            rc = -1;
        } else {
            Call c = {1, argv, buf, 0};
            if (cmd_sentence(s, &c, &err) != CMD_OK) { report_error(s, where, err.msg); rc = -1; }
            if (s->lesson) lesson_observe(s, "sentence", buf, rc == 0);
            session_sync_viz(s);
        }
        free(buf);
        free(work);
        return rc;
    }

    /* `whatif 6 "` would look for the word '': say what is wrong instead
     * (a sentence keeps its quotes: `sentence` reads the raw line) */
    if (open_quote && strcmp(cmd->name, "sentence") != 0) {
        report_error(s, where, _("a double quote (\") is not closed; close it, as in \"two words\""));
        free(buf);
        free(work);
        return -1;
    }
    Call c = {argc, argv, buf + strlen(argv[0]), 0};
    while (*c.rest == ' ' || *c.rest == '\t') c.rest++;
    if (cmd->takes_full) {
        int j = 1;
        for (int i = 1; i < c.argc; i++) {
            if (strcmp(argv[i], "full") == 0) c.full = 1;
            else argv[j++] = argv[i];
        }
        c.argc = j;
    }
    int r = cmd->run(s, &c, &err);
    if (r == CMD_USAGE) {
        char u[512];
        command_usage(cmd, u, sizeof u);
        /* "next week we go" meant as a sentence is the likely story here. */
        char msg[1024];
        if (argc >= 3)
            snprintf(msg, sizeof msg, _("%s (to analyse the line as text: sentence %.400s)"), u, buf);
        else
            snprintf(msg, sizeof msg, "%s", u);
        report_error(s, where, msg);
        rc = -1;
    } else if (r != CMD_OK) {
        report_error(s, where, err.msg[0] ? err.msg : _("failed"));
        rc = -1;
    }
    if (s->lesson) lesson_observe(s, cmd->name, c.rest, rc == 0);
    session_sync_viz(s);
    fflush(s->out);
    free(buf);
    free(work);
    return rc;
}
