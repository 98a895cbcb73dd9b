#include "http.h"
#include "display.h"
#include "sha256.h"
#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "bertology/i18n.h"

/* One attempt's state, shared by the curl callbacks. */
typedef struct {
    const HttpGet *g;
    HttpResult *r;
    FILE *fp;
    uint64_t offset;            /* bytes in the part when the request was made */
    int first_write;
    int bad_range;              /* a 206 for some other range: start over */
    /* from the headers of the current response (reset at each status line) */
    long status;
    int64_t content_length;
    int64_t range_start, range_total;
    char etag[96];
    /* from any response of the redirect chain: the hub puts them on its
     * own answer, before sending the client to the CDN */
    char linked_etag[96];
    int64_t linked_size;
    struct timespec t0;
    /* pacing (see http.h): body bytes of this attempt, when anything last
     * arrived, and why the transfer was stopped, if it was */
    uint64_t got;
    double first_byte;          /* when the body began, -1 before */
    double last_seen;
    double stall_s, grace_s, min_rate;
    int too_big, stalled, too_slow;
    int64_t announced;          /* the size the server announced, -1 unknown */
} Xfer;

/* A positive number from the environment, else dflt (the test knobs). */
static double env_num(const char *name, double dflt) {
    const char *v = getenv(name);
    char *end;
    double d = v && *v ? strtod(v, &end) : 0;
    return v && *v && !*end && d > 0 ? d : dflt;
}

static double since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Copies a header value without quotes, a W/ prefix or trailing space. */
static void header_value(char *out, size_t n, const char *v, size_t len) {
    while (len && (*v == ' ' || *v == '\t')) v++, len--;
    while (len && isspace((unsigned char)v[len - 1])) len--;
    if (len >= 2 && v[0] == 'W' && v[1] == '/') v += 2, len -= 2;
    if (len >= 2 && v[0] == '"' && v[len - 1] == '"') v++, len -= 2;
    if (len >= n) len = n - 1;
    memcpy(out, v, len);
    out[len] = 0;
}

static int header_is(const char *line, size_t len, const char *name, const char **val, size_t *vlen) {
    size_t k = strlen(name);
    if (len <= k || strncasecmp(line, name, k) || line[k] != ':') return 0;
    *val = line + k + 1;
    *vlen = len - k - 1;
    return 1;
}

/* The whole file would exceed the cap: whatever this answer announces. */
static int over_cap(Xfer *x, int64_t file_size) {
    if (!x->g->max_bytes || file_size < 0 || (uint64_t)file_size <= x->g->max_bytes) return 0;
    x->too_big = 1;
    x->announced = file_size;
    return 1;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *ud) {
    Xfer *x = ud;
    size_t len = size * nitems;
    const char *v;
    size_t vl;
    char tmp[96];
    x->last_seen = since(&x->t0);
    if (len > 5 && !strncmp(line, "HTTP/", 5)) {
        const char *sp = memchr(line, ' ', len);
        x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
        x->content_length = x->range_start = x->range_total = -1;
        x->etag[0] = 0;
    } else if (header_is(line, len, "Content-Length", &v, &vl)) {
        header_value(tmp, sizeof tmp, v, vl);
        x->content_length = strtoll(tmp, NULL, 10);
        /* refused before a byte of the body: a 206 continues the part */
        if ((x->status == 200 && over_cap(x, x->content_length)) ||
            (x->status == 206 && over_cap(x, (int64_t)x->offset + x->content_length)))
            return 0;
    } else if (header_is(line, len, "Content-Range", &v, &vl)) {
        /* bytes START-END/TOTAL */
        header_value(tmp, sizeof tmp, v, vl);
        long long a, b, t;
        if (sscanf(tmp, "bytes %lld-%lld/%lld", &a, &b, &t) == 3) x->range_start = a, x->range_total = t;
        else if (sscanf(tmp, "bytes */%lld", &t) == 1) x->range_total = t; /* with a 416 */
    } else if (header_is(line, len, "ETag", &v, &vl)) {
        header_value(x->etag, sizeof x->etag, v, vl);
    } else if (header_is(line, len, "X-Linked-ETag", &v, &vl)) {
        header_value(x->linked_etag, sizeof x->linked_etag, v, vl);
    } else if (header_is(line, len, "X-Linked-Size", &v, &vl)) {
        header_value(tmp, sizeof tmp, v, vl);
        x->linked_size = strtoll(tmp, NULL, 10);
        if (over_cap(x, x->linked_size)) return 0;
    } else if (header_is(line, len, "X-Error-Code", &v, &vl)) {
        char shown[HUB_NAME_BUF];
        header_value(tmp, sizeof tmp, v, vl);
        hub_display(shown, tmp);
        snprintf(x->r->error_code, sizeof x->r->error_code, "%.63s", shown);
    } else if (header_is(line, len, "X-Error-Message", &v, &vl)) {
        char msg[HUB_NAME_BUF * 2];
        header_value(msg, sizeof msg, v, vl);
        char shown[HUB_NAME_BUF];
        hub_display(shown, msg);
        snprintf(x->r->error_message, sizeof x->r->error_message, "%s", shown);
    }
    return len;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud) {
    Xfer *x = ud;
    size_t len = size * nmemb;
    if (x->first_write) {
        x->first_write = 0;
        if (x->offset && x->status == 200) {
            /* the server ignored our Range and sends the whole file */
            if (ftruncate(fileno(x->fp), 0) != 0) return 0;
            x->offset = 0;
        } else if (x->status == 206 && (uint64_t)x->range_start != x->offset) {
            x->bad_range = 1;
            return 0;
        }
    }
    /* a server that sends more than it announced, or announced nothing */
    if (x->g->max_bytes && x->offset + x->got + len > x->g->max_bytes) {
        x->too_big = 1;
        return 0;
    }
    x->got += len;
    x->last_seen = since(&x->t0);
    if (x->first_byte < 0) x->first_byte = x->last_seen;
    return fwrite(data, 1, len, x->fp);
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
    (void)ultotal, (void)ulnow;
    Xfer *x = ud;
    /* curl calls this about once a second even when nothing arrives, so
     * the pacing rules are checked here (see http.h) */
    double now = since(&x->t0);
    if (now - x->last_seen > x->stall_s) return x->stalled = 1;
    /* the rate counts from the first byte of the body: waiting for an
     * answer is the stall rule's business */
    if (x->first_byte >= 0 && now - x->first_byte > x->grace_s &&
        (double)x->got / (now - x->first_byte) < x->min_rate)
        return x->too_slow = 1;
    /* redirect answers and error pages are not the file */
    if (!x->g->progress || (x->status != 200 && x->status != 206)) return 0;
    HubProgress p = {x->g->file, x->offset + (uint64_t)dlnow, dltotal > 0 ? x->offset + (uint64_t)dltotal : 0,
                     x->offset, now, 0};
    x->g->progress(&p, x->g->user);
    return 0;
}

