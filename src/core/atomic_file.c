#include "atomic_file.h"
#include "st_common.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void finish(AtomicFile *a) {
    free(a->path);
    free(a->tmp);
    a->fp = NULL;
    a->path = a->tmp = NULL;
}

int af_open(AtomicFile *a, const char *path, BtError *err) {
    char file[ST_NAME_BUF];
    st_display_path(file, path);
    memset(a, 0, sizeof *a);
    size_t len = strlen(path);
    a->path = strdup(path);
    a->tmp = malloc(len + sizeof ".tmp.XXXXXX");
    if (!a->path || !a->tmp) {
        finish(a);
        return bt_fail(err, "%s: out of memory", file);
    }
    memcpy(a->tmp, path, len);
    memcpy(a->tmp + len, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkostemp(a->tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        finish(a);
        return bt_fail(err, "%s: cannot create a temporary file next to it: %s", file,
                       strerror(e));
    }
    /* mkstemp makes the file private (0600); a model or a dump is not a
     * secret, and the renamed file should look like any other. */
    if (fchmod(fd, 0644) != 0 || !(a->fp = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        unlink(a->tmp);
        finish(a);
        return bt_fail(err, "%s: cannot set up the temporary file: %s", file, strerror(e));
    }
    return 0;
}

int af_write(AtomicFile *a, const void *buf, size_t n, BtError *err) {
    if (n == 0 || fwrite(buf, 1, n, a->fp) == n) return 0;
    char file[ST_NAME_BUF];
    st_display_path(file, a->path);
    return bt_fail(err, "%s: write failed: %s", file, strerror(errno));
}

int af_commit(AtomicFile *a, BtError *err) {
    char file[ST_NAME_BUF];
    st_display_path(file, a->path);
    const char *step = "write";
    int e = 0;
    if (fflush(a->fp) != 0 || ferror(a->fp)) {
        e = errno ? errno : EIO;   /* ferror alone does not set errno */
    } else if (fsync(fileno(a->fp)) != 0) {
        e = errno, step = "fsync";
    }
    if (fclose(a->fp) != 0 && !e) e = errno, step = "close";
    a->fp = NULL;
    if (!e && rename(a->tmp, a->path) != 0) e = errno, step = "rename";
    if (e) {
        unlink(a->tmp);
        finish(a);
        return bt_fail(err, "%s: %s failed: %s", file, step, strerror(e));
    }
    finish(a);
    return 0;
}

void af_abort(AtomicFile *a) {
    if (!a) return;
    if (a->fp) {
        fclose(a->fp);
        unlink(a->tmp);
    }
    finish(a);
}
