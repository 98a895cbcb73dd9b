/* Files from outside: regular files only, each kind under its own cap.
 * The table below is the one place the caps live; docs/limits.md explains
 * them to users and the hub checks downloads against them. */
#include "bertology/infile.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bertology/i18n.h"

#define KiB (1024ull)
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)

static const struct {
    BtFileKind kind;
    const char *name;   /* the file's name in a model directory, or NULL */
    const char *desc;   /* what it is called in messages */
    uint64_t cap;
    const char *why;    /* docs/limits.md repeats these */
} KINDS[BT_FILE_KINDS] = {
    {BT_FILE_CONFIG, "config.json", "config.json", 1 * MiB,
     N_("a BERT config.json is under 1 KB; label maps make some a few KB")},
    {BT_FILE_TOKENIZER_CONFIG, "tokenizer_config.json", "tokenizer_config.json", 4 * MiB,
     N_("a few KB; added-token tables make some a few hundred KB")},
    {BT_FILE_VOCAB, "vocab.txt", N_("vocabulary"), 32 * MiB,
     N_("bert-base's is 0.2 MB, multilingual's 0.9 MB; config.json allows 2M tokens, about 20 MB")},
    {BT_FILE_WEIGHTS, "model.safetensors", N_("weights file"), 8 * GiB,
     N_("bert-large is 1.3 GB in float32; the weights are copied into memory")},
    {BT_FILE_PYTORCH, "pytorch_model.bin", N_("PyTorch checkpoint"), 8 * GiB,
     N_("as model.safetensors: convert writes the same weights")},
    {BT_FILE_VECTORS_SOURCE, NULL, N_("vectors file"), 32 * GiB,
     N_("GloVe 840B is 5.6 GB, fastText crawl 4.5 GB; it is mapped, not read into memory")},
    {BT_FILE_VECTORS, NULL, N_("converted vectors file"), 32 * GiB,
     N_("a converted GloVe 840B is 2.6 GB; it is mapped, not read into memory")},
    {BT_FILE_FONT, NULL, N_("font"), 64 * MiB,
     N_("DejaVu Sans is 0.7 MB, a CJK collection about 20 MB; the font is read into memory")},
    {BT_FILE_LESSON, NULL, N_("lesson"), 1 * MiB,
     N_("the longest shipped lesson is 20 KB")},
    {BT_FILE_EVAL, NULL, N_("evaluation file"), 64 * MiB,
     N_("cloze, senses and neighbours files are a line per item, kilobytes to a few MB")},
    {BT_FILE_CORPUS, NULL, N_("corpus"), 64 * GiB,
     N_("English Wikipedia is about 20 GB of text; its word pieces are kept in memory")},
    {BT_FILE_TRAIN_LOG, NULL, N_("training log"), 1 * GiB,
     N_("a line per logged step: a million steps are about 100 MB")},
    {BT_FILE_SENTENCES, NULL, N_("sentences file"), 1 * MiB,
     N_("a sentence per line, each run through the model: 1 MiB is some 15,000 sentences")},
};

uint64_t bt_file_cap(BtFileKind kind) {
    return (unsigned)kind < BT_FILE_KINDS ? KINDS[kind].cap : 0;
}

const char *bt_file_kind_desc(BtFileKind kind) {
    return (unsigned)kind < BT_FILE_KINDS ? _(KINDS[kind].desc) : _("file");
}

int bt_file_kind_of_name(const char *name) {
    for (int i = 0; i < BT_FILE_KINDS; i++)
        if (KINDS[i].name && strcmp(KINDS[i].name, name) == 0) return (int)KINDS[i].kind;
    return -1;
}

static void fmt_size(char *buf, size_t n, uint64_t b) {
    if (b >= GiB) snprintf(buf, n, "%.1f GiB", (double)b / GiB);
    else if (b >= MiB) snprintf(buf, n, "%.1f MiB", (double)b / MiB);
    else if (b >= KiB) snprintf(buf, n, "%.1f KiB", (double)b / KiB);
    else snprintf(buf, n, _("%llu bytes"), (unsigned long long)b);
}

