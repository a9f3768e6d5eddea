"""Checking an uploaded logo: a real PNG or JPEG, small enough to put on every document.

The type comes from the file's first bytes, never from its name or the browser's content
type; Pillow then reads the whole image, so a file that only starts like a PNG is refused too.
SVG is refused: it can carry scripts.

An accepted logo is stored small (:func:`prepare_logo`): every sent document keeps a copy of
the letterhead, logo included as a data URI, so a 500 KB upload would otherwise be copied
into every notice and report. It is scaled down to fit ``STORED_SIDE`` pixels (2 inches at
300 dpi, wider than a letterhead prints it), re-encoded without its metadata (a phone photo's
EXIF can name where it was taken), and squeezed under ``STORED_BYTES``.
"""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 512 * 1024
MAX_SIDE = 2000
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
#: The longest side a stored logo keeps, in pixels.
STORED_SIDE = 600
#: What a stored logo may weigh at most (about 85 KB more in each document as base64).
STORED_BYTES = 64 * 1024
#: Smaller sides tried, in turn, when a detailed image is still too heavy at ``STORED_SIDE``.
_FALLBACK_SIDES = (400, 300, 200)


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


def _encode(image: Image.Image, content_type: str, *, squeeze: bool) -> bytes:
    buffer = io.BytesIO()
    if content_type == "image/jpeg":
        image.convert("RGB").save(buffer, "JPEG", quality=70 if squeeze else 85, optimize=True)
    else:
        if squeeze:  # logos are flat colours: a 256-colour palette keeps them and weighs less
            image = image.convert("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE)
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def prepare_logo(data: bytes) -> tuple[bytes, str]:
    """Check an uploaded logo (:func:`sniff_logo`) and return it as it is stored: at most
    ``STORED_SIDE`` pixels on a side and ``STORED_BYTES`` bytes, in its own format, without
    metadata, turned upright as its EXIF says. Raises :class:`LogoRefused`."""
    content_type = sniff_logo(data)
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened) or opened
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise LogoRefused("The file is not a readable PNG or JPEG image.") from exc
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA" if content_type == "image/png" else "RGB")
    for side in (STORED_SIDE, *_FALLBACK_SIDES):
        fitted = image.copy()
        fitted.thumbnail((side, side), Image.Resampling.LANCZOS)
        for squeeze in (False, True):
            stored = _encode(fitted, content_type, squeeze=squeeze)
            if len(stored) <= STORED_BYTES:
                return stored, content_type
    raise LogoRefused(
        f"The image is too detailed to keep under {STORED_BYTES // 1024} KB; upload a simpler "
        "logo (flat colours, PNG)."
    )
