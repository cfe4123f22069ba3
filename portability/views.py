from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

import activity
from activity.models import ActivityEvent, ActivityKind
from ipnb_site.compression import reflects_input
from ipnb_site.http import HtmxRequest, SignedInRequest
from journal.models import EmotionWord
from mfa.reauth import confirmation_required
from portability.export import export_csv_zip, export_file_name, export_json
from portability.forms import (
    ColumnsForm,
    ConfirmImportForm,
    HistoryFileForm,
    ImportForm,
    MoodsForm,
    ReportForm,
)
from portability.history_files import apply_history, plan_history, refuse_problems
from portability.importing import ImportProblem, plan_import
from portability.models import DataExport, ImportSource, ImportUpload, PendingImport, Refusal
from portability.pdf import pdf_response, pdf_wait
from portability.report import Report

# The entries a preview shows as examples; the rest are counted.
PREVIEW_ENTRIES = 8


def _get_pending_import_for_user(
    request: HtmxRequest, public_id: UUID, *, lock: bool = False, history: bool | None = False
):
    """The signed-in person's own pending import, or 404: our own export file, or
    (history=True) another app's CSV; history=None for either."""
    pending = PendingImport.objects.for_user(request.user)
    if history is not None:
        riverwise = Q(source=ImportSource.RIVERWISE)
        pending = pending.exclude(riverwise) if history else pending.filter(riverwise)
    if lock:
        pending = pending.select_for_update()
    return get_object_or_404(pending, public_id=public_id)


def _paced_refusal(request: HtmxRequest, refusal: Refusal, shown_as: str) -> HttpResponse:
    """The Your data page saying why not now and from when, as a 429."""
    context = {"form": ImportForm(), "history_form": HistoryFileForm(), shown_as: refusal}
    response = render(request, "portability/data.html", context, status=429)
    response["Retry-After"] = str(refusal.wait_seconds)
    return response


def _download(request: HtmxRequest, file_format: str, build, content_type: str) -> HttpResponse:
    """A copy of the person's data, unless they have had their fill of copies this hour.

    Only a POST (the page's buttons) builds one: each takes one of the hour's turns,
    and a GET must write nothing, so a link or a prefetch elsewhere can't use them up.
    """
    refusal = DataExport.objects.take_turn(request.user, file_format=file_format)
    if refusal is not None:
        return _paced_refusal(request, refusal, "download_refusal")
    activity.record(request, request.user, ActivityKind.DATA_DOWNLOADED, format=file_format)
    response = HttpResponse(build(request.user), content_type=content_type)
    file_name = export_file_name(request.user, "zip" if file_format == "csv" else file_format)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


# Your data: export and import ------------------------------------------------------


@login_required
@require_safe
def your_data(request: SignedInRequest) -> HttpResponse:
    context = {"form": ImportForm(), "history_form": HistoryFileForm()}
    return render(request, "portability/data.html", context)


@login_required
@require_POST
@never_cache
@confirmation_required(return_to="portability:data")
def download_json(request: SignedInRequest) -> HttpResponse:
    return _download(request, "json", export_json, "application/json; charset=utf-8")


@login_required
@require_POST
@never_cache
@confirmation_required(return_to="portability:data")
def download_csv(request: SignedInRequest) -> HttpResponse:
    return _download(request, "csv", export_csv_zip, "application/zip")


