#include "bertology/stages.h"
#include "bertology/i18n.h"
#include <string.h>

/* The titles, and the formulas that have words in them, are marked for
 * translation (po/); the REPL and the window print _(title), _(formula).
 * TRANSLATORS: in a formula, translate the words only, never the math. */
static const StageInfo STAGES[STAGE_COUNT] = {
    {STAGE_TOKENS, "tokens", N_("WordPiece tokens and ids"), N_("text -> [CLS] pieces [SEP] -> ids"), 0},
    {STAGE_EMBED, "embed", N_("Word embedding lookup"), "E_word[id]  (T,H)", 0},
    {STAGE_POS, "pos", N_("Positional encoding"), "PE[p,2i]=sin(p/10000^(2i/H)), PE[p,2i+1]=cos(...)", 0},
    {STAGE_SEGMENT, "segment", N_("Segment (token type) embeddings"), "E_type[segment]  (T,H)", 0},
    {STAGE_EMB_LN, "emb", N_("Sum + LayerNorm"), "x0 = LayerNorm(E_word + PE + E_type)", 0},
    {STAGE_QKV, "qkv", N_("Query, key and value projections"), N_("Q=xWqᵀ+bq, K=xWkᵀ+bk, V=xWvᵀ+bv, split into heads"), 1},
    {STAGE_SCORES, "scores", N_("Scaled dot products"), N_("S = Q·Kᵀ/√d  (per head, T×T)"), 1},
    {STAGE_ATTN, "attn", N_("Attention weights"), N_("A = softmax(S) row by row"), 1},
    {STAGE_CONTEXT, "context", N_("Weighted sum of values"), N_("C_h = A_h·V_h, heads concatenated"), 1},
    {STAGE_ATTN_OUT, "proj", N_("Attention output projection"), "O = C·Woᵀ + bo", 1},
    {STAGE_LN1, "ln1", N_("Residual + LayerNorm"), "h = LayerNorm(x + O)", 1},
    {STAGE_FFN, "ffn", N_("Feed-forward, first layer + GELU"), "u = GELU(h·W1ᵀ + b1)  (T,I)", 1},
    {STAGE_LN2, "ln2", N_("Feed-forward output, residual + LayerNorm"), "x' = LayerNorm(h + u·W2ᵀ + b2)", 1},
    {STAGE_MLM, "mlm", N_("Masked-token prediction head"), "p = softmax(LayerNorm(GELU(x'Wᵀ+b))·Eᵀ + b_v)", 0},
};

const StageInfo *stage_info(Stage s) {
    if ((int)s < 0 || s >= STAGE_COUNT) return NULL;
    return &STAGES[s];
}

int stage_by_name(const char *name) {
    for (int i = 0; i < STAGE_COUNT; i++)
        if (strcmp(STAGES[i].name, name) == 0) return i;
    return -1;
}

int stage_next(StagePos *p, int num_layers) {
    if (p->stage == STAGE_MLM) return 0;
    if (p->stage == STAGE_LN2 && p->layer + 1 < num_layers) {
        p->stage = STAGE_QKV;
        p->layer++;
        return 1;
    }
    if (p->stage == STAGE_EMB_LN) p->layer = 0;
    if (p->stage == STAGE_EMB_LN && num_layers == 0) { p->stage = STAGE_MLM; return 1; }
    p->stage++;
    return 1;
}

int stage_prev(StagePos *p, int num_layers) {
    if (p->stage == STAGE_TOKENS) return 0;
    if (p->stage == STAGE_QKV && p->layer > 0) {
        p->stage = STAGE_LN2;
        p->layer--;
        return 1;
    }
    if (p->stage == STAGE_MLM) {
        if (num_layers == 0) { p->stage = STAGE_EMB_LN; return 1; }
        p->layer = num_layers - 1;
    }
    p->stage--;
    return 1;
}
