#ifndef BERTOLOGY_VIEWS_H
#define BERTOLOGY_VIEWS_H
/* The window's views: the one list of them. It knows no SDL, so that the
 * lesson parser (`view: NAME`) and the REPL (`view NAME`) read the same
 * names as the window. The window (src/viz/views.c) adds each view's
 * drawing from the same rows: view NAME lives in src/viz/view_NAME.c,
 * which defines `const ViewOps view_NAME`. Adding a view is one row here
 * and that file (its screenshot test: tests/meson.build's window_views,
 * checked against this list by the view_table test).
 *
 *   VIEW(ID, name, key, label, title, stages)
 * in the order of Tab. VIZ_ID is its enum value, key the key that shows
 * it, label its word in the keys' help, title the title bar's; stages are
 * the REPL stages it is the view of when the window follows the REPL
 * (every stage is some view's). label and title are marked N_() for
 * translation (po/): the window prints _(label), _(title). */
#include "bertology/i18n.h"
#include "bertology/stages.h"

#define STAGE_BIT(s) (1u << (s))

#define BT_VIEWS(VIEW)                                                                                                     \
    /* attention of one head, T×T */                                                                                       \
    VIEW(HEATMAP, heatmap, '1', N_("attention"), N_("Attention heatmap"), STAGE_BIT(STAGE_SCORES) | STAGE_BIT(STAGE_ATTN)) \
    /* layers × heads small heatmaps */                                                                                    \
    VIEW(ALL_HEADS, heads, '2', N_("all heads"), N_("All heads"), 0)                                                       \
    /* query and key columns joined by lines */                                                                            \
    VIEW(HEAD_VIEW, headview, '3', N_("head view"), N_("Head view"), 0)                                                    \
    /* positional encodings */                                                                                             \
    VIEW(POSITIONS, positions, '4', N_("positions"), N_("Positional encodings"), STAGE_BIT(STAGE_POS))                     \
    /* Q/K/V and the residual stream as colour strips: tokens, embeddings, per-layer vectors */                            \
    VIEW(VECTORS, vectors, '5', N_("vectors"), N_("Q/K/V and the residual stream"),                                        \
         STAGE_BIT(STAGE_TOKENS) | STAGE_BIT(STAGE_EMBED) | STAGE_BIT(STAGE_SEGMENT) |                                     \
             STAGE_BIT(STAGE_EMB_LN) | STAGE_BIT(STAGE_QKV) | STAGE_BIT(STAGE_CONTEXT) |                                   \
             STAGE_BIT(STAGE_ATTN_OUT) | STAGE_BIT(STAGE_LN1) | STAGE_BIT(STAGE_FFN) | STAGE_BIT(STAGE_LN2))               \
    /* tokens in 3D by PCA */                                                                                              \
    VIEW(EMBEDDINGS, embeddings, '6', N_("embeddings"), N_("Embedding space"), 0)                                          \
    /* top-K for each [MASK] */                                                                                            \
    VIEW(PREDICTIONS, predictions, '7', N_("predictions"), N_("Predictions"), STAGE_BIT(STAGE_MLM))                        \
    /* loss and accuracy curves of the model's training run */                                                             \
    VIEW(TRAINING, training, '8', N_("training"), N_("Training run"), 0)                                                   \
    /* one word in two sentences, cosine layer by layer */                                                                 \
    VIEW(COMPARE, compare, '9', N_("compare"), N_("One word in two sentences"), 0)                                  \
    /* one query row: last layer's attention, rollout and flow side by side (`rollout`) */                                \
    VIEW(ROLLOUT, rollout, 'f', N_("rollout"), N_("Attention rollout and flow"), 0)                                        \
    /* layers × heads coloured by each head's role (`census`) */                                                          \
    VIEW(CENSUS, census, 'h', N_("census"), N_("Head census"), 0)                                                       \
    /* `scan`: what knocking out each head costs the [MASK] word and NSP */                                                \
    VIEW(SCAN, scan, 'k', N_("knock-outs"), N_("Which heads matter"), 0)                                                  \
    /* `saliency`: per-token gradient × input and integrated gradients of a [MASK] word */                               \
    VIEW(SALIENCY, saliency, 'g', N_("saliency"), N_("Saliency for a masked word"), 0)                                  \
    /* `lens`: the MLM head's top-K at every depth, the word's rank as a line */                                         \
    VIEW(LENS, lens, 'l', N_("lens"), N_("Logit lens"), 0)                                                              \
    /* `whatif`: two runs side by side, what changed per head and per token */                                            \
    VIEW(WHATIF, whatif, 'w', N_("what-if"), N_("What if"), 0)

#define BT_VIEW_ENUM(ID, name, key, label, title, stages) VIZ_##ID,
typedef enum {
    VIZ_FOLLOW = -1,        /* pick the view from the REPL's stage */
    BT_VIEWS(BT_VIEW_ENUM)
    VIZ_VIEW_COUNT
} VizView;
#undef BT_VIEW_ENUM

typedef struct {
    const char *name;       /* "heatmap", as `view` and lessons spell it */
    char key;
    const char *label;
    const char *title;
    unsigned stages;        /* STAGE_BIT()s */
} ViewInfo;

/* The row of a view; NULL for VIZ_FOLLOW or out of range. */
const ViewInfo *viz_view_info(VizView view);
/* Short name of a view ("heatmap" ... "compare", "follow" for
 * VIZ_FOLLOW), and the view for a name (VIZ_FOLLOW for "follow"; -2 when
 * unknown). */
const char *viz_view_name(VizView view);
int viz_view_by_name(const char *name);
/* The view shown for a stage when following the REPL. */
VizView viz_view_for_stage(Stage s);

#endif
