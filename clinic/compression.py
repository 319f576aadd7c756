"""Compressed copies of the public pages: made once when a page is cached, chosen per request.

Only pages that carry no secret are ever compressed. A page holding a CSRF token or anything
from a session, compressed beside text an attacker can put in the request, gives the secret
away byte by byte through its compressed size (BREACH). The page cache keeps only pages that
every visitor gets alike, with no token, session or cookie; those are compressed, nothing
else is (no GZipMiddleware: forms and the admin always go out as they are).
"""

import gzip
from functools import lru_cache

import brotli

# Best first: when a browser accepts several equally, it gets the smallest.
ENCODINGS = ("br", "gzip", "identity")


def encoded_copies(content: bytes) -> dict[str, bytes]:
    """The page in every encoding we serve, compressed as hard as each allows: it is done
    once per page and content version, then served thousands of times."""
    return {
        "br": brotli.compress(content, quality=11, mode=brotli.MODE_TEXT),
        "gzip": gzip.compress(content, compresslevel=9, mtime=0),
        "identity": content,
    }


@lru_cache(maxsize=128)  # browsers send a handful of different headers
def chosen_encoding(accept_encoding: str) -> str:
    """The encoding to send for an Accept-Encoding header (RFC 9110, 12.5.3): the one the
    browser names (itself or by `*`) with the highest quality above 0, else `identity`,
    which is acceptable unless refused (and even then: a page as it is beats no page)."""
    qualities = _qualities(accept_encoding)
    wildcard = qualities.get("*", 0.0)

    def quality(coding: str) -> float:
        return qualities.get(coding, wildcard)

    best = max(ENCODINGS, key=quality)  # the first of the best: ties go to the smallest
    return best if quality(best) > 0 else "identity"


def _qualities(accept_encoding: str) -> dict[str, float]:
    qualities = {}
    for item in accept_encoding.split(","):
        coding, *parameters = item.split(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[coding] = quality
    return qualities


def etag_for(identity_etag: str, encoding: str) -> str:
    """A strong ETag of its own for each encoding (they are different bytes): the page's
    ETag with the encoding added, as Apache and nginx do."""
    if encoding == "identity":
        return identity_etag
    return f'{identity_etag[:-1]}-{encoding}"'
