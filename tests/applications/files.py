"""Files a family might send (or someone might try to): made here, byte by byte."""

from __future__ import annotations

import io

from PIL import Image

#: Somewhere in Vejle: what a phone writes into a photo's EXIF.
LATITUDE = (55.0, 42.0, 33.6)
LONGITUDE = (9.0, 32.0, 10.8)


def photo(
    fmt: str = "JPEG",
    size: tuple[int, int] = (800, 600),
    *,
    gps: bool = False,
    rotated: bool = False,
) -> bytes:
    """A photo (JPEG, PNG, WEBP or HEIF); with ``gps`` its EXIF says where it was taken, with
    ``rotated`` the phone held it sideways (EXIF orientation 6)."""
    image = Image.new("RGB", size, "white")
    image.paste((200, 30, 30), (0, 0, size[0] // 2, size[1] // 4))  # a red corner: top left
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model 7"  # Model
    if rotated:
        exif[0x0112] = 6
    if gps:
        ifd = exif.get_ifd(0x8825)
        ifd.update({1: "N", 2: LATITUDE, 3: "E", 4: LONGITUDE})
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, fmt)  # PNG photos from screenshots carry no EXIF here
    else:
        image.save(out, fmt, exif=exif)
    return out.getvalue()


def pdf() -> bytes:
    """A small, valid one-page PDF."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


HTML = b"<!doctype html><script>alert(document.cookie)</script><p>receipt</p>"
