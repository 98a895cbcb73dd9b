#include "loop.h"
#include "bertology/i18n.h"
#include <stdio.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/readline.h>
#include "commands.h"
#include "complete.h"
#include "dispatch.h"
#include "history.h"
#include "stageview.h"

/* " | ablated 1.2 ffn 3" while knock-outs are in force (`ablate`), so
 * that no output is mistaken for the intact model's; their count when
 * the list is long. */
static void ablate_tag(const Session *s, char *buf, size_t n) {
    buf[0] = '\0';
    const Ablation *a = &s->set.ablate;
    if (a->n == 0) return;
    char list[512];
    ablation_describe(a, list, sizeof list);
    if (strlen(list) <= 24) snprintf(buf, n, "ablated %s", list);
    else snprintf(buf, n, "%d knock-outs", a->n);
}

void loop_prompt(const Session *s, char *buf, size_t n) {
    char tag[64], ko[48];
    lesson_prompt_tag(s, tag, sizeof tag);
    ablate_tag(s, ko, sizeof ko);
    if (!pass_has_trace(&s->pass)) {
        if (tag[0] && ko[0]) snprintf(buf, n, "[%s | %s] bertology › ", tag, ko);
        else if (tag[0] || ko[0]) snprintf(buf, n, "[%s] bertology › ", tag[0] ? tag : ko);
        else snprintf(buf, n, "bertology › ");
        return;
    }
    char where[64];
    stage_where(s, where, sizeof where);
    snprintf(buf, n, "[%s%s%s%s%s] › ", tag, tag[0] ? " | " : "", where, ko[0] ? " | " : "", ko);
}

/* Past this many bytes without a line end the input is no script (say
 * /dev/zero) and reading it stops: skipping on would never end. */
enum { SCRIPT_NO_NEWLINE_MAX = 64 << 20 };

typedef enum { LINE_OK, LINE_LONG, LINE_ENDLESS, LINE_EOF } LineRead;

/* Reads one line of f into buf (REPL_LINE_MAX + 1 bytes), without its
 * newline; *len counts its bytes (NULs included). A longer line is read
 * to its end but not kept (LINE_LONG), so memory stays bounded whatever
 * the input. */
static LineRead read_line(FILE *f, char *buf, size_t *len) {
    size_t n = 0, all = 0;
    int c = EOF;
    flockfile(f);
    while ((c = getc_unlocked(f)) != EOF && c != '\n') {
        if (n < REPL_LINE_MAX) buf[n++] = (char)c;
        if (++all > SCRIPT_NO_NEWLINE_MAX) break;
    }
    funlockfile(f);
    buf[n] = 0;
    *len = n;
    if (all > SCRIPT_NO_NEWLINE_MAX) return LINE_ENDLESS;
    if (c == EOF && all == 0) return LINE_EOF;
    return all > REPL_LINE_MAX ? LINE_LONG : LINE_OK;
}

int loop_script(Session *s, FILE *f, const char *name) {
    char *line = malloc(REPL_LINE_MAX + 1);
    if (!line) {
        report_error(s, name, _("out of memory"));
        return 1;
    }
    size_t len;
    LineRead r;
    int lineno = 0, failed = 0;
    while (!s->quit && (r = read_line(f, line, &len)) != LINE_EOF) {
        lineno++;
        char where[300];
        snprintf(where, sizeof where, "%s:%d", name, lineno);
        if (r == LINE_ENDLESS) {
            report_error(s, where, _("no line end in 64 MiB: this is not a script; stopped reading it"));
            failed++;
            break;
        }
        const char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '#') continue;
        if (r == LINE_LONG) {
            report_line_too_long(s, where);
            failed++;
            continue;
        }
        if (strlen(line) != len) {
            report_error(s, where, _("the line contains a NUL byte; skipped"));
            failed++;
            continue;
        }
        if (dispatch_line(s, line, where) != 0) failed++;
        if (s->viz && viz_pump(s->viz, 0) == 1) { viz_close(s->viz); s->viz = NULL; }
    }
    /* A directory opens but does not read (EISDIR): not an empty script. */
    if (!s->quit && ferror(f)) {
        int e = errno;
        fflush(s->out);
        fprintf(stderr, _("bertology: cannot read script %s: %s\n"), name, strerror(e));
        failed++;
    }
    free(line);
    return failed;
}

/* Signals arrive while we sit in poll(), outside readline; the handlers
 * can only set flags, which the loop then acts on. */
static volatile sig_atomic_t g_sigint, g_sigwinch;
static void on_sigint(int sig) { (void)sig; g_sigint = 1; }
static void on_sigwinch(int sig) { (void)sig; g_sigwinch = 1; }

/* The line handler gets no context pointer from readline; it finds the
 * session and history here while loop_interactive runs. */
static struct {
    Session *s;
    History *hist;
    char prompt[128];
} g_loop;

static void on_line(char *line) {
    Session *s = g_loop.s;
    if (!line) {                     /* Ctrl-D on an empty line */
        fputc('\n', s->out);
        s->quit = 1;
        rl_callback_handler_remove();
        return;
    }
    /* Completion leaves a trailing space; history keeps the line without. */
    size_t len = strlen(line);
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t')) line[--len] = 0;
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p) history_add_line(g_loop.hist, p);
    dispatch_line(s, line, NULL);
    free(line);
    fflush(s->out);
    if (s->quit) { rl_callback_handler_remove(); return; }
    loop_prompt(s, g_loop.prompt, sizeof g_loop.prompt);
    rl_set_prompt(g_loop.prompt);
}

void loop_interactive(Session *s) {
    History hist;
    struct sigaction sa, old_int, old_winch;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigint;       /* no SA_RESTART: poll() must wake up */
    sigaction(SIGINT, &sa, &old_int);
    sa.sa_handler = on_sigwinch;
    sigaction(SIGWINCH, &sa, &old_winch);

    rl_readline_name = "bertology";
    history_open(&hist);
    complete_install(s);
    g_loop.s = s;
    g_loop.hist = &hist;
    loop_prompt(s, g_loop.prompt, sizeof g_loop.prompt);
    rl_callback_handler_install(g_loop.prompt, on_line);

    while (!s->quit) {
        struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
        int r = poll(&pfd, 1, s->viz ? 16 : -1);
        if (g_sigint) {
            g_sigint = 0;
            /* Ctrl-C: drop the line being typed and start a fresh one. */
            rl_free_line_state();
            rl_callback_sigcleanup();
            rl_replace_line("", 0);
            rl_point = rl_end = 0;
            fputs("^C\n", stdout);
            fflush(stdout);
            rl_on_new_line();
            rl_redisplay();
        }
        if (g_sigwinch) {
            g_sigwinch = 0;
            rl_resize_terminal();
        }
        if (r < 0 && errno != EINTR) break;
        if (r > 0) {
            if (pfd.revents & (POLLIN | POLLHUP)) rl_callback_read_char();
            else if (pfd.revents & (POLLERR | POLLNVAL)) break;
        }
        if (s->viz && !s->quit && viz_pump(s->viz, 0) == 1) {
            viz_close(s->viz);
            s->viz = NULL;
            rl_save_prompt();
            fputs(_("\n(window closed; the REPL carries on)\n"), stdout);
            rl_restore_prompt();
            rl_on_new_line();
            rl_redisplay();
        }
    }
    if (!s->quit) rl_callback_handler_remove();
    complete_uninstall();
    history_close(&hist);
    memset(&g_loop, 0, sizeof g_loop);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGWINCH, &old_winch, NULL);
}
