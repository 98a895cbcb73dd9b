#ifndef BERTOLOGY_UNLIKELY_H
#define BERTOLOGY_UNLIKELY_H
/* Token-level unlikelihood on the words a sequence shows (Welleck et al.
 * 2019, "Neural Text Generation with Unlikelihood Training", eq. 4): at
 * every chosen row, besides the cross-entropy of the true word, the loss
 * adds weight × Σ −log(1 − p(c)) over the candidates c = the distinct
 * words visible in the row's sequence, except the row's own answer.
 *
 * Why: under copy-free masking (core/masking.h, repeats_shared) a word the
 * model must guess is never visible elsewhere in its sequence, so "a word
 * of the sentence" is always a wrong guess; plain cross-entropy only lowers
 * it in proportion to its probability, and the v2.1 model still put a word
 * of the sentence first on 13 of 24 cloze sentences ("The sun rises in
 * the [MASK]." -> sun 56%). This term pushes exactly those guesses down.
 * "Visible words" are the ids copy-free masking takes together (whole
 * words, not the commonest): guessing "the" beside "the" stays allowed. */

/* Per sequence b (of B, each T positions of input_ids/valid), the distinct
 * ids at valid positions with eligible[id] set: ids[b*T ..] and count[b]. */
void visible_words_collect(const int *input_ids, const int *valid, int B, int T, const unsigned char *eligible,
                           int vocab_size, int *ids, int *count);

typedef struct {
    const int *ids;      /* (B × T) from visible_words_collect */
    const int *count;    /* (B) */
    int T;               /* positions per sequence: row r belongs to sequence r / T */
    float weight;        /* the term's weight (0: off) */
} VisibleWords;

/* dlogits (n × V) holds cross_entropy's gradient at `scale` (scale·(p − onehot(label)));
 * adds the unlikelihood gradient of the n chosen rows (mlm_rows[i] = b·T + t, labels[i]
 * the answer) at the same scale. Returns the term's mean over rows (weighted). */
double unlikely_visible(float *dlogits, const int *labels, const int *mlm_rows, int n, int V, float scale,
                        const VisibleWords *vw);

#endif