@login_required
@require_POST
def import_upload(request: SignedInRequest) -> HttpResponse:
    # Every upload is read in full, refused or not: each one takes a turn.
    refusal = ImportUpload.objects.take_turn(request.user)
    if refusal is not None:
        return _paced_refusal(request, refusal, "upload_refusal")
    form = ImportForm(request.POST, request.FILES)
    problem = None
    if form.is_valid():
        try:
            # Check the whole file once, now; the preview shows what this found.
            plan = plan_import(request.user, form.data_in_file)
        except ImportProblem as found:
            problem = found
        else:
            pending = PendingImport.objects.hold(
                request.user, form.cleaned_data["file"].name, form.data_in_file, plan.summary()
            )
            return redirect(pending)
    context = {"form": form, "problem": problem, "history_form": HistoryFileForm()}
    return render(request, "portability/data.html", context, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    pending = _get_pending_import_for_user(request, public_id)
    form = ConfirmImportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                pending = _get_pending_import_for_user(request, public_id, lock=True)
                plan = pending.apply(restore_settings=form.cleaned_data["restore_settings"])
                activity.record(
                    request, request.user, ActivityKind.DATA_IMPORTED, added=plan.total_new
                )
        except ImportProblem as problem:
            context = {"pending": pending, "form": form, "problem": problem}
            return render(request, "portability/import_preview.html", context, status=400)
        context = {"added": plan.total_new, "already_here": plan.total_already_here}
        messages.success(
            request, render_to_string("portability/imported_message.txt", context).strip()
        )
        return redirect("home")
    try:
        # What the check at upload found; confirming checks again, inside its transaction.
        plan = pending.preview()
    except ImportProblem as problem:
        context = {"pending": pending, "form": form, "problem": problem}
        return render(request, "portability/import_preview.html", context, status=400)
    context = {"pending": pending, "form": form, "plan": plan}
    return render(request, "portability/import_preview.html", context)


@login_required
@require_POST
def import_cancel(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    _get_pending_import_for_user(request, public_id, history=None).delete()
    messages.success(request, "Import cancelled. Nothing was added.")
    return redirect("portability:data")


# Other apps' history: Daylio, Bearable, any CSV --------------------------------------


@login_required
@require_POST
def history_upload(request: SignedInRequest) -> HttpResponse:
    # Every upload is read in full, refused or not: each one takes a turn.
    refusal = ImportUpload.objects.take_turn(request.user)
    if refusal is not None:
        return _paced_refusal(request, refusal, "history_refusal")
    form = HistoryFileForm(request.POST, request.FILES)
    context: dict[str, object] = {"form": ImportForm(), "history_form": form}
    if not form.is_valid():
        return render(request, "portability/data.html", context, status=400)
    table, source = form.table, form.table.source()
    payload = {"header": table.header, "rows": table.rows}
    if source != ImportSource.COLUMNS:
        # Daylio and Bearable are read now: a row that can't be imported is said at once.
        try:
            refuse_problems(plan_history(request.user, source, payload))
        except ImportProblem as problem:
            context["history_problem"] = problem
            return render(request, "portability/data.html", context, status=400)
    name = form.cleaned_data["file"].name
    return redirect(PendingImport.objects.hold(request.user, name, payload, source=source))


def _history_page(request, pending, *, columns_form=None, moods_form=None, problem=None):
    """The preview: the columns (for a CSV we don't know), the moods, and what would be added."""
    payload = pending.payload
    if pending.source == ImportSource.COLUMNS and columns_form is None:
        columns_form = ColumnsForm(payload["header"], chosen=payload.get("columns"))
    plan = None
    if pending.source != ImportSource.COLUMNS or payload.get("columns"):
        plan = plan_history(request.user, pending.source, payload)
        if plan.problems and problem is None:
            try:
                refuse_problems(plan)
            except ImportProblem as found:
                problem = found
        if moods_form is None:
            moods_form = MoodsForm(plan.moods, EmotionWord.objects.all())
    context = {
        "pending": pending,
        "plan": plan,
        "examples": plan.new[:PREVIEW_ENTRIES] if plan else [],
        "columns_form": columns_form,
        "moods_form": moods_form,
        "problem": problem,
    }
    forms_with_errors = [form for form in (columns_form, moods_form) if form and form.errors]
    status = 400 if problem or forms_with_errors else 200
    return render(request, "portability/history_preview.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def history_preview(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    pending = _get_pending_import_for_user(request, public_id, history=True)
    if request.method != "POST":
        return _history_page(request, pending)
    action = request.POST.get("action", "preview")
    if action == "columns" and pending.source == ImportSource.COLUMNS:
        columns_form = ColumnsForm(pending.payload["header"], request.POST)
        if not columns_form.is_valid():
            return _history_page(request, pending, columns_form=columns_form)
        # New columns read the moods afresh.
        pending.payload = {**pending.payload, "columns": columns_form.columns(), "moods": {}}
        pending.save(update_fields=["payload"])
        return redirect(pending)
    plan = (
        plan_history(request.user, pending.source, pending.payload)
        if (pending.source != ImportSource.COLUMNS or pending.payload.get("columns"))
        else None
    )
    if plan is None:
        return redirect(pending)
    moods_form = MoodsForm(plan.moods, EmotionWord.objects.all(), request.POST)
    if not moods_form.is_valid():
        return _history_page(request, pending, moods_form=moods_form)
    pending.payload = {**pending.payload, "moods": moods_form.moods()}
    if action != "import":
        pending.save(update_fields=["payload"])
        return redirect(pending)
    try:
        with transaction.atomic():
            # Checked again against the account as it is now, inside the transaction.
            locked = _get_pending_import_for_user(request, public_id, lock=True, history=True)
            plan = plan_history(request.user, locked.source, pending.payload)
            refuse_problems(plan)
            added = apply_history(request.user, plan)
            locked.delete()
            activity.record(
                request,
                request.user,
                ActivityKind.DATA_IMPORTED,
                added=added,
                source=str(ImportSource(locked.source).label),
            )
    except ImportProblem as problem:
        return _history_page(request, pending, problem=problem)
    except IntegrityError:
        # Another import of the same rows landed a moment ago.
        changed = ImportProblem(
            "Something in your account changed while importing, so nothing was imported. "
            "Please try again."
        )
        return _history_page(request, pending, problem=changed)
    context = {"added": added, "already_here": plan.rows_already_here}
    messages.success(
        request, render_to_string("portability/history_imported_message.txt", context).strip()
    )
    return redirect("journal:index")


# The printable report --------------------------------------------------------------

# Changing a report's dates reloads it: the same report within this time is one line.
REPORT_RECORDED_ONCE_WITHIN = timedelta(minutes=10)


def _report_asked_for(request: SignedInRequest) -> tuple[ReportForm, Report | None]:
    form = ReportForm(request.GET, today=request.user.local_today())
    if not form.is_valid():
        return form, None
    report = Report(
        request.user,
        form.cleaned_data["start"],
        form.cleaned_data["end"],
        include_journal=form.cleaned_data["journal"],
    )
    return form, report


@reflects_input  # the dates asked for come back beside journal text
@login_required
@require_safe
@never_cache
def report(request: SignedInRequest) -> HttpResponse:
    form, report = _report_asked_for(request)
    if report is not None:
        # The report's GET writes one line on the Activity page (tests/site/test_get_never_writes).
        ActivityEvent.objects.record_once(
            request,
            request.user,
            ActivityKind.REPORT_MADE,
            within=REPORT_RECORDED_ONCE_WITHIN,
            start=report.start.isoformat(),
            end=report.end.isoformat(),
            journal=report.include_journal,
        )
    context = {"form": form, "report": report}
    return render(request, "portability/report.html", context, status=200 if report else 400)


@reflects_input  # the dates asked for go into the file beside journal text
@login_required
@require_safe
@never_cache
def report_pdf(request: SignedInRequest) -> HttpResponse:
    """The report as a PDF file. Drawing it writes nothing, so a GET is right."""
    form, report = _report_asked_for(request)
    if report is None:
        return render(request, "portability/report.html", {"form": form}, status=400)
    wait = pdf_wait(request, f"user:{request.user.pk}")
    if wait is not None:
        context = {"form": form, "report": report, "pdf_wait_minutes": -(-wait // 60)}
        response = render(request, "portability/report.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    return pdf_response(report, paper=form.cleaned_data["paper"])
