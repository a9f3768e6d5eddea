"""HTML and PDF of a document, from the same template (WeasyPrint, as the evaluation PDF)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def document_html(template: str, context: dict[str, Any]) -> str:
    """The standalone HTML that feeds the PDF (and is kept with the sent document)."""
    return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: it is slow to import and only needed here

    # Tagged (structure tree, reading order, headings) for screen readers and court e-filing.
    pdf = HTML(string=html).write_pdf(pdf_tags=True)
    assert pdf is not None
    return bytes(pdf)
