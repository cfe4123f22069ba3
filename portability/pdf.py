"""The report as a PDF: WeasyPrint draws the same partial the page shows.

WeasyPrint needs Pango (Debian's libpango-1.0-0 and libpangoft2-1.0-0; see the
README). It is imported only when a PDF is drawn, so the app runs on a machine
without Pango and only the PDF answers that it can't be made there. It is given
every byte it draws: the stylesheet is read here, and its URL fetcher refuses
everything, so nothing in a report can make the server fetch a file or an address.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_ratelimit.core import get_usage

from portability.report import Report

# What the person picks; the names are CSS's own page sizes.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}


class PdfUnavailable(Exception):
    """This server can't draw PDFs: WeasyPrint couldn't load Pango."""


def _fetch_nothing():
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"The report's PDF fetches nothing, not even {url[:80]}")

    return FetchNothing()


def _stylesheet() -> str:
    path = finders.find("css/report-pdf.css")
    assert isinstance(path, str), "static/css/report-pdf.css is missing"
    with open(path, encoding="utf-8") as css:
        return css.read()


def report_pdf(report: Report, *, paper: str = "a4") -> bytes:
    try:
        from weasyprint import CSS, HTML
    except OSError as error:  # Pango is missing: cffi can't open its library
        raise PdfUnavailable(str(error)) from error
    context = {"report": report, "for_pdf": True, "site_name": settings.SITE_NAME}
    html = render_to_string("portability/report_pdf.html", context)
    fetcher = _fetch_nothing()
    stylesheets = [
        CSS(string=_stylesheet(), url_fetcher=fetcher),
        CSS(string=f"@page {{ size: {PAPER_SIZES[paper]}; }}", url_fetcher=fetcher),
    ]
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf


def report_file_name(report: Report) -> str:
    return f"riverwise-report-{report.start:%Y-%m-%d}-to-{report.end:%Y-%m-%d}.pdf"


def pdf_response(report: Report, *, paper: str, inline: bool = False) -> HttpResponse:
    try:
        pdf = report_pdf(report, paper=paper)
    except PdfUnavailable:
        return HttpResponse(render_to_string("portability/pdf_unavailable.html"), status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report_file_name(report)}"'
    return response


def pdf_wait(request: HttpRequest, who: str) -> int | None:
    """Seconds until `who` may have another PDF drawn, or None if now.

    Drawing one costs a fraction of a second to a few seconds of CPU, so each
    person (and each shared link's visitors) gets REPORT_PDF_RATE of them.
    """
    usage = get_usage(
        request,
        group="portability.report_pdf",
        key=lambda group, request: who,
        rate=settings.REPORT_PDF_RATE,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 60)
