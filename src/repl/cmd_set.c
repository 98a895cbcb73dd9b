/* Settings, and the commands that write files. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "bertology/trace_npz.h"
#include "commands.h"
#include "stageview.h"
#include "term.h"

static const char *const SETTINGS[] = {"precision", "colour", "seed", "causal", "scale", "truncate", "width", NULL};

const char *const *settings_names(void) { return SETTINGS; }

static int on_off(const char *v, int *out) {
    if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "true") == 0) *out = 1;
    else if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "no") == 0 || strcmp(v, "false") == 0) *out = 0;
    else return -1;
    return 0;
}

static void print_setting(Session *s, const char *name) {
    const Settings *st = &s->set;
    FILE *f = s->out;
    static const char *const CM[] = {"auto", "off", "256", "truecolor"};
    static const char *const LV[] = {N_("none"), N_("256 colours"), N_("24-bit")};
    if (strcmp(name, "precision") == 0) fprintf(f, "precision  %d\n", st->precision);
    else if (strcmp(name, "colour") == 0)
        fprintf(f, _("colour     %s (in use: %s%s)\n"), CM[st->colour], _(LV[term_colour_level(st)]),
                st->plain ? ", --plain" : "");
    else if (strcmp(name, "seed") == 0) fprintf(f, "seed       %llu\n", (unsigned long long)st->seed);
    else if (strcmp(name, "causal") == 0) fprintf(f, "causal     %s\n", st->causal ? "on" : "off");
    else if (strcmp(name, "scale") == 0) fprintf(f, "scale      %s\n", st->unscaled ? "off" : "on");
    else if (strcmp(name, "truncate") == 0) fprintf(f, "truncate   %s\n", st->truncate ? "on" : "off");
    else if (strcmp(name, "width") == 0) {
        if (st->width) fprintf(f, "width      %d\n", st->width);
        else fprintf(f, _("width      auto (now %d)\n"), term_width(st));
    }
}

/* Switches that change the forward pass re-run it at once. */
static int rerun(Session *s, const char *what, BtError *err) {
    if (!pass_has_trace(&s->pass)) { fprintf(s->out, _("%s; it applies to the next sentence\n"), what); return 0; }
    if (session_run(s, err) != 0) return -1;
    fprintf(s->out, _("%s; forward pass re-run (`show` to see the current stage)\n"), what);
    return 0;
}

int cmd_set(Session *s, const Call *c, BtError *err) {
    if (c->argc == 1) {
        for (int i = 0; SETTINGS[i]; i++) print_setting(s, SETTINGS[i]);
        return CMD_OK;
    }
    const char *name = strcmp(c->argv[1], "color") == 0 ? "colour" : c->argv[1];
    int known = 0;
    for (int i = 0; SETTINGS[i]; i++) known |= strcmp(SETTINGS[i], name) == 0;
    if (!known) {
        bt_fail(err, "no setting '%s'; settings: precision colour seed causal scale truncate width", c->argv[1]);
        return CMD_ERR;
    }
    if (c->argc == 2) { print_setting(s, name); return CMD_OK; }
    if (c->argc != 3) return CMD_USAGE;
    const char *v = c->argv[2];
    Settings *st = &s->set;
    long n;
    int b;
    if (strcmp(name, "precision") == 0) {
        if (parse_int(v, &n) != 0 || n < 0 || n > 8) { bt_fail(err, "precision is 0 to 8 digits, not '%s'", v); return CMD_ERR; }
        st->precision = (int)n;
    } else if (strcmp(name, "colour") == 0) {
        if (strcmp(v, "auto") == 0) st->colour = COLOUR_AUTO;
        else if (strcmp(v, "off") == 0) st->colour = COLOUR_OFF;
        else if (strcmp(v, "256") == 0) st->colour = COLOUR_256;
        else if (strcmp(v, "truecolor") == 0 || strcmp(v, "truecolour") == 0 || strcmp(v, "24bit") == 0)
            st->colour = COLOUR_TRUE;
        else if (strcmp(v, "on") == 0) {
            const char *ct = getenv("COLORTERM");
            st->colour = ct && (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0) ? COLOUR_TRUE : COLOUR_256;
        } else { bt_fail(err, "colour is auto, on, off, 256 or truecolor, not '%s'", v); return CMD_ERR; }
        if (st->plain && st->colour != COLOUR_OFF) fputs(_("(--plain is in force: no colour)\n"), s->out);
    } else if (strcmp(name, "seed") == 0) {
        char *end;
        errno = 0;
        unsigned long long u = strtoull(v, &end, 10);
        /* strtoull saturates (ERANGE): a seed past the largest would silently become it */
        if (!*v || *end || *v == '-' || errno == ERANGE) {
            bt_fail(err, "the seed is a whole number from 0 to %llu, not '%s'", ULLONG_MAX, v);
            return CMD_ERR;
        }
        st->seed = u;
        s->rng = u;
    } else if (strcmp(name, "width") == 0) {
        if (strcmp(v, "auto") == 0) st->width = 0;
        else if (parse_int(v, &n) == 0 && n >= 20 && n <= 10000) st->width = (int)n;
        else { bt_fail(err, "width is auto or a number of columns from 20 to 10000, not '%s'", v); return CMD_ERR; }
    } else {
        if (on_off(v, &b) != 0) { bt_fail(err, "%s is on or off, not '%s'", name, v); return CMD_ERR; }
        if (strcmp(name, "causal") == 0) {
            st->causal = b;
            if (rerun(s, b ? _("causal mask on: each token sees only itself and the tokens before it (GPT-style)")
                           : _("causal mask off: every token sees every token (BERT)"), err) != 0) return CMD_ERR;
        } else if (strcmp(name, "scale") == 0) {
            st->unscaled = !b;
            if (rerun(s, b ? _("scores divided by √d again") : _("scores are now QKᵀ without 1/√d: watch the softmax saturate"),
                      err) != 0) return CMD_ERR;
        } else {
            st->truncate = b;
            if (b && s->rejected) {
                char *text = s->rejected;
                s->rejected = NULL;
                fputs(_("truncate on; analysing the sentence that was too long\n"), s->out);
                int r = session_set_sentence(s, text, err);
                free(text);
                if (r != 0) return CMD_ERR;
                s->pos.stage = STAGE_TOKENS;
                return stage_show(s, 0, err) == 0 ? CMD_OK : CMD_ERR;
            }
        }
        return CMD_OK;
    }
    print_setting(s, name);
    return CMD_OK;
}

static int has_suffix(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

int cmd_screenshot(Session *s, const Call *c, BtError *err) {
    if (c->argc != 2) return CMD_USAGE;
    if (!has_suffix(c->argv[1], ".png")) { bt_fail(err, "the file name must end in .png"); return CMD_ERR; }
    if (!s->viz) {
        bt_fail(err, "there is no window to take a picture of (--no-window, or no display)");
        return CMD_ERR;
    }
    session_sync_viz(s);
    viz_pump(s->viz, 0);
    if (viz_screenshot(s->viz, c->argv[1], err) != 0) return CMD_ERR;
    fprintf(s->out, _("wrote %s\n"), c->argv[1]);
    return CMD_OK;
}
