#ifndef BT_TESTUTIL_H
#define BT_TESTUTIL_H
/* A tiny test harness: CHECK records a failure and goes on, so one run
 * reports every broken expectation; test_done() returns the exit code. */
#include <stdio.h>

extern int test_failures;
extern int test_checks;

#define CHECK(cond) do { test_checks++; if (!(cond)) { test_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECKF(cond, ...) do { test_checks++; if (!(cond)) { test_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* Exit code: 0 all passed, 1 failures. */
int test_done(const char *name);
/* Path to tests/data/<rel> in the source tree (BT_SOURCE_ROOT). */
const char *test_data_path(const char *rel);
/* A fresh temporary directory for this test (removed by the OS /tmp policy). */
const char *test_tmpdir(void);
/* test_tmpdir()/name, in one of 16 rotating buffers (so a call's result
 * lives through the next 15 calls). */
const char *test_tmp_path(const char *name);
/* Leftover atomic-write temporaries (*.tmp.*) in test_tmpdir(). */
int test_temp_files(void);
/* max |a-b| over n */
float test_max_abs_diff(const float *a, const float *b, long n);

/* Core's progress reports (bertology/progress.h) recorded: how many, the
 * last, and whether a report went back (done down, another total or loop). */
typedef struct {
    int n, went_back;
    long first_done, last_done, last_total;
    const char *what;
} TestProgress;
/* Records into p from now on (p NULL: stops). */
void test_progress_record(TestProgress *p);

#define TEST_SKIP 77

#endif
