#ifndef BERTOLOGY_TRACE_NPZ_H
#define BERTOLOGY_TRACE_NPZ_H
#include "bertology/trace.h"

/* Writes a B == 1 trace as .npz: every array of the trace's table
 * (bertology/trace.h) under its name, `layer{i}.NAME` for per-layer ones,
 * and again under the name older files used (embeddings, token_type_ids,
 * layer{i}.context, layer{i}.output). Arrays the trace lacks (a head the
 * model has not) are left out. */
int trace_export_npz(const Trace *tr, const char *path, BtError *err);

#endif
