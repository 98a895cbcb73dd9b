#ifndef BERTOLOGY_HUB_H
#define BERTOLOGY_HUB_H
/* Models from the Hugging Face hub, and the local cache they land in:
 * $XDG_CACHE_HOME/bertology/models/ID/ (ID may hold one '/', as in
 * google/bert_uncased_L-2_H-128_A-2). Files are fetched from the hub's
 * plain layout {endpoint}/{id}/resolve/{revision}/{file}. */
#include <stddef.h>
#include <stdint.h>
#include "bertology/error.h"

#define HUB_DEFAULT_ENDPOINT "https://huggingface.co"

typedef struct {
    const char *file;           /* "model.safetensors", ... */
    uint64_t done;              /* bytes of the file we have, a resumed part included */
    uint64_t total;             /* 0 while unknown */
    uint64_t resumed_from;      /* bytes that were already there */
    double seconds;             /* since this request began */
    int finished;               /* last call for this file */
} HubProgress;
typedef void (*HubProgressFn)(const HubProgress *p, void *user);
/* One line about a step (a file kept from the cache, a conversion). */
typedef void (*HubNoteFn)(const char *line, void *user);

typedef struct {
    const char *endpoint;       /* NULL: HUB_DEFAULT_ENDPOINT */
    const char *revision;       /* NULL: "main" */
    const char *token;          /* sent as a bearer token (gated models); may be NULL */
    int force;                  /* fetch again files already in the cache */
    HubProgressFn progress;
    HubNoteFn note;
    void *user;
} HubPullOptions;

/* Fetches config.json (refusing models whose model_type is not bert),
 * vocab.txt, tokenizer_config.json when there is one, and the weights:
 * model.safetensors, else pytorch_model.bin converted to it. Each file is
 * written as FILE.part, kept on failure so the next pull resumes it, and
 * renamed into place once its size and (when the server gives one) its
 * sha256 check out. dir_out gets the model directory. The caller must
 * have called curl_global_init. */
int hub_pull(const char *model_id, const HubPullOptions *o, char *dir_out, size_t n, BtError *err);

/* A hub id: one or two names of [A-Za-z0-9._-] joined by '/', neither
 * starting with '.', so it is also a safe relative path. */
int hub_valid_id(const char *id);
/* $XDG_CACHE_HOME/bertology/models (created). */
int hub_models_dir(char *out, size_t n, BtError *err);
/* What --model accepts: an existing directory is used as is; otherwise a
 * model id already pulled into the cache. Returns 0 with the directory in
 * out, or -1 (out then holds name_or_dir, so the loader's error names
 * what the user typed). */
int hub_resolve_model(const char *name_or_dir, char *out, size_t n);

/* hub_resolve_model, and then, when the directory holds pytorch_model.bin
 * but no model.safetensors, converts it once into
 * $XDG_CACHE_HOME/bertology/converted/KEY/ (never into the directory
 * itself; the other files are linked from there) and answers that
 * directory; note gets one line when a conversion starts. Returns -1 with
 * err set only when the conversion fails. */
int hub_open_model(const char *name_or_dir, char *out, size_t n, HubNoteFn note, void *user, BtError *err);
/* The note the commands that open a model pass: "bertology: LINE" on
 * stderr, so that what they print on stdout stays theirs. */
void hub_note_stderr(const char *line, void *user);

typedef struct {
    char id[256];
    uint64_t bytes;             /* all files, partial downloads included */
    int complete;               /* config.json, vocab.txt and model.safetensors present */
    int partial;                /* a FILE.part is waiting to be resumed */
} HubCachedModel;
/* The models in the cache, sorted by id; *out is malloc'd. */
int hub_list_models(HubCachedModel **out, int *n, BtError *err);

#endif