static void duration(char *out, size_t n, double s) {
    unsigned long k;
    if (s >= 2 * 86400) k = (unsigned long)(s / 86400 + 0.5), snprintf(out, n, ngettext("%lu day", "%lu days", k), k);
    else if (s >= 2 * 3600) k = (unsigned long)(s / 3600 + 0.5), snprintf(out, n, ngettext("%lu hour", "%lu hours", k), k);
    else if (s >= 120) k = (unsigned long)(s / 60 + 0.5), snprintf(out, n, ngettext("%lu minute", "%lu minutes", k), k);
    else snprintf(out, n, _("%.0f s"), s);
}

static int is_sha256(const char *s) {
    if (strlen(s) != 64) return 0;
    for (int i = 0; i < 64; i++)
        if (!isxdigit((unsigned char)s[i])) return 0;
    return 1;
}

static uint64_t file_size(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

static void human(char *out, size_t n, uint64_t b) {
    if (b >= 1000000) snprintf(out, n, "%.1f MB", (double)b / 1e6);
    else if (b >= 1000) snprintf(out, n, "%.1f kB", (double)b / 1e3);
    else snprintf(out, n, ngettext("%llu byte", "%llu bytes", (unsigned long)b), (unsigned long long)b);
}

/* One request, continuing part. Returns an HttpStatus, or -1 to ask for
 * one more attempt from zero (the part did not fit what the server has). */
static int attempt(const HttpGet *g, const char *part, HttpResult *r, int may_restart, BtError *err) {
    char file[HUB_NAME_BUF];
    hub_display(file, g->file);
    FILE *fp = fopen(part, "ab");
    if (!fp) return bt_fail(err, "cannot write %.300s: %s", part, strerror(errno)), HTTP_FAILED;
    /* two pulls of one model at once would interleave their bytes */
    if (flock(fileno(fp), LOCK_EX | LOCK_NB) != 0) {
        fclose(fp);
        return bt_fail(err, "%s: another bertology pull is downloading this file right now", file), HTTP_FAILED;
    }
    Xfer x = {.g = g, .r = r, .fp = fp, .first_write = 1, .linked_size = -1, .announced = -1,
              .first_byte = -1};
    x.content_length = x.range_start = x.range_total = -1;
    x.stall_s = env_num("BERTOLOGY_HUB_STALL_S", HTTP_STALL_S);
    x.grace_s = env_num("BERTOLOGY_HUB_GRACE_S", HTTP_GRACE_S);
    x.min_rate = env_num("BERTOLOGY_HUB_MIN_RATE", HTTP_MIN_RATE);
    fseek(fp, 0, SEEK_END);
    x.offset = (uint64_t)ftell(fp);
    r->resumed = x.offset > 0;
    clock_gettime(CLOCK_MONOTONIC, &x.t0);

    CURL *c = curl_easy_init();
    if (!c) {
        fclose(fp);
        return bt_fail(err, "cannot start libcurl"), HTTP_FAILED;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdr = NULL;
    char auth[1024];
    if (g->token && *g->token) {
        /* curl drops this header when a redirect leaves the host, so the
         * token never reaches the CDN */
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", g->token);
        hdr = curl_slist_append(hdr, auth);
    }
    curl_easy_setopt(c, CURLOPT_URL, g->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "bertology/" "0.1");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &x);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    /* CURLOPT_RANGE rather than RESUME_FROM: curl then passes on a 200
     * (a server ignoring ranges) instead of failing, and on_body restarts */
    char range[32];
    snprintf(range, sizeof range, "%llu-", (unsigned long long)x.offset);
    if (x.offset) curl_easy_setopt(c, CURLOPT_RANGE, range);
    CURLcode cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->code);
    char host[128] = "";
    char *url_host = NULL;
    CURLU *u = curl_url();
    if (u && !curl_url_set(u, CURLUPART_URL, g->url, 0) && !curl_url_get(u, CURLUPART_HOST, &url_host, 0))
        hub_display(host, url_host);
    curl_free(url_host);
    curl_url_cleanup(u);
    curl_easy_cleanup(c);
    curl_slist_free_all(hdr);

    int flushed = fflush(fp) == 0 && fsync(fileno(fp)) == 0;
    fclose(fp);
    uint64_t have = file_size(part);
    int64_t total = x.status == 206 ? x.range_total : x.status == 200 ? x.content_length : -1;
    if (total < 0 && x.linked_size >= 0) total = x.linked_size;
    char have_s[32], total_s[32];
    human(have_s, sizeof have_s, have);
    human(total_s, sizeof total_s, total > 0 ? (uint64_t)total : 0);

    /* the reasons this side stopped the transfer come first: curl only
     * knows that a callback said stop */
    if (x.too_big) {
        char cap_s[32], got_s[32];
        human(cap_s, sizeof cap_s, g->max_bytes);
        human(got_s, sizeof got_s, x.announced >= 0 ? (uint64_t)x.announced : g->max_bytes);
        unlink(part);
        return (x.announced >= 0
                    ? bt_fail(err, "%s: the server announces %s, more than the %s a %s can be; refused, nothing was kept",
                              file, got_s, cap_s, file)
                    : bt_fail(err, "%s: the server sent more than %s, more than the %s a %s can be; refused, nothing was kept",
                              file, got_s, cap_s, file)),
               HTTP_FAILED;
    }
    if (x.stalled && x.status == 0)
        return bt_fail(err, "%s: %s accepted the connection but sent no answer for %.0f s; try again later", file,
                       *host ? host : _("the server"), x.stall_s),
               HTTP_FAILED;
    if (x.stalled)
        return bt_fail(err, "%s: the server stopped sending (nothing for %.0f s after %s of %s); run the same pull "
                            "again to resume", file, x.stall_s, have_s, total > 0 ? total_s : "?"),
               HTTP_INTERRUPTED;
    if (x.too_slow) {
        double secs = since(&x.t0) - x.first_byte, rate = (double)x.got / secs;
        char rate_s[32], rest_s[64], eta[32] = "?";
        snprintf(rest_s, sizeof rest_s, "%s", _("the rest"));
        human(rate_s, sizeof rate_s, (uint64_t)rate);
        if (total > 0 && (uint64_t)total > have) {
            human(rest_s, sizeof rest_s, (uint64_t)total - have);
            if (rate > 0) duration(eta, sizeof eta, (double)((uint64_t)total - have) / rate);
        }
        return bt_fail(err, "%s: too slow: %s/s, %s would take %s; bertology gives up below %.0f B/s; "
                            "run the same pull again to resume", file, rate_s, rest_s, eta, x.min_rate),
               HTTP_INTERRUPTED;
    }
    /* curl reports a header line past its limit (100 kB) as out of memory;
     * with an answer begun, that is what happened */
    if (cc == CURLE_OUT_OF_MEMORY && x.status)
        return bt_fail(err, "%s: the server's answer has a header larger than curl accepts (over 100 kB), which no "
                            "hub sends; refused", file),
               HTTP_FAILED;

    /* 416 for a range starting at the end: an earlier pull got every byte
     * but stopped before the checks; they run now */
    int complete_part = cc == CURLE_HTTP_RETURNED_ERROR && r->code == 416 && have > 0 &&
                        x.range_total == (int64_t)have;
    if (complete_part) cc = CURLE_OK, total = (int64_t)have;
    if (x.bad_range || cc == CURLE_RANGE_ERROR || (cc == CURLE_HTTP_RETURNED_ERROR && r->code == 416)) {
        if (may_restart) return -1;
        return bt_fail(err, "%s: the server will not resume this download; delete %.200s and pull again", file, part),
               HTTP_FAILED;
    }
    if (cc == CURLE_HTTP_RETURNED_ERROR) {
        if (r->code == 404) return bt_fail(err, "%s: not found (HTTP 404)", file), HTTP_NOT_FOUND;
        if (r->code == 401 || r->code == 403)
            return bt_fail(err, "%s: access denied (HTTP %ld)", file, r->code), HTTP_DENIED;
        return bt_fail(err, "%s: the server answered HTTP %ld", file, r->code), HTTP_FAILED;
    }
    if (cc == CURLE_COULDNT_RESOLVE_HOST || cc == CURLE_COULDNT_RESOLVE_PROXY || cc == CURLE_COULDNT_CONNECT ||
        (cc == CURLE_OPERATION_TIMEDOUT && x.status == 0))
        return (*host ? bt_fail(err, "cannot reach %s (no network?): %s", host, errbuf[0] ? errbuf : curl_easy_strerror(cc))
                      : bt_fail(err, "cannot reach the server (no network?): %s", errbuf[0] ? errbuf : curl_easy_strerror(cc))),
               HTTP_NO_NETWORK;
    if (cc != CURLE_OK) {
        if (have > 0 && cc != CURLE_WRITE_ERROR)
            return bt_fail(err, "%s: download interrupted after %s of %s (%s); run the same pull again to resume",
                           file, have_s, total > 0 ? total_s : "?", errbuf[0] ? errbuf : curl_easy_strerror(cc)),
                   HTTP_INTERRUPTED;
        return bt_fail(err, "%s: download failed: %s", file, errbuf[0] ? errbuf : curl_easy_strerror(cc)), HTTP_FAILED;
    }
    if (!flushed) return bt_fail(err, "%s: cannot write %.200s: %s", file, part, strerror(errno)), HTTP_FAILED;
    if (total >= 0 && have != (uint64_t)total)
        return bt_fail(err, "%s: got %s but the server announced %s; run the same pull again to resume",
                       file, have_s, total_s),
               HTTP_INTERRUPTED;
    if (x.linked_size >= 0 && have != (uint64_t)x.linked_size) {
        if (may_restart && r->resumed) return -1;
        unlink(part);
        return bt_fail(err, "%s: size %s differs from the hub's record; the partial file was removed", file, have_s),
               HTTP_FAILED;
    }
    /* the hub's LFS files carry their sha256 as X-Linked-ETag (or ETag);
     * small git files carry a git sha1 instead, which is not checked */
    const char *want = is_sha256(x.linked_etag) ? x.linked_etag : is_sha256(x.etag) ? x.etag : NULL;
    if (want) {
        char got[65];
        if (sha256_file(part, got, err)) return HTTP_FAILED;
        if (strcasecmp(got, want)) {
            /* a part from an older version of the file, or damage on the
             * way: either way these bytes are worthless */
            unlink(part);
            if (may_restart && r->resumed) return -1;
            return bt_fail(err, "%s: checksum mismatch (sha256 %.16s..., the server says %.16s...); "
                                "the download was removed, pull again",
                           file, got, want),
                   HTTP_FAILED;
        }
        r->verified = 1;
    }
    if (g->progress) {
        HubProgress p = {g->file, have, have, x.offset, since(&x.t0), 1};
        g->progress(&p, g->user);
    }
    return HTTP_OK;
}

HttpStatus http_download(const HttpGet *g, HttpResult *r, BtError *err) {
    memset(r, 0, sizeof *r);
    size_t n = strlen(g->dest) + sizeof ".part";
    char *part = malloc(n);
    if (!part) return bt_fail(err, "out of memory"), HTTP_FAILED;
    snprintf(part, n, "%s.part", g->dest);
    int st = attempt(g, part, r, 1, err);
    if (st < 0) {
        unlink(part);
        memset(r, 0, sizeof *r);
        st = attempt(g, part, r, 0, err);
    }
    if (st == HTTP_OK && rename(part, g->dest) != 0) {
        bt_fail(err, "cannot rename %.200s into place: %s", part, strerror(errno));
        st = HTTP_FAILED;
    }
    /* an error answer leaves an empty part behind: not worth keeping */
    if (st != HTTP_OK && file_size(part) == 0) unlink(part);
    free(part);
    return (HttpStatus)st;
}
