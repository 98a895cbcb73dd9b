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

typedef struct {
    const char *url;
    const char *dest;
    const char *file;           /* for progress and messages */
    const char *token;
    HubProgressFn progress;
    void *user;
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
