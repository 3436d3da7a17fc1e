"""The ceiling for bench/throughput.py: a bare Flask app rendering a Jinja page of a given size
on the same gunicorn settings. ``/bare/<size>`` answers about ``size`` bytes of HTML."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)

PAGE = app.jinja_env.from_string(
    '<!doctype html>\n<html lang="da">\n<head><meta charset="utf-8"><title>{{ title }}</title>'
    "</head>\n<body>\n<main>\n{% for n in range(paragraphs) %}"
    "<p>Afsnit {{ n }}: {{ text }}</p>\n{% endfor %}</main>\n</body>\n</html>\n"
)
TEXT = "Fritidspas til børn og unge: kommunen betaler kontingentet i en forening."
#: The bytes one paragraph adds.
PARAGRAPH = len(f"<p>Afsnit 10: {TEXT}</p>\n".encode())


@app.get("/bare/<int:size>")
def bare(size: int) -> str:
    return PAGE.render(title="Fritidsportalen", text=TEXT, paragraphs=max(size // PARAGRAPH, 1))


@app.get("/healthz")
def healthz() -> str:
    return "ok"
