"""Reading pages built once: rendered, compressed (gzip and brotli) and kept in each process.

A page is kept under its path, its query string and the content version (content_version.py),
so a change anywhere is a new key and the old pages age out of the least-recently-used store.
Only pages that are the same for every reader go in: no cookie, no token, nothing typed.
"""

import gzip
import hashlib
import struct
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field

import brotli

MAX_PAGES = 1024  # entries per process (a page and its replay, see replay.py): every reading
# page in every locale, the blank forms, and the frequent searches
GZIP_LEVEL = 6
BROTLI_QUALITY = 5  # brotli's best trade of time for size when compressing on demand
ENCODINGS = ("br", "gzip")  # preferred first, when the client accepts both


@dataclass
class Page:
    """One rendered page and its compressed forms, each with a strong ETag of its own."""

    body: bytes
    mimetype: str
    digest: str
    forms: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def build(cls, body: bytes, mimetype: str, version: str) -> "Page":
        """Compress the body once, in every encoding a client may ask for."""
        digest = hashlib.sha256(version.encode() + b"\0" + body).hexdigest()[:20]
        forms = {
            "": body,
            "gzip": gzip.compress(body, GZIP_LEVEL, mtime=0),  # mtime=0: the same bytes each time
            "br": brotli.compress(body, quality=BROTLI_QUALITY),
        }
        return cls(body, mimetype, digest, forms)

    def etag(self, encoding: str) -> str:
        """Return the strong ETag of one representation (each encoding is its own)."""
        return f"{self.digest}-{encoding}" if encoding else self.digest


GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, unknown OS


def deflate(data: bytes, last: bool) -> bytes:
    """Compress to raw deflate blocks that end on a byte and refer to nothing before them."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15)
    body = compressor.compress(data)
    return body + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


@dataclass
class FormPage:
    """A form page with a gap where each visitor's token goes, compressed around the gaps.

    Deflate blocks that end on a byte boundary may be concatenated, so the parts between the
    tokens are compressed once and only the token is compressed per request.
    """

    parts: list[bytes]
    mimetype: str
    packed: list[bytes] = field(default_factory=list)

    @classmethod
    def build(cls, body: bytes, placeholder: bytes, mimetype: str) -> "FormPage":
        parts = body.split(placeholder)
        last = len(parts) - 1
        return cls(parts, mimetype, [deflate(part, n == last) for n, part in enumerate(parts)])

    def plain(self, token: bytes) -> bytes:
        return token.join(self.parts)

    def gzipped(self, token: bytes) -> bytes:
        """Return the page with the token in gzip, compressing only the token."""
        packed_token = deflate(token, False)
        crc, size = 0, 0
        for n, part in enumerate(self.parts):
            crc, size = zlib.crc32(part, crc), size + len(part)
            if n < len(self.parts) - 1:
                crc, size = zlib.crc32(token, crc), size + len(token)
        body = packed_token.join(self.packed)
        return GZIP_HEADER + body + struct.pack("<II", crc, size & 0xFFFFFFFF)


class PageStore:
    """A bounded, thread-safe, least-recently-used store of pages."""

    def __init__(self, size: int = MAX_PAGES) -> None:
        self.size = size
        self.pages: OrderedDict[tuple, Page] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Page | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: Page) -> Page:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)
        return page

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


def choose_encoding(accepted) -> str:
    """Return 'br', 'gzip' or '' (identity) for a request's Accept-Encoding."""
    best, quality = "", 0.0
    for encoding in ENCODINGS:
        if accepted[encoding] > quality:  # werkzeug's quality of that encoding, 0 when absent
            best, quality = encoding, accepted[encoding]
    return best
