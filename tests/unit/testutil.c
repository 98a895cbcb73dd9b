#include "testutil.h"
#include "bertology/progress.h"
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int test_failures = 0;
int test_checks = 0;

int test_done(const char *name) {
    printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
    return test_failures ? 1 : 0;
}

const char *test_data_path(const char *rel) {
    static char buf[4096];
    const char *root = getenv("BT_SOURCE_ROOT");
    snprintf(buf, sizeof buf, "%s/tests/data/%s", root ? root : ".", rel);
    return buf;
}

const char *test_tmpdir(void) {
    static char buf[256];
    if (!buf[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(buf, sizeof buf, "%s/bt-test-XXXXXX", base ? base : "/tmp");
        if (!mkdtemp(buf)) { perror("mkdtemp"); exit(2); }
    }
    return buf;
}

const char *test_tmp_path(const char *name) {
    static char buf[16][512];
    static int k;
    char *p = buf[k++ % 16];
    snprintf(p, 512, "%s/%s", test_tmpdir(), name);
    return p;
}

int test_temp_files(void) {
    DIR *d = opendir(test_tmpdir());
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp.")) n++;
    if (d) closedir(d);
    return n;
}

float test_max_abs_diff(const float *a, const float *b, long n) {
    float m = 0;
    for (long i = 0; i < n; i++) {
        float d = fabsf(a[i] - b[i]);
        if (!(d <= m)) m = d;   /* NaN propagates as a failure */
    }
    return m;
}

static void record_progress(void *ctx, const char *what, long done, long total) {
    TestProgress *p = ctx;
    if (p->n && (done < p->last_done || total != p->last_total || what != p->what)) p->went_back = 1;
    if (!p->n) p->first_done = done;
    p->n++;
    p->what = what;
    p->last_done = done;
    p->last_total = total;
}

void test_progress_record(TestProgress *p) {
    if (!p) {
        bt_progress_hook(NULL, NULL);
        return;
    }
    memset(p, 0, sizeof *p);
    bt_progress_hook(record_progress, p);
}
