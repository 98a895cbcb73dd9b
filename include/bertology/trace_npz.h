#ifndef BERTOLOGY_TRACE_NPZ_H
#define BERTOLOGY_TRACE_NPZ_H
#include "bertology/trace.h"

/* Writes a B == 1 trace as .npz with the documented names: input_ids,
 * token_type_ids, embeddings, layer{i}.{q,k,v,scores,attn,output}, and
 * mlm_logits / nsp_logits when present, plus every other intermediate
 * (tok_emb, pos_emb, ..., layer{i}.ffn_act) for learners who want them. */
int trace_export_npz(const Trace *tr, const char *path, BtError *err);

#endif
