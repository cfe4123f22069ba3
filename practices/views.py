"""Practice views: the catalog, a session stage by stage, history, notes and the manual log.

Pages that show a person's own words (notes, what they noticed) are never
cached, and views that receive those words keep them out of error reports.
"""

import json
from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from ipnb_site.http import HtmxRequest, SignedInRequest
from ipnb_site.templatetags.wording import duration
from practices import breathing
from practices.forms import (
    AfterCheckInForm,
    BeforeCheckInForm,
    DeviceSessionForm,
    GroundingAnswersForm,
    HistoryFilterForm,
    ManualLogForm,
    NoteForm,
    ReadyToBegin,
    StartForm,
    ready_to_begin,
    remembered_start_form,
    start_form_for,
)
from practices.models import GuideStep, Practice, PracticeSession, planned_seconds_for

HISTORY_PAGE_SIZE = 20


def _get_session_for_user(request: HtmxRequest, public_id: UUID, *, lock: bool = False):
    """The signed-in person's session, or 404. Every session view goes through here.

    A session left open too long is shown as left unfinished; a POST (a move, a
    note, a delete) also closes it, so a late move from a forgotten tab finds
    it closed. A GET never writes.
    """
    sessions = PracticeSession.objects.for_user(request.user).select_related("practice")
    if lock:
        sessions = sessions.select_for_update(of=("self",))
    session = get_object_or_404(sessions, public_id=public_id)
    if request.method == "POST":
        session.close_if_abandoned(timezone.now())
    return session.as_of(timezone.now())


# The catalog and starting a practice -------------------------------------------


@login_required
@require_safe
def index(request: SignedInRequest) -> HttpResponse:
    in_progress = (
        PracticeSession.objects.for_user(request.user).in_progress().select_related("practice")[:3]
    )
    context = {
        "catalog": ready_to_begin(request.user, Practice.objects.all()),
        "in_progress": in_progress,
    }
    return render(request, "practices/index.html", context)


def _last_settings(request: SignedInRequest, practice: Practice) -> dict | None:
    return PracticeSession.objects.for_user(request.user).last_settings(practice)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: SignedInRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice, slug=slug)
    if request.method == "POST":
        form = start_form_for(practice, request.POST)
        if form.is_valid():
            return _start(request, practice, form)
    else:
        form = start_form_for(practice, remembered=_last_settings(request, practice))
    in_progress = (
        PracticeSession.objects.for_user(request.user)
        .in_progress()
        .filter(practice=practice)
        .first()
    )
    context = {
        "practice": practice,
        "form": form,
        "in_progress": in_progress,
        "patterns": breathing.PATTERNS,
    }
    return render(request, "practices/detail.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def begin(request: SignedInRequest, slug: str) -> HttpResponse:
    """One tap on Begin: the practice with the person's last settings (or the defaults)."""
    practice = get_object_or_404(Practice, slug=slug)
    form = remembered_start_form(practice, _last_settings(request, practice))
    if not form.is_valid():  # only if the catalog itself is misconfigured
        return redirect(practice)
    return _start(request, practice, form)


def _start(request: SignedInRequest, practice: Practice, form: StartForm) -> HttpResponse:
    """Begin from a valid start form. With a session still open, the person
    chooses: continue that one, or close it (keeping its time) and begin."""
    mine = PracticeSession.objects.for_user(request.user)
    request_id = form.cleaned_data["request_id"]
    parameters = form.parameters()
    replayed = mine.filter(request_id=request_id).first()
    if replayed:
        return redirect(replayed)
    open_session = mine.in_progress().select_related("practice").first()
    if open_session and open_session.would_begin_alike(practice, parameters):
        return redirect(open_session)  # a second tap on Begin: the same check-in awaits
    close_open = bool(request.POST.get("close_open"))
    if open_session and not close_open:
        context = {"open_session": open_session, "practice": practice, "form": form}
        return render(request, "practices/open_session.html", context, status=409)
    session, _ = PracticeSession.objects.start(
        request.user,
        practice,
        request_id=request_id,
        parameters=parameters,
        close_open=close_open,
    )
    return redirect(session)


# Practising on the device, with or without a connection -------------------------


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def on_this_device(request: SignedInRequest, slug: str) -> HttpResponse:
    """A practice the page runs by itself from start to end, with the person's
    last settings: the service worker keeps a copy for when there is no
    connection. The finished session is posted back here, now or later."""
    practice = get_object_or_404(Practice, slug=slug)
    if request.method == "POST":
        return _record_from_device(request, practice)
    last_settings = _last_settings(request, practice)
    form = remembered_start_form(practice, last_settings)
    parameters = form.parameters() if form.is_valid() else {}
    # Never saved: it lends the page the steps, the pacer's phases and the bells.
    preview = PracticeSession(practice=practice, parameters=parameters)
    preview.planned_seconds = planned_seconds_for(parameters.get("minutes"))
    # A practice with no steps in the catalog still runs, as one step.
    steps = preview.guide_steps or [GuideStep(0, "", practice.name, "", None, None)]
    context = {
        "practice": practice,
        "session": preview,
        # Each step with the one after it, which its Next button names.
        "steps": list(zip(steps, [*steps[1:], None], strict=True)),
        "rating_values": range(11),
        "choice": ReadyToBegin.of(practice, parameters),
        "as_last_time": last_settings == parameters,
        "parameters_json": json.dumps(parameters),
        "phases_json": json.dumps(preview.phases())
        if practice.guide == Practice.Guide.BREATHWORK
        else "",
    }
    return render(request, "practices/on_this_device.html", context)


def _record_from_device(request: SignedInRequest, practice: Practice) -> JsonResponse:
    form = DeviceSessionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors_in_words()}, status=400)
    data = form.cleaned_data
    try:
        session, created = PracticeSession.objects.record_from_device(
            request.user,
            practice,
            request_id=data["request_id"],
            parameters=data["parameters"],
            started_at=data["started_at"],
            ended_at=data["ended_at"],
            zone=data["time_zone"],
            seconds_practised=data["seconds_practised"],
            reached_the_end=data["reached_the_end"],
            before_rating=data["before_rating"],
            before_emotion=data["before_emotion"],
            after_rating=data["after_rating"],
        )
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=400)
    return JsonResponse(
        {"url": session.get_absolute_url(), "local_date": session.local_date.isoformat()},
        status=201 if created else 200,
    )


