"""Photos of receipts and quotes: recognised by content, cleaned, stored out of reach (SEC-32)."""

from __future__ import annotations

import io
import os

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

from portal.applications import uploads
from portal.applications.models import Application, Upload
from portal.extensions import db
from tests.applications import files
from tests.applications.family import Family, errors
from tests.applications.test_equipment import (
    equipment_pool,
    multipart,
    start_equipment,
    upload,
)

__all__ = ["equipment_pool"]  # the fixture, used by name below


def at_receipts(family: Family, paid: str = "paid") -> str:
    url = start_equipment(family)
    family.answer(url, {"description": "Støvler", "price_kr": "400", "action": "add"})
    url = family.answer(url, {"action": "continue"}).location
    url = family.answer(url, {"already_paid": paid}).location
    family.page(url)
    return url


def stored(app: Flask, token: str) -> list[Upload]:
    with app.app_context():
        found = db.session.execute(
            select(Application).where(Application.token == token)
        ).scalar_one()
        result = list(found.uploads)
        for upload in result:
            assert upload.content is not None  # the bytes are read now, to look at after
        db.session.expunge_all()
        return result


@pytest.mark.usefixtures("equipment_pool")
def test_a_png_named_pdf_is_taken_as_the_picture_it_is(
    app: Flask,
    client,
    upload_folder: str,  # type: ignore[no-untyped-def]
) -> None:
    family = Family(client, lang="en")
    url = at_receipts(family)
    response = upload(family, url, ("kvittering.pdf", files.photo("PNG")))
    assert response.status_code == 303
    [found] = stored(app, family.token)
    assert found.content_type == "image/jpeg"  # by content, re-encoded; not what the name says
    assert found.original_name == "kvittering.pdf"
    data = found.content.data
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    # It downloads as what it is now (issue 13, defect 9: it kept the .pdf ending).
    with client.get(f"/en/applications/{family.token}/files/{found.token}") as download:
        disposition = download.headers["Content-Disposition"]
        assert disposition == "attachment; filename=kvittering.jpg"
        assert download.mimetype == "image/jpeg"


@pytest.mark.usefixtures("equipment_pool")
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("receipt.jpg", files.HTML),
        ("drawing.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("shell.php.jpg", b"<?php system($_GET['c']); ?>"),
        ("animation.jpg", b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1)//;"),
    ],
)
def test_what_is_not_a_photo_or_pdf_is_refused_whatever_its_name(
    app: Flask,
    client,
    name: str,
    data: bytes,  # type: ignore[no-untyped-def]
) -> None:
    family = Family(client, lang="en")
    url = at_receipts(family)
    response = upload(family, url, (name, data))
    assert response.status_code == 422
    assert errors(response) == [
        f"{name} is not a photo or a PDF. Send a photo (JPEG, PNG, WebP or HEIC) or a PDF."
    ]
    assert stored(app, family.token) == []


@pytest.mark.usefixtures("equipment_pool")
def test_a_15_mb_file_is_refused_with_a_reason(app: Flask, client) -> None:  # type: ignore[no-untyped-def]
    family = Family(client, lang="da")
    url = at_receipts(family)
    big = files.photo() + os.urandom(15 * 1024 * 1024)
    response = upload(family, url, ("stort.jpg", big))
    assert response.status_code == 422
    assert errors(response) == [
        "stort.jpg er større end 10 MB. Tag et nyt billede, eller send en mindre fil."
    ]
    assert stored(app, family.token) == []


