"""Checking an uploaded logo: a real PNG or JPEG, small enough to put on every document.

The type comes from the file's first bytes, never from its name or the browser's content
type; Pillow then reads the whole image, so a file that only starts like a PNG is refused too.
SVG is refused: it can carry scripts.
"""

from __future__ import annotations

import base64
import io

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 512 * 1024
MAX_SIDE = 2000
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


class LogoRefused(ValueError):
    """The upload is not an acceptable logo; the message says why."""


def sniff_logo(data: bytes) -> str:
    """The content type of ``data`` ("image/png" or "image/jpeg"), or :class:`LogoRefused`."""
    if not data:
        raise LogoRefused("The file is empty.")
    if len(data) > MAX_BYTES:
        raise LogoRefused(f"The file is larger than {MAX_BYTES // 1024} KB.")
    content_type = next((t for sig, t in _SIGNATURES.items() if data.startswith(sig)), None)
    if content_type is None:
        raise LogoRefused("Upload a PNG or JPEG image.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            size = image.size
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise LogoRefused("The file is not a readable PNG or JPEG image.") from exc
    if found != _PILLOW_FORMATS[content_type]:
        raise LogoRefused("Upload a PNG or JPEG image.")
    if max(size) > MAX_SIDE:
        raise LogoRefused(f"The image is larger than {MAX_SIDE} pixels on a side.")
    return content_type


def data_uri(data: bytes, content_type: str) -> str:
    """The logo as a ``data:`` URI, for pages and PDFs (CSP allows ``img-src data:``)."""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
