"""Photos of receipts and quotes, and PDFs: checked by content, cleaned, stored out of reach.

A file's name and the type the browser claims are never trusted. The first bytes decide:
a PDF starts with ``%PDF-``; anything else must be an image Pillow reads as JPEG, PNG, WebP or
HEIC/HEIF. Images are turned upright, shrunk, and written anew as JPEG, so no metadata (the
phone's location, its model, the time) survives. The bytes are kept in the database (every app
server reads them; one backup holds everything) and served only through the portal's own pages.
"""

from __future__ import annotations

import enum
import io
import os
import secrets
import warnings
from dataclasses import dataclass
from typing import IO

from flask import Response, abort, send_file
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from portal.applications.models import Application, Upload, UploadData
from portal.i18n import bdi

register_heif_opener()

#: The most one file may weigh (the form as a whole may be a little larger; see config).
MAX_BYTES = 10 * 1024 * 1024
#: Photos and PDFs on one application.
MAX_FILES = 10
#: The longest side of a stored photo: a receipt stays readable, the file stays small.
MAX_SIDE = 2000
THUMB_SIDE = 240
#: Larger images are refused before they are decoded (a small file can unpack to gigabytes).
MAX_PIXELS = 50_000_000
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "HEIF"})
PDF_MAGIC = b"%PDF-"


class UploadError(enum.Enum):
    TOO_LARGE = "too_large"
    NOT_ALLOWED = "not_allowed"
    TOO_MANY = "too_many"
    EMPTY = "empty"


UPLOAD_ERROR_MESSAGES: dict[UploadError, LazyString] = {
    UploadError.TOO_LARGE: _l(
        "%(name)s is larger than 10 MB. Take a new photo, or send a smaller file."
    ),
    UploadError.NOT_ALLOWED: _l(
        "%(name)s is not a photo or a PDF. Send a photo (JPEG, PNG, WebP or HEIC) or a PDF."
    ),
    UploadError.TOO_MANY: _l("You can add at most 10 files. Remove one before you add more."),
    UploadError.EMPTY: _l("%(name)s is empty. Choose the file again."),
}


@dataclass(frozen=True)
class Cleaned:
    """What will be stored: the bytes, their type and, for a photo, a small preview."""

    data: bytes
    content_type: str
    extension: str
    thumbnail: bytes | None


def _read_limited(stream: IO[bytes]) -> bytes | None:
    """The file's bytes, or None when it is larger than allowed (read no further than that)."""
    data = stream.read(MAX_BYTES + 1)
    return None if len(data) > MAX_BYTES else data


def _jpeg(image: Image.Image, side: int, quality: int) -> bytes:
    image = image.copy()
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh save without ``exif``/``icc_profile``/``xmp`` arguments writes no metadata.
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def clean(data: bytes) -> Cleaned | UploadError:
    """Recognise the content and clean it; an :class:`UploadError` when it cannot be accepted."""
    if not data:
        return UploadError.EMPTY
    if len(data) > MAX_BYTES:
        return UploadError.TOO_LARGE
    if data.startswith(PDF_MAGIC):
        return Cleaned(data, "application/pdf", "pdf", None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format not in IMAGE_FORMATS:
                    return UploadError.NOT_ALLOWED
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    return UploadError.NOT_ALLOWED
                upright = ImageOps.exif_transpose(opened)
                if upright.mode != "RGB":
                    background = Image.new("RGB", upright.size, "white")
                    rgba = upright.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    upright = background
                # Only the pixels go on; ``info`` (EXIF, XMP, ICC, comments) stays behind.
                pixels = Image.frombytes("RGB", upright.size, upright.tobytes())
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ):
        return UploadError.NOT_ALLOWED
    return Cleaned(_jpeg(pixels, MAX_SIDE, 85), "image/jpeg", "jpg", _jpeg(pixels, THUMB_SIDE, 75))


def _display_name(filename: str | None) -> str:
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    return "".join(ch for ch in name if ch.isprintable())[:255] or "file"


def prepare(stream: IO[bytes]) -> Cleaned | UploadError:
    """Read (no further than the limit), recognise and clean one file."""
    data = _read_limited(stream)
    if data is None:
        return UploadError.TOO_LARGE
    return clean(data)


def store(application: Application, cleaned: Cleaned, filename: str | None) -> Upload:
    """Attach a cleaned file, its bytes in the same transaction (the caller commits)."""
    upload = Upload(
        stored_name=f"{secrets.token_urlsafe(24)}.{cleaned.extension}",
        content_type=cleaned.content_type,
        size_bytes=len(cleaned.data),
        original_name=_display_name(filename),
        content=UploadData(data=cleaned.data, thumbnail=cleaned.thumbnail),
    )
    application.uploads.append(upload)
    return upload


def error_message(error: UploadError, filename: str | None) -> Markup:
    """The message for the field, with the file's name isolated (it may be in any script)."""
    return escape(str(UPLOAD_ERROR_MESSAGES[error])) % {"name": bdi(_display_name(filename))}


#: The ending a file downloads with, from what it is (not from the name it came with).
ENDINGS = {"image/jpeg": ".jpg", "application/pdf": ".pdf"}


def download_name(upload: Upload) -> str:
    """The family's own name for the file, with the ending of what it now is: a PNG sent as
    ``kvittering.pdf`` was re-encoded as a JPEG and downloads as ``kvittering.jpg``."""
    stem, dot, ending = upload.original_name.rpartition(".")
    wanted = ENDINGS.get(upload.content_type, "")
    base = stem if dot else ending
    return f"{base or 'fil'}{wanted}" if wanted else upload.original_name


#: A family's file is nothing but data: no scripts, no frames, no plugins, even if opened alone.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def send_upload(upload: Upload, *, preview: bool = False, inline: bool = False) -> Response:
    """The file (a download unless ``inline``) or its preview, never cached, sandboxed."""
    content = upload.content
    data = None if content is None else content.thumbnail if preview else content.data
    if data is None:
        abort(404)  # a PDF has no preview (or a file was missing when moved in, see 0011)
    response = send_file(
        io.BytesIO(data),
        mimetype="image/jpeg" if preview else upload.content_type,
        as_attachment=not (preview or inline),
        download_name=download_name(upload),
        max_age=0,
        conditional=False,
        etag=False,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response
