#!/usr/bin/env python3
"""Serve a built site on 127.0.0.1 the way a static host does: gzip for text
(GitHub Pages, Netlify and nginx all compress HTML, CSS, JS, JSON and SVG) and
site/404.html for missing paths. Python's `http.server` does neither, which makes
Lighthouse charge every byte uncompressed.

    python bench/serve.py [--port 8000] [--directory site]
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
from pathlib import Path

TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the standard redirect to the slash URL
            path = path / "index.html"
        status = 200
        if not path.is_file():
            path, status = Path(self.directory) / "404.html", 404
            if not path.is_file():
                return super().send_head()
        body = path.read_bytes()
        encoding = None
        if path.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", ""):
            body, encoding = gzip.compress(body, compresslevel=6), "gzip"
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages
        self.end_headers()
        return io.BytesIO(body)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--directory", default="site")
    args = p.parse_args()
    handler = functools.partial(Handler, directory=os.path.abspath(args.directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
