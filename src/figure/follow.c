/* Following the REPL (bertology/view_follow.h) and the settings a view
 * takes from its position (bertology/figure.h). */
#include <string.h>
#include "bertology/figure.h"
#include "bertology/vec_compare.h"
#include "bertology/view_follow.h"

int view_follow_update(ViewFollow *f, const VizState *st) {
    int moved = 0;
    if (st && (!f->have_state || memcmp(&st->pos, &f->last_pos, sizeof st->pos) != 0)) {
        f->last_pos = st->pos;
        f->follow_compare = 0;
        f->follow_instrument = 0;
        moved = 1;
    }
    /* A new comparison is the REPL's latest move: follow it until the
     * learner moves again. Only the address is kept, never dereferenced. */
    uintptr_t cmp = st && st->compare ? (uintptr_t)st->compare->word_cos : 0;
    if (cmp && cmp != f->compare_seen) {
        f->follow_compare = 1;
        f->follow_instrument = 0;
    }
    f->compare_seen = cmp;
    /* Likewise the last instrument command, whichever came last. */
    unsigned ins = st ? st->instrument_gen : 0;
    if (ins && ins != f->instrument_seen) {
        f->follow_instrument = 1;
        f->follow_compare = 0;
    }
    f->instrument_seen = ins;
    f->have_state = st != NULL;
    return moved;
}

VizView view_follow_pick(const ViewFollow *f, const VizState *st) {
    if (!st) return VIZ_HEATMAP;
    if (f->follow_compare && st->compare) return VIZ_COMPARE;
    if (f->follow_instrument && viz_view_info(st->instrument)) return st->instrument;
    return viz_view_for_stage(st->pos.stage);
}

void fig_params_follow(FigParams *p, const VizState *st) {
    memset(p, 0, sizeof *p);
    p->rollout_query = -1;
    p->layer = st->pos.layer;
    p->head = st->pos.head;
    const StageInfo *si = stage_info(st->pos.stage);
    if (si && si->per_layer) p->level = st->pos.layer + 2;
    else if (st->pos.stage == STAGE_MLM && st->trace) p->level = st->trace->L + 1;
    else p->level = 1;
    p->scores = st->pos.stage == STAGE_SCORES;
}

const VizState *fig_state_for(const VizState *st, VizView view, VizState *both) {
    /* After a `compare`, the embedding view shows its two sentences (the
     * subtitle says so); every other view keeps the REPL's sentence. */
    if (st && view == VIZ_EMBEDDINGS && st->compare) {
        *both = *st;
        both->trace = &st->compare->s[0].pass.tr;
        both->tokens = (const char *const *)st->compare->s[0].pass.tokens;
        both->trace2 = &st->compare->s[1].pass.tr;
        both->tokens2 = (const char *const *)st->compare->s[1].pass.tokens;
        return both;
    }
    return st;
}
