"""The report as a PDF: drawn by WeasyPrint, read back with pypdf."""

import io
from datetime import UTC, date, datetime

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from portability.report import Report
from tests.journal.factories import make_check_in, make_entry, make_faces, make_rupture
from tests.progress.factories import make_session

pytestmark = pytest.mark.django_db

URL = "/progress/report/pdf/"
OCTOBER = "?start=2026-10-01&end=2026-10-31"


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def october(owner):
    make_session(owner, date(2026, 10, 5), minutes=20, before=3, after=6, notes="Felt my feet.")
    make_session(owner, date(2026, 10, 6), minutes=10, slug="body-scan")
    make_faces(owner, local_date=date(2026, 10, 5), score=4)
    make_check_in(owner, chaos=7, rigidity=1, local_date=date(2026, 10, 6))
    make_entry(
        owner, "Dear diary, a hard talk.", local_date=date(2026, 10, 7), feelings=[("anxious", 4)]
    )
    make_rupture(
        owner, relationship="my sister", ruptured_on=date(2026, 10, 8), what_happened="Sharp words."
    )


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def test_the_pdf_holds_the_dates_and_every_section(owner_client, october):
    response = owner_client.get(URL + OCTOBER)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="riverwise-report-2026-10-01-to-2026-10-31.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    reader, text = pdf_text(response.content)
    assert "Olive's report: 1 October 2026 to 31 October 2026" in text
    assert "For Olive, covering 31 days" in text
    for heading in ("Practice", "FACES (1 to 5)", "River check-ins (0 to 10)", "Feelings named"):
        assert heading in text
    assert "Repair after rupture" in text and "my sister" in text
    assert "2 sessions on 2 days with a finished practice, 30 minutes in all." in text
    assert "Dear diary" not in text and "Sharp words" not in text and "Felt my feet" not in text
    assert "owner@example.com" not in text
    assert reader.metadata.title == "Report, 1 October 2026 to 31 October 2026"


def test_the_charts_are_drawn_into_the_pdf(owner_client, october):
    _, text = pdf_text(owner_client.get(URL + OCTOBER).content)

    assert "Minutes practised each day" in text and "Average chaos and rigidity each day" in text
    # The x-axis labels are <text> inside the inline SVGs: one set per chart.
    assert text.count("25 Oct") == 2
    # The y-axis of the river chart, 0 to 10, also from the SVG.
    assert "10" in text


def test_only_the_pdf_gives_the_charts_their_own_colours(owner, owner_client, october):
    # WeasyPrint's SVG sees no page stylesheet; the page's CSP allows no inline style.
    page = owner_client.get("/progress/report/" + OCTOBER).content.decode()
    assert page.count('<svg class="chart-svg"') == 2 and "<style>" not in page

    report = Report(owner, date(2026, 10, 1), date(2026, 10, 31))
    html = render_to_string("portability/report_pdf.html", {"report": report, "for_pdf": True})
    assert html.count("<svg") == 2 and html.count("<style>") == 2


def test_journal_text_is_in_the_pdf_only_when_asked_for(owner_client, october):
    _, text = pdf_text(owner_client.get(URL + OCTOBER + "&journal=on").content)

    assert "Dear diary, a hard talk." in text and "Sharp words." in text
    assert "Felt my feet." in text


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_the_paper_is_a4_or_letter(owner_client, october, paper, size):
    reader, _ = pdf_text(owner_client.get(URL + OCTOBER + f"&paper={paper}").content)

    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_a_bad_range_gets_the_report_page_with_the_reason(owner_client):
    response = owner_client.get(URL + "?start=2026-10-31&end=2026-10-01")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "The end date is before the start date." in response.content.decode()


def test_pdfs_are_paced_per_person(owner_client, october, settings):
    settings.REPORT_PDF_RATE = "2/h"
    for _ in range(2):
        assert owner_client.get(URL + OCTOBER).status_code == 200

    paced = owner_client.get(URL + OCTOBER)

    assert paced.status_code == 429
    assert int(paced["Retry-After"]) >= 60
    assert "You have made a lot of PDFs this hour" in paced.content.decode()


def test_a_stranger_gets_only_their_own_report(stranger_client, october):
    _, text = pdf_text(stranger_client.get(URL + OCTOBER + "&journal=on").content)

    assert "Sam's report" in text and "Olive" not in text
    assert "my sister" not in text and "Dear diary" not in text
    assert "No practice recorded in these dates." in text


def test_it_needs_a_login(client):
    response = client.get(URL + OCTOBER)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_report_page_offers_the_pdf_and_sharing(owner_client):
    html = owner_client.get("/progress/report/").content.decode()
    assert 'formaction="/progress/report/pdf/"' in html
    assert 'href="/progress/share/"' in html


def test_the_pdf_is_never_gzipped(owner_client, october):
    # It holds the dates asked for beside journal text (BREACH), and is compressed inside anyway.
    response = owner_client.get(URL + OCTOBER + "&journal=on", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
