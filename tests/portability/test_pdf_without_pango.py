"""The app runs where Pango is missing: only the PDF says it can't be made there."""

import builtins
import subprocess
import sys
from datetime import date

import pytest

from portability import pdf
from portability.report import Report
from tests.conftest import make_user


def test_starting_the_app_does_not_load_weasyprint():
    # WeasyPrint opens Pango when imported; a machine without Pango must still start.
    code = (
        "import django, os, sys;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ipnb_site.test_settings');"
        "django.setup();"
        "import ipnb_site.urls;"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.django_db
def test_without_pango_the_pdf_answers_503_in_words(monkeypatch):
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            # What cffi raises when libpango can't be opened.
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    owner = make_user("owner@example.com")
    report = Report(owner, date(2026, 11, 1), date(2026, 11, 24))
    response = pdf.pdf_response(report, paper="a4")
    assert response.status_code == 503
    assert "This server can't make PDFs yet" in response.content.decode()
