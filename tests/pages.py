"""Fetch a page and check the HTML every page must get right (anchor: notifications-admin).

Strict HTML5 parse, ``<html lang dir>`` for the locale, exactly one ``<h1>``, a ``<title>`` that
starts with it, forms with ``action`` and ``method``, no duplicate ids, and no inline script or
style (the CSP forbids them, so they would silently not work).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

import html5lib
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

DIRECTIONS = {"da": "ltr", "en": "ltr", "ar": "rtl"}


@dataclass
class Page:
    response: TestResponse
    root: ET.Element

    def text(self, element: ET.Element | None = None) -> str:
        return " ".join("".join((element if element is not None else self.root).itertext()).split())

    def find(self, path: str) -> ET.Element:
        element = self.root.find(path)
        assert element is not None, f"{path} not found"
        return element

    def findall(self, path: str) -> list[ET.Element]:
        return self.root.findall(path)

    def by_id(self, element_id: str) -> ET.Element:
        return self.find(f".//*[@id='{element_id}']")

    @property
    def h1(self) -> str:
        return self.text(self.find(".//h1"))


def parse(html: str) -> ET.Element:
    parser = html5lib.HTMLParser(
        strict=True, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False
    )
    root: ET.Element = parser.parse(html)
    return root


def check_page(html: str, lang: str | None = None) -> ET.Element:
    root = parse(html)
    if lang:
        assert root.get("lang") == lang
        assert root.get("dir") == DIRECTIONS[lang]
    h1s = root.findall(".//h1")
    assert len(h1s) == 1, f"expected one <h1>, found {len(h1s)}"
    h1 = " ".join("".join(h1s[0].itertext()).split())
    title_el = root.find(".//title")
    assert title_el is not None
    title = " ".join((title_el.text or "").split())
    assert title.startswith(h1), f"title {title!r} does not start with h1 {h1!r}"
    for form in root.iter("form"):
        assert form.get("action"), "form without action"
        assert form.get("method") in ("get", "post"), "form without method"
    ids = Counter(el.get("id") for el in root.iter() if el.get("id"))
    duplicated = [i for i, n in ids.items() if n > 1]
    assert not duplicated, f"duplicate ids: {duplicated}"
    for script in root.iter("script"):
        assert script.get("src"), "inline <script> (blocked by the CSP)"
    assert not list(root.iter("style")), "inline <style> (blocked by the CSP)"
    for el in root.iter():
        assert el.get("style") is None, f"inline style on <{el.tag}>"
        assert not any(k.startswith("on") for k in el.attrib), f"inline handler on <{el.tag}>"
    return root


def get_page(
    client: FlaskClient,
    url: str,
    status: int = 200,
    lang: str | None = None,
    headers: dict[str, str] | None = None,
) -> Page:
    """GET ``url`` and check it; ``lang`` defaults to the URL's language prefix."""
    response = client.get(url, headers=headers or {})
    assert response.status_code == status, (response.status_code, response.data[:500])
    if lang is None:
        prefix = url.strip("/").split("/")[0].split("?")[0]
        lang = prefix if prefix in DIRECTIONS else None
    return Page(response, check_page(response.get_data(as_text=True), lang))