static const char *file_type(mode_t m) {
    return S_ISDIR(m) ? _("a directory") : S_ISFIFO(m) ? _("a FIFO") : S_ISCHR(m) ? _("a character device")
         : S_ISBLK(m) ? _("a block device") : S_ISSOCK(m) ? _("a socket") : _("a special file");
}

/* size_known: 0 when reading stopped at the cap, so the size is unknown */
static int too_large(const char *path, BtFileKind kind, uint64_t size, int size_known, BtError *err) {
    char have[40] = "", cap[32];
    if (size_known) fmt_size(have, sizeof have - 2, size), strcat(have, ", ");
    fmt_size(cap, sizeof cap, KINDS[kind].cap);
    return bt_fail(err, "%s: %smore than a %s may be (at most %s: %s)", path, have, _(KINDS[kind].desc), cap,
                   _(KINDS[kind].why));
}

int bt_file_check(int fd, const char *name, BtFileKind kind, uint64_t *size, BtError *err) {
    if ((unsigned)kind >= BT_FILE_KINDS) return bt_fail(err, "%s: unknown file kind %d", name, (int)kind);
    struct stat st;
    if (fstat(fd, &st) != 0)
        return bt_fail(err, "%s: cannot stat the %s: %s", name, _(KINDS[kind].desc), strerror(errno));
    if (!S_ISREG(st.st_mode))
        return bt_fail(err, "%s: %s, not a regular file; a %s must be a regular file", name, file_type(st.st_mode),
                       _(KINDS[kind].desc));
    if ((uint64_t)st.st_size > KINDS[kind].cap) return too_large(name, kind, (uint64_t)st.st_size, 1, err);
    if (size) *size = (uint64_t)st.st_size;
    return 0;
}

int bt_file_open(const char *path, BtFileKind kind, uint64_t *size, BtError *err) {
    if ((unsigned)kind >= BT_FILE_KINDS) return bt_fail(err, "%s: unknown file kind %d", path, (int)kind);
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever.
     * It is cleared again below; for a regular file it changes nothing. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return bt_fail(err, "%s: cannot open the %s: %s", path, _(KINDS[kind].desc), strerror(errno));
    if (bt_file_check(fd, path, kind, size, err)) {
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl != -1) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

FILE *bt_file_fopen(const char *path, BtFileKind kind, BtError *err) {
    int fd = bt_file_open(path, kind, NULL, err);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        bt_fail(err, "%s: out of memory", path);
    }
    return f;
}

char *bt_file_read(const char *path, BtFileKind kind, size_t *len, BtError *err) {
    uint64_t size;
    int fd = bt_file_open(path, kind, &size, err);
    if (fd < 0) return NULL;
    uint64_t cap = KINDS[kind].cap;
    /* The size on disk is a hint only: the file may grow while read, and
     * /proc files say 0; the cap is what bounds the buffer. */
    size_t want = (size_t)size + 1, n = 0;
    char *buf = malloc(want + 1);
    int rc = buf ? 0 : bt_fail(err, "%s: out of memory", path);
    while (!rc) {
        if (n == want) {
            if (n > cap) {
                rc = too_large(path, kind, n, 0, err);
                break;
            }
            size_t grow = want < cap - want ? want : (size_t)(cap - want) + 1;
            char *g = realloc(buf, want + grow + 1);
            if (!g) { rc = bt_fail(err, "%s: out of memory", path); break; }
            buf = g;
            want += grow;
        }
        ssize_t r = read(fd, buf + n, want - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) rc = bt_fail(err, "%s: cannot read the %s: %s", path, _(KINDS[kind].desc), strerror(errno));
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (!rc && n > cap) rc = too_large(path, kind, n, 0, err);
    if (rc) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}