@pytest.mark.usefixtures("equipment_pool")
def test_a_photo_loses_its_location_and_stands_upright(
    app: Flask,
    client,
    upload_folder: str,  # type: ignore[no-untyped-def]
) -> None:
    original = files.photo(gps=True, rotated=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test's premise
    family = Family(client, lang="ar")
    url = at_receipts(family)
    assert upload(family, url, ("IMG_2041.JPG", original)).status_code == 303
    [found] = stored(app, family.token)
    data = found.content.data
    image = Image.open(io.BytesIO(data))
    assert image.getexif().get_ifd(0x8825) == {}
    assert not image.getexif()
    assert b"PhoneMaker" not in data and b"Exif" not in data
    assert image.size == (600, 800)  # turned as the phone meant it, so nothing hides sideways
    preview = found.content.thumbnail
    assert preview is not None
    assert max(Image.open(io.BytesIO(preview)).size) <= uploads.THUMB_SIDE
    assert found.stored_name not in {"IMG_2041.JPG"} and len(found.stored_name) > 30


@pytest.mark.usefixtures("equipment_pool")
def test_heic_webp_and_pdf_are_accepted_several_at_once(app: Flask, client) -> None:  # type: ignore[no-untyped-def]
    family = Family(client, lang="en")
    url = at_receipts(family)
    response = upload(
        family,
        url,
        ("iphone.heic", files.photo("HEIF")),
        ("android.webp", files.photo("WEBP")),
        ("tilbud.pdf", files.pdf()),
        ("notes.txt", b"just text"),
    )
    assert response.status_code == 422  # the text file is refused and said so; the rest kept
    assert errors(response) == [
        "notes.txt is not a photo or a PDF. Send a photo (JPEG, PNG, WebP or HEIC) or a PDF."
    ]
    kept = stored(app, family.token)
    assert [(u.original_name, u.content_type) for u in kept] == [
        ("iphone.heic", "image/jpeg"),
        ("android.webp", "image/jpeg"),
        ("tilbud.pdf", "application/pdf"),
    ]
    page = family.read(url)
    assert page.count('class="upload-list__item"') == 3


@pytest.mark.usefixtures("equipment_pool")
def test_a_huge_image_is_refused_before_it_is_unpacked(app: Flask, client) -> None:  # type: ignore[no-untyped-def]
    """A 20,000×20,000 PNG is a few hundred KB on disk and 1.2 GB in memory (SEC-32)."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")
    family = Family(client, lang="en")
    url = at_receipts(family)
    response = upload(family, url, ("bomb.png", out.getvalue()))
    assert response.status_code == 422
    assert stored(app, family.token) == []


@pytest.mark.usefixtures("equipment_pool")
def test_a_strange_file_name_is_only_a_label(app: Flask, client, upload_folder: str) -> None:  # type: ignore[no-untyped-def]
    family = Family(client, lang="en")
    url = at_receipts(family)
    name = "../../etc/\u202eexe.jpg"
    assert upload(family, url, (name, files.photo())).status_code == 303
    [found] = stored(app, family.token)
    assert found.original_name == "exe.jpg"  # no folders, no right-to-left override
    assert not os.listdir(upload_folder)  # nothing on any server's disk: in the database
    assert found.content.data.startswith(b"\xff\xd8")  # the JPEG's bytes


@pytest.mark.usefixtures("equipment_pool")
def test_files_are_shown_only_to_the_family_and_never_run(app: Flask, client) -> None:  # type: ignore[no-untyped-def]
    family = Family(client, lang="en")
    url = at_receipts(family)
    upload(family, url, ("kvittering.jpg", files.photo()), ("tilbud.pdf", files.pdf()))
    photo, pdf = stored(app, family.token)
    base = f"/en/applications/{family.token}/files"

    with client.get(f"{base}/{photo.token}/preview") as preview:
        assert preview.status_code == 200 and preview.mimetype == "image/jpeg"
        assert "sandbox" in preview.headers["Content-Security-Policy"]
        assert preview.headers["Cache-Control"] == "private, no-store"
        assert preview.headers["X-Content-Type-Options"] == "nosniff"
    with client.get(f"{base}/{pdf.token}") as whole:
        assert whole.status_code == 200 and whole.data.startswith(b"%PDF-")
        assert whole.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"{base}/{pdf.token}/preview").status_code == 404  # no preview of a PDF

    # Another browser, without the draft's link, sees nothing; nor does a guessed file token.
    stranger = app.test_client()
    assert stranger.get(f"{base}/{photo.token}").status_code == 404
    assert client.get(f"{base}/not-a-file").status_code == 404

    # Removing a photo removes the file too.
    response = family.post(url, {"remove": photo.token})
    assert response.status_code == 303
    assert [u.token for u in stored(app, family.token)] == [pdf.token]
    assert client.get(f"{base}/{photo.token}").status_code == 404


@pytest.mark.usefixtures("equipment_pool")
def test_htmx_sends_the_photo_at_once_and_gets_the_list_back(
    app: Flask,
    client,
    htmx_headers: dict[str, str],  # type: ignore[no-untyped-def]
) -> None:
    family = Family(client, lang="ar")
    url = at_receipts(family)
    response = client.post(
        url,
        **multipart(("csrf_token", family.csrf), ("files", ("وصل.jpg", files.photo()))),
        headers=htmx_headers,
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="receipts"')  # only the part htmx swaps
    assert "/preview" in fragment and "وصل.jpg" in fragment
    assert 'type="file"' in fragment  # a fresh, empty input: the photo is not sent twice
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.usefixtures("equipment_pool")
def test_more_than_the_request_limit_gets_a_page_that_says_what_to_do(  # type: ignore[no-untyped-def]
    app: Flask, client
) -> None:
    """SEC-32: the whole request is capped (MAX_CONTENT_LENGTH); the 413 is a translated page."""
    family = Family(client, lang="da")
    url = at_receipts(family)
    too_much = b"\xff" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = upload(family, url, ("video.mov", too_much))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Filerne var for store" in page and 'lang="da"' in page
    assert stored(app, family.token) == []