# A session, stage by stage ----------------------------------------------------------


def _render_session(
    request: SignedInRequest, session: PracticeSession, *, status: int = 200, **forms
) -> HttpResponse:
    """The session page, or with htmx only its current stage."""
    now = timezone.now()
    practice = session.practice
    step = session.current_step
    if session.stage == PracticeSession.Stage.BEFORE:
        forms.setdefault("before_form", BeforeCheckInForm())
    elif session.stage == PracticeSession.Stage.GUIDE and step and step.count:
        forms.setdefault(
            "answers_form",
            GroundingAnswersForm(step, initial=_initial_answers(session, step)),
        )
    elif session.stage == PracticeSession.Stage.AFTER:
        forms.setdefault("after_form", AfterCheckInForm(practice, initial={"notes": session.notes}))
    context = {
        "session": session,
        "practice": practice,
        "step": step,
        "clock": session.clock(now),
        "phases_json": json.dumps(session.phases())
        if practice.guide == Practice.Guide.BREATHWORK
        else "",
        **forms,
    }
    template = "practices/session.html#stage" if request.htmx else "practices/session.html"
    return render(request, template, context, status=status)


def _initial_answers(session: PracticeSession, step) -> dict:
    answers = session.grounding_answers.get(step.key, [])
    return {f"answer_{n}": text for n, text in enumerate(answers, start=1)}


def _after_move(request: SignedInRequest, session: PracticeSession) -> HttpResponse:
    # Without htmx, post/redirect/get: a reload never repeats the move.
    if request.htmx:
        return _render_session(request, session)
    return redirect(session)


