#ifndef BT_HUB_HTTP_H
#define BT_HUB_HTTP_H
/* One file over HTTP(S) with libcurl into DEST, by way of DEST.part:
 * resumed with a Range request when a part is there, checked against the
 * server's size and sha256 (X-Linked-ETag / ETag when it is a sha256),
 * then renamed into place. Private to src/hub. */
#include "bertology/hub.h"

typedef enum {
    HTTP_OK = 0,
    HTTP_NOT_FOUND,             /* 404 */
    HTTP_DENIED,                /* 401/403: gated, private or missing repo */
    HTTP_NO_NETWORK,            /* could not resolve or connect */
    HTTP_INTERRUPTED,           /* cut mid-file; DEST.part kept */
    HTTP_FAILED,                /* anything else, err says what */
} HttpStatus;

/* How long a download may take. A transfer stops when nothing (no
 * header, no byte) has arrived for HTTP_STALL_S seconds, or when, after
 * the first HTTP_GRACE_S seconds, its average rate is below HTTP_MIN_RATE
 * bytes a second: so a file of S bytes gets at most
 * max(HTTP_GRACE_S, S / HTTP_MIN_RATE) seconds plus a stall, and a server
 * trickling bytes cannot hold a pull forever. What was received is kept
 * and the next pull resumes it. The environment variables
 * BERTOLOGY_HUB_STALL_S, BERTOLOGY_HUB_GRACE_S and BERTOLOGY_HUB_MIN_RATE
 * override the three (the tests make them short). */
#define HTTP_STALL_S 60.0
#define HTTP_GRACE_S 30.0
#define HTTP_MIN_RATE 8000.0

typedef struct {
    const char *url;
    const char *dest;
    const char *file;           /* for progress and messages */
    const char *token;
    HubProgressFn progress;
    void *user;
    /* 0, or the most bytes the file may have: a larger announced size
     * stops the transfer before the body, a body growing past it stops
     * it there, and either way nothing of it is kept */
    uint64_t max_bytes;
} HttpGet;

typedef struct {
    long code;                  /* last HTTP status */
    char error_code[64];        /* the hub's X-Error-Code, e.g. GatedRepo */
    char error_message[256];    /* its X-Error-Message */
    int verified;               /* sha256 checked */
    int resumed;                /* continued an earlier part */
} HttpResult;

/* Returns an HttpStatus; err is filled for anything but HTTP_OK. */
HttpStatus http_download(const HttpGet *g, HttpResult *r, BtError *err);

#endif
