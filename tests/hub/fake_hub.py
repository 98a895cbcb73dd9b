"""A loopback stand-in for the Hugging Face hub, for the pull tests.

Serves ROOT/{id}/{file} at /{id}/resolve/{revision}/{file} the way the hub
does: small files directly with a git-sha1 ETag; LFS files (weights) by a
302 to /cdn/... carrying X-Linked-ETag (the sha256) and X-Linked-Size,
where Range requests are honoured. Unknown repos answer 401
RepositoryNotFound, gated ones 401 GatedRepo, missing files 404
EntryNotFound, unknown revisions 404 RevisionNotFound, as the hub does.

Behaviour the tests switch at run time through FakeHub.modes:
  cut[file] = n      send only n bytes of the file, then drop the connection
  bad_sha = {file}   announce a wrong sha256 for these files
  no_range = True    ignore Range headers (answer 200 with everything)
  gated = {id}       answer 401 GatedRepo for these repos
  trickle[file] = r  send the file at about r bytes a second
  stall[file] = n    send n bytes of the file, then nothing (the connection stays open)
  silent = True      accept connections and never answer
  no_length = {file} send these files without a Content-Length (until the connection closes)
  big_header = True  answer with a 1 MB header line
Every request is appended to FakeHub.log as (path, range header).

Binds 127.0.0.1 only and shuts itself down after `lifetime` seconds even
if the test forgets to stop it.
"""
import hashlib
import http.server
import os
import sys
import threading
import time
import urllib.parse

LFS_SUFFIXES = (".safetensors", ".bin")


class FakeHub:
    def __init__(self, root, revisions=("main",), lifetime=300):
        self.root = root
        self.revisions = set(revisions)
        self.modes = {"cut": {}, "bad_sha": set(), "no_range": False, "gated": set(), "trickle": {}, "stall": {},
                      "silent": False, "no_length": set(), "big_header": False}
        self.log = []
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                hub.log.append((self.path, self.headers.get("Range")))
                try:
                    hub.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # clients hanging up mid-answer is what the cut tests do
                if not isinstance(sys.exc_info()[1], ConnectionError):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.timer = threading.Timer(lifetime, self.stop)
        self.timer.daemon = True
        self.timer.start()

    def stop(self):
        self.timer.cancel()
        self.server.shutdown()
        self.server.server_close()

    def ranges_for(self, file):
        return [r for p, r in self.log if p.endswith("/" + file) and p.startswith("/cdn/")]

    # --- request handling -------------------------------------------------

    def reply(self, h, code, body=b"", headers=None, close=False):
        h.send_response(code)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        if close:
            h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(body)

    def error(self, h, code, error_code, message):
        self.reply(h, code, message.encode(), {"X-Error-Code": error_code, "X-Error-Message": message,
                                               "Content-Type": "text/plain"})

    def handle(self, h):
        if self.modes["silent"]:
            time.sleep(10)  # longer than the tests' stall limit; then hang up
            return
        if self.modes["big_header"]:
            h.send_response(200)
            h.send_header("X-Padding", "x" * (1 << 20))
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        path = urllib.parse.unquote(urllib.parse.urlsplit(h.path).path)
        if path.startswith("/cdn/"):
            return self.serve_file(h, path[len("/cdn/"):])
        # /{id}/resolve/{rev}/{file}, id being one or two segments; the
        # revision arrives %2F-encoded when it holds a slash
        raw = urllib.parse.urlsplit(h.path).path
        if "/resolve/" not in raw:
            return self.error(h, 404, "EntryNotFound", "not a resolve URL")
        repo, rest = raw[1:].split("/resolve/", 1)
        rev, _, file = rest.partition("/")
        rev = urllib.parse.unquote(rev)
        repo_dir = os.path.join(self.root, repo)
        if repo in self.modes["gated"]:
            return self.error(h, 401, "GatedRepo", f"Access to model {repo} is restricted. You must be authenticated.")
        if not os.path.isdir(repo_dir):
            return self.error(h, 401, "RepositoryNotFound", "Repository not found")
        if rev not in self.revisions:
            return self.error(h, 404, "RevisionNotFound", f"Invalid rev id: {rev}")
        fpath = os.path.join(repo_dir, file)
        if not os.path.isfile(fpath):
            return self.error(h, 404, "EntryNotFound", f"{file} does not exist on {rev}")
        if file.endswith(LFS_SUFFIXES):
            data = open(fpath, "rb").read()
            sha = hashlib.sha256(data).hexdigest()
            if file in self.modes["bad_sha"]:
                sha = hashlib.sha256(b"something else").hexdigest()
            return self.reply(h, 302, b"", {"Location": f"/cdn/{repo}/{file}", "X-Linked-ETag": f'"{sha}"',
                                            "X-Linked-Size": str(len(data)), "ETag": '"W/redirect"'})
        return self.serve_file(h, f"{repo}/{file}", small=True)

    def serve_file(self, h, rel, small=False):
        fpath = os.path.join(self.root, rel)
        if not os.path.isfile(fpath):
            return self.error(h, 404, "EntryNotFound", "no such file")
        data = open(fpath, "rb").read()
        file = os.path.basename(rel)
        # the CDN's ETag is an md5 (not a sha256), the hub's a git sha1
        etag = hashlib.md5(data).hexdigest() if not small else hashlib.sha1(data).hexdigest()
        start, code = 0, 200
        rng = h.headers.get("Range")
        headers = {"ETag": f'"{etag}"', "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"}
        if rng and not self.modes["no_range"] and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[len("bytes="):-1])
            if start >= len(data):
                return self.reply(h, 416, b"", {"Content-Range": f"bytes */{len(data)}"})
            code = 206
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        body = data[start:]
        slow, stall = self.modes["trickle"].get(file), self.modes["stall"].get(file)
        if slow or stall is not None or file in self.modes["no_length"]:
            h.send_response(code)
            for k, v in headers.items():
                h.send_header(k, v)
            if file in self.modes["no_length"]:
                h.send_header("Connection", "close")
            else:
                h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.close_connection = True
            if stall is not None:
                h.wfile.write(body[:stall])
                h.wfile.flush()
                time.sleep(10)
                return
            step = max(1, slow // 10) if slow else 1 << 16
            for i in range(0, len(body), step):
                h.wfile.write(body[i:i + step])
                h.wfile.flush()
                if slow:
                    time.sleep(0.1)
            return
        cut = self.modes["cut"].get(file)
        if cut is not None and cut > start:
            # promise the whole body, send part of it, hang up
            h.send_response(code)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(body[:cut - start])
            h.wfile.flush()
            h.close_connection = True
            return
        self.reply(h, code, body, headers)
