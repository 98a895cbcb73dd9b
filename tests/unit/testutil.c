#include "testutil.h"
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

const char *test_shared_path(const char *rel) {
    static char buf[4096];
    const char *root = getenv("BT_SHARED");
    if (!root) root = "../shared";
    snprintf(buf, sizeof buf, "%s/%s", root, rel);
    return access(buf, R_OK) == 0 ? buf : NULL;
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

float test_max_abs_diff(const float *a, const float *b, long n) {
    float m = 0;
    for (long i = 0; i < n; i++) {
        float d = fabsf(a[i] - b[i]);
        if (!(d <= m)) m = d;   /* NaN propagates as a failure */
    }
    return m;
}
