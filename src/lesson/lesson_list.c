/* The list of lessons a learner sees: number, title in their language,
 * and how far they got. */
#include <string.h>
#include "lesson_internal.h"
#include "lesson_ui.h"

int lesson_missing_commands(const Lesson *l, int (*exists)(const char *name), char *buf, size_t n) {
    int count = 0;
    buf[0] = 0;
    for (int s = 0; s < l->n_steps; s++)
        for (int i = 0; i < l->steps[s].n_items; i++) {
            char w[64];
            if (!lesson_item_command(&l->steps[s].items[i], w, sizeof w) || exists(w)) continue;
            /* each missing word once */
            char pad[70], have[1100];
            snprintf(pad, sizeof pad, " %s,", w);
            snprintf(have, sizeof have, " %s,", buf);
            if (strstr(have, pad)) continue;
            if (buf[0]) strncat(buf, ", ", n - strlen(buf) - 1);
            strncat(buf, w, n - strlen(buf) - 1);
            count++;
        }
    return count;
}

/* Display columns, one per code point (titles are Latin or Cyrillic). */
static int cols(const char *s) {
    int c = 0;
    for (; *s; s++) c += ((unsigned char)*s & 0xC0) != 0x80;
    return c;
}

void lesson_print_list(FILE *f, const LessonCatalog *c, const LessonProgressStore *ps, const char *lang,
                       int (*exists)(const char *name), int current) {
    int numbers[1000];
    int n = lesson_catalog_numbers(c, numbers, 1000);
    fprintf(f, "%s\n", lesson_ui(lang, UI_LIST_HEADER));
    for (int i = 0; i < n; i++) {
        const LessonFile *lf = lesson_catalog_find(c, numbers[i], lang);
        if (!lf) continue;
        Lesson l;
        BtError err = {{0}};
        if (lesson_load(lf, &l, &err) != 0) {
            fprintf(f, "  %2d  (%s)\n", numbers[i], err.msg);
            continue;
        }
        char status[300] = "";
        const LessonProgress *pr = ps ? lesson_progress_get(ps, lf->stem) : NULL;
        if (pr && pr->done) snprintf(status, sizeof status, "%s", lesson_ui(lang, UI_LIST_DONE));
        else if (pr && pr->step > 0)
            snprintf(status, sizeof status, lesson_ui(lang, UI_LIST_AT), pr->step + 1, l.n_steps);
        char missing[200];
        if (exists && lesson_missing_commands(&l, exists, missing, sizeof missing) > 0) {
            char m[300];
            snprintf(m, sizeof m, lesson_ui(lang, UI_LIST_NEEDS), missing);
            if (status[0]) strncat(status, "; ", sizeof status - strlen(status) - 1);
            strncat(status, m, sizeof status - strlen(status) - 1);
        }
        if (strcmp(lf->lang, lang) != 0) {
            if (status[0]) strncat(status, " ", sizeof status - strlen(status) - 1);
            strncat(status, lesson_ui(lang, UI_LIST_ENGLISH), sizeof status - strlen(status) - 1);
        }
        if (current == numbers[i]) {
            if (status[0]) strncat(status, " ", sizeof status - strlen(status) - 1);
            strncat(status, lesson_ui(lang, UI_LIST_OPEN), sizeof status - strlen(status) - 1);
        }
        int pad = 40 - cols(l.title);
        fprintf(f, "  %2d  %s%*s  %s\n", numbers[i], l.title, pad > 0 ? pad : 0, "", status);
        lesson_free(&l);
    }
}