@never_cache
@login_required
@require_safe
@vary_on_headers("HX-Request")
def session(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    return _render_session(request, _get_session_for_user(request, public_id))


@sensitive_post_parameters()
@login_required
@require_POST
@vary_on_headers("HX-Request")
def check_in_before(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    with transaction.atomic():
        session = _get_session_for_user(request, public_id, lock=True)
        if session.stage == PracticeSession.Stage.BEFORE:
            if request.POST.get("skip"):
                session.begin(timezone.now())
            else:
                form = BeforeCheckInForm(request.POST)
                if not form.is_valid():
                    return _render_session(request, session, before_form=form, status=400)
                session.begin(
                    timezone.now(),
                    rating=form.cleaned_data["rating"],
                    emotion=form.cleaned_data["emotion"],
                )
    return _after_move(request, session)


def _posted_step(request: HtmxRequest) -> int | None:
    try:
        return int(request.POST.get("step", ""))
    except ValueError:
        return None


def _grounding_answers(request: HtmxRequest, session: PracticeSession, from_step: int | None):
    """What was written for the current sense: (answers, None) or (None, form with errors)."""
    step = session.current_step
    if session.stage != PracticeSession.Stage.GUIDE or from_step != session.step or not step:
        return None, None
    if not step.count:
        return None, None
    form = GroundingAnswersForm(step, request.POST)
    if not form.is_valid():
        return None, form
    return form.answers(), None


@sensitive_post_parameters()
@login_required
@require_POST
@vary_on_headers("HX-Request")
def next_step(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    return _move_on(request, public_id, PracticeSession.advance)


@sensitive_post_parameters()
@login_required
@require_POST
@vary_on_headers("HX-Request")
def finish(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    return _move_on(request, public_id, PracticeSession.finish)


def _move_on(request: SignedInRequest, public_id: UUID, move: Callable) -> HttpResponse:
    """Advance or finish from the step the page showed, keeping what was written for
    a grounding sense; the row is locked so a double tap moves once."""
    with transaction.atomic():
        session = _get_session_for_user(request, public_id, lock=True)
        from_step = _posted_step(request)
        answers, bad_form = _grounding_answers(request, session, from_step)
        if bad_form:
            return _render_session(request, session, answers_form=bad_form, status=400)
        move(session, timezone.now(), from_step=from_step, answers=answers)
    return _after_move(request, session)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def pause(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    return _move_clock(request, public_id, PracticeSession.pause)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def resume(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    return _move_clock(request, public_id, PracticeSession.resume)


def _move_clock(request: SignedInRequest, public_id: UUID, move: Callable) -> HttpResponse:
    with transaction.atomic():
        session = _get_session_for_user(request, public_id, lock=True)
        move(session, timezone.now())
    return _after_move(request, session)


@login_required
@require_POST
def keep_alive(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    session = _get_session_for_user(request, public_id)
    session.keep_alive(timezone.now())
    return HttpResponse(status=204)


@sensitive_post_parameters()
@login_required
@require_POST
@vary_on_headers("HX-Request")
def check_in_after(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    with transaction.atomic():
        session = _get_session_for_user(request, public_id, lock=True)
        if session.stage == PracticeSession.Stage.AFTER:
            if request.POST.get("skip"):
                session.check_in_after(timezone.now(), notes=session.notes)
            else:
                form = AfterCheckInForm(session.practice, request.POST)
                if not form.is_valid():
                    return _render_session(request, session, after_form=form, status=400)
                session.check_in_after(
                    timezone.now(), rating=form.cleaned_data["rating"], notes=form.notes_text()
                )
    return _after_move(request, session)


# History and the things a person can do with a past session ---------------------------


@never_cache
@login_required
@require_safe
@vary_on_headers("HX-Request")
def history(request: SignedInRequest) -> HttpResponse:
    sessions = PracticeSession.objects.for_user(request.user).as_of_now()
    filter_form = HistoryFilterForm(request.GET or None)
    status = 200
    if filter_form.is_bound and not filter_form.is_valid():
        status = 400
    elif filter_form.is_bound and filter_form.cleaned_data["practice"]:
        sessions = sessions.filter(practice=filter_form.cleaned_data["practice"])
    page = Paginator(sessions.select_related("practice"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "practices/history.html#results" if request.htmx else "practices/history.html"
    return render(request, template, {"page": page, "filter_form": filter_form}, status=status)


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def edit_note(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    session = _get_session_for_user(request, public_id)
    context = {"session": session}
    if request.htmx and request.GET.get("cancel"):
        return render(request, "practices/note.html#note", context)
    form = NoteForm(
        request.POST if request.method == "POST" else None,
        instance=session,
        auto_id=f"note-{session.public_id}-%s",
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.htmx:
            return render(request, "practices/note.html#note", {**context, "saved": True})
        messages.success(request, "Your note is saved.")
        return redirect(session)
    template = "practices/note.html#note-form" if request.htmx else "practices/note.html"
    return render(
        request, template, {**context, "form": form}, status=400 if form.is_bound else 200
    )


@login_required
@require_POST
def close_session(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    """Close a session the person won't finish, keeping the time practised."""
    with transaction.atomic():
        session = _get_session_for_user(request, public_id, lock=True)
        if session.close(timezone.now()):
            kept = session.seconds_practised
            messages.success(
                request,
                f"{session.practice.name} is closed."
                + (f" Your time practised, {duration(kept)}, is kept." if kept else ""),
            )
    return redirect("practices:index")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_session(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    session = _get_session_for_user(request, public_id)
    if request.method == "POST":
        session.delete()
        messages.success(request, "That session is deleted.")
        return redirect("practices:history")
    return render(request, "practices/delete.html", {"session": session})


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def log_practice(request: SignedInRequest) -> HttpResponse:
    form = ManualLogForm(
        request.user,
        request.POST if request.method == "POST" else None,
        initial={"practice": request.GET.get("practice")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session, created = PracticeSession.objects.log_manually(
            request.user,
            request_id=data["request_id"],
            practice=data["practice"],
            local_date=data["date"],
            minutes=data["minutes"],
            notes=data["notes"],
        )
        if created:
            messages.success(
                request,
                f"Logged {session.practice.name} on {date_format(session.local_date, 'l j F')}. "
                "Practice done anywhere counts.",
            )
        return redirect("practices:history")
    return render(
        request, "practices/log.html", {"form": form}, status=400 if form.is_bound else 200
    )
