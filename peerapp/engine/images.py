"""Pictures through Pillow, guarded (issue 15): a malformed picture or a decompression
bomb is refused with a reason, never a crash.

- `prepare`: a picture about to be sent is decoded, turned upright (its EXIF
  orientation applied), re-encoded from its pixels alone (so EXIF, GPS, XMP, ICC and
  comments stay behind) and given a small JPEG thumbnail;
- `check_thumbnail`: a thumbnail from a peer is decoded behind the same guards before a
  front is given it (None when it is not a small, sound picture).

Pillow's own bound (Image.MAX_IMAGE_PIXELS) is set to ours; a picture over it raises
DecompressionBombError, which is refused like any decoding error. `Image.open` reads
only the header; `load` decodes, so both are inside the guard.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from peerapp.core import attachment_policy as ap

Image.MAX_IMAGE_PIXELS = ap.MAX_IMAGE_PIXELS

# formats we decode from a person's disk; anything else is sent as a plain file
SENDABLE_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF"})
_KEEPS_ALPHA = frozenset({"PNG", "GIF", "WEBP"})


class BadImage(ValueError):
    """A picture that does not decode (its words say why)."""


@dataclass(frozen=True)
class Prepared:
    data: bytes  # re-encoded, without metadata
    mime: str
    thumb: bytes  # small JPEG
    width: int
    height: int


def _decoded(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Pillow warns between its limit and twice it; refuse those too
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in SENDABLE_FORMATS:
                raise BadImage(f"{image.format or 'this'} pictures are not supported")
            if image.width * image.height > ap.MAX_IMAGE_PIXELS:
                raise BadImage("the picture is too large to open safely")
            image.load()
    except BadImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadImage("the picture is too large to open safely") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise BadImage(f"the picture could not be read ({type(error).__name__})") from None
    except Exception as error:  # Pillow's decoders raise more than they document
        raise BadImage(f"the picture could not be read ({type(error).__name__})") from None
    return image


def _thumbnail(image: Image.Image) -> bytes:
    small = image.convert("RGB")
    small.thumbnail((ap.THUMBNAIL_EDGE, ap.THUMBNAIL_EDGE))
    for quality in (70, 55, 40, 25):
        out = io.BytesIO()
        small.save(out, "JPEG", quality=quality)
        if out.tell() <= ap.MAX_THUMBNAIL_BYTES:
            return out.getvalue()
    return b""  # a preview that will not shrink enough: the message goes without one


def is_picture(data: bytes) -> bool:
    """Whether `data` claims to be a picture format we decode (its header only)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format in SENDABLE_FORMATS
    except Exception:
        return False


def prepare(data: bytes) -> Prepared:
    """A picture ready to send: upright, re-encoded without metadata, with a thumbnail."""
    image = _decoded(data)
    source_format = image.format or ""
    try:
        upright = ImageOps.exif_transpose(image) or image
        keep_alpha = source_format in _KEEPS_ALPHA and upright.mode in {"RGBA", "LA", "P"}
        out = io.BytesIO()
        if keep_alpha:
            # the pixels alone: a fresh image carries none of the source's info
            clean = Image.new("RGBA", upright.size)
            clean.paste(upright.convert("RGBA"))
            clean.save(out, "PNG", optimize=False)
            mime = "image/png"
        else:
            clean = Image.new("RGB", upright.size)
            clean.paste(upright.convert("RGB"))
            clean.save(out, "JPEG", quality=ap.JPEG_QUALITY)
            mime = "image/jpeg"
        return Prepared(out.getvalue(), mime, _thumbnail(clean), clean.width, clean.height)
    except Exception as error:
        raise BadImage(f"the picture could not be re-encoded ({type(error).__name__})") from None


def check_thumbnail(data: bytes) -> bytes | None:
    """A peer's thumbnail when it decodes as a small JPEG; None otherwise."""
    if not data:
        return None
    try:
        image = _decoded(data)
    except BadImage:
        return None
    if image.format != "JPEG" or max(image.size) > ap.THUMBNAIL_EDGE:
        return None
    return data


def check_picture(data: bytes) -> tuple[int, int]:
    """A received picture's size, once it decoded behind the guards (BadImage if not)."""
    image = _decoded(data)
    return image.width, image.height
