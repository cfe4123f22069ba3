"""The journal's pages: thin views over journal.models, one per action.

Longer than 400 lines because the journal has six kinds of writing, each with
its page, htmx fragment and undo; splitting them would scatter one app's URLs.
"""

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from ipnb_site.compression import reflects_input
from ipnb_site.http import HtmxRequest, SignedInRequest
from journal.forms import (
    DEFAULT_STRENGTH,
    STRENGTHS,
    CheckInForm,
    DraftForm,
    EntryForm,
    FacesForm,
    LookBackForm,
    QuickFeelingForm,
    RerateForm,
    RuptureForm,
    SearchForm,
    WindowCheckInForm,
    WindowMapForm,
)
from journal.look_back import LookBack
from journal.models import (
    UNDO_WINDOW,
    EmotionWord,
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    NamedEmotion,
    Quadrant,
    RiverZone,
    Rupture,
    WindowCheckIn,
    WindowMap,
)
from journal.prompts import PROMPTS_BY_KEY, prompt_for
from journal.search import JournalFilters, load_results, search_journal, search_terms
from progress.window import suggestions_after

RECENT_ENTRIES = 10
RESULTS_PER_PAGE = 20
UNDO_MINUTES = int(UNDO_WINDOW.total_seconds() // 60)


def keeps_text_private(view):
    """For every journal view: never cached, and no text in error reports.

    `sensitive_variables()` hides the local variables of this view and of
    everything it calls; `sensitive_post_parameters()` hides the posted form.
    """
    return never_cache(sensitive_post_parameters()(sensitive_variables()(view)))


# Ownership: every object is looked up through its owner-scoped manager.


def _entry_for(request: HtmxRequest, public_id: UUID) -> JournalEntry:
    return get_object_or_404(JournalEntry.objects.for_user(request.user), public_id=public_id)


def _named_emotion_for(request: HtmxRequest, public_id: UUID) -> NamedEmotion:
    return get_object_or_404(
        NamedEmotion.objects.for_user(request.user).select_related("emotion"),
        public_id=public_id,
    )


def _check_in_for(request: HtmxRequest, public_id: UUID) -> IntegrationCheckIn:
    return get_object_or_404(IntegrationCheckIn.objects.for_user(request.user), public_id=public_id)


def _rupture_for(request: HtmxRequest, public_id: UUID) -> Rupture:
    return get_object_or_404(Rupture.objects.for_user(request.user), public_id=public_id)


# Prompts --------------------------------------------------------------------

PROMPT_SESSION_KEY = "journal_prompt_skip"


def _prompt_skip(request: HtmxRequest, today: date) -> int:
    """How many times the person asked for another prompt today."""
    remembered = request.session.get(PROMPT_SESSION_KEY) or {}
    return remembered.get("skip", 0) if remembered.get("date") == today.isoformat() else 0


@login_required
@require_safe
@vary_on_headers("HX-Request")
@keeps_text_private
def prompt(request: SignedInRequest) -> HttpResponse:
    """Another prompt for today (or, in the entry form, none at all)."""
    today = request.user.local_today()
    place = "form" if request.GET.get("place") == "form" else "index"
    try:
        skip = max(0, min(int(request.GET.get("skip", "0")), 1000))
    except ValueError:
        skip = 0
    request.session[PROMPT_SESSION_KEY] = {"date": today.isoformat(), "skip": skip}
    chosen = None if request.GET.get("none") else prompt_for(request.user, today, skip)
    if not request.htmx:
        if place == "form":
            return redirect(reverse("journal:new") + (f"?prompt={chosen.key}" if chosen else ""))
        return redirect("journal:index")
    template = (
        "journal/entry_form.html#form-prompt"
        if place == "form"
        else "journal/index.html#prompt-card"
    )
    return render(request, template, {"prompt": chosen, "prompt_skip": skip})


# The journal home -------------------------------------------------------------


@login_required
@require_safe
@keeps_text_private
def index(request: SignedInRequest) -> HttpResponse:
    user = request.user
    today = user.local_today()
    skip = _prompt_skip(request, today)
    context = {
        "today": today,
        "prompt": prompt_for(user, today, skip),
        "prompt_skip": skip,
        "faces_today": FacesRating.objects.for_user(user).filter(local_date=today).first(),
        "check_ins_today": IntegrationCheckIn.objects.for_user(user)
        .filter(local_date=today)
        .count(),
        "open_ruptures": Rupture.objects.for_user(user).open().count(),
        "drafts": JournalEntry.objects.for_user(user).drafts().order_by("-updated_at")[:5],
        "recently_deleted": JournalEntry.objects.restorable_for_user(user).order_by("-deleted_at"),
        "entries": JournalEntry.objects.for_user(user)
        .filter(is_draft=False)
        .with_details()[:RECENT_ENTRIES],
        "naming": NamedEmotion.objects.for_user(user).rerating_summary(),
        "undo_minutes": UNDO_MINUTES,
    }
    return render(request, "journal/index.html", context)


# Entries ---------------------------------------------------------------------


def _entry_form_context(request, form, *, entry=None, draft_key="", autosave_url=""):
    prompt_key = form["prompt_key"].value() or ""
    return {
        "form": form,
        "entry": entry,
        "draft_key": draft_key,
        "autosave_url": autosave_url,
        "prompt": PROMPTS_BY_KEY.get(prompt_key),
        "prompt_skip": _prompt_skip(request, request.user.local_today()),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_text_private
def new_entry(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        draft_key = request.POST.get("draft_key", "")
        public_id = JournalEntry.public_id_from_draft_key(user, draft_key)
        entry = (
            JournalEntry.objects.for_draft(user, public_id)
            if public_id is not None
            else JournalEntry(user=user)
        )
        form = EntryForm(request.POST, instance=entry)
        if form.is_valid() and public_id is not None:
            entry = form.save()
            messages.success(request, "Your entry is saved.")
            return redirect("journal:entry", public_id=entry.public_id)
        if public_id is None:
            draft_key = JournalEntry.new_draft_key(user)
            form.add_error(
                None, "This page was out of date, so nothing was saved. Please try again."
            )
        status = 400
    else:
        chosen = PROMPTS_BY_KEY.get(request.GET.get("prompt", ""))
        form = EntryForm(
            instance=JournalEntry(user=user),
            initial={"local_date": user.local_today(), "prompt_key": chosen.key if chosen else ""},
        )
        draft_key = JournalEntry.new_draft_key(user)
        status = 200
    context = _entry_form_context(
        request, form, draft_key=draft_key, autosave_url=reverse("journal:autosave_new")
    )
    return render(request, "journal/entry_form.html", context, status=status)


def _autosave_response(request, *, saved_at=None, error="", status=200) -> HttpResponse:
    return render(
        request,
        "journal/entry_form.html#autosave-status",
        {"saved_at": saved_at, "autosave_error": error},
        status=status,
    )


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_text_private
def autosave_new(request: SignedInRequest) -> HttpResponse:
    """Keep a new entry's draft: one row per page, however often it is sent."""
    if request.method != "POST":
        # Only reached after logging in again mid-autosave: carry on writing.
        return redirect("journal:new")
    user = request.user
    public_id = JournalEntry.public_id_from_draft_key(user, request.POST.get("draft_key", ""))
    if public_id is None:
        return _autosave_response(
            request, error="This page is out of date. Copy your words, then reload.", status=400
        )
    with transaction.atomic():
        # Locked, so an autosave still in flight when Save lands can't write the
        # saved entry back as a draft: it waits, then sees the entry is saved.
        entry = JournalEntry.objects.select_for_update().for_draft(user, public_id)
        if not entry._state.adding and not entry.is_draft:
            return _autosave_response(request, saved_at=entry.updated_at)
        form = DraftForm(request.POST, instance=entry)
        if not form.is_valid():
            return _autosave_response(request, error=_first_error(form), status=400)
        if entry._state.adding and not form.cleaned_data["body"]:
            return _autosave_response(request)  # nothing written yet, nothing to keep
        entry = form.save()
    return _autosave_response(request, saved_at=entry.updated_at)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_text_private
def autosave_entry(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    entry = _entry_for(request, public_id)
    if request.method != "POST":
        return redirect("journal:edit", public_id=entry.public_id)
    form = DraftForm(request.POST, instance=entry)
    if not form.is_valid():
        return _autosave_response(request, error=_first_error(form), status=400)
    entry = form.save()
    return _autosave_response(request, saved_at=entry.updated_at)


@login_required
@require_POST
@keeps_text_private
def feeling_rows(request: SignedInRequest) -> HttpResponse:
    """Redraw the strength and body questions for the feelings now picked."""
    form = EntryForm(
        instance=JournalEntry(user=request.user),
        initial=EntryForm.initial_from_post(request.POST),
    )
    return render(request, "journal/entry_form.html#feeling-rows", {"form": form})


@login_required
@require_safe
@keeps_text_private
def entry_detail(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    entry = get_object_or_404(
        JournalEntry.objects.for_user(request.user).with_details(), public_id=public_id
    )
    context = {
        "entry": entry,
        "faces": FacesRating.objects.for_user(request.user)
        .filter(local_date=entry.local_date)
        .first(),
        "check_ins": IntegrationCheckIn.objects.for_user(request.user).filter(
            local_date=entry.local_date
        ),
        "rerate_form": RerateForm(),
    }
    return render(request, "journal/entry.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_text_private
def edit_entry(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    entry = get_object_or_404(
        JournalEntry.objects.for_user(request.user).with_details(), public_id=public_id
    )
    if request.method == "POST":
        form = EntryForm(request.POST, instance=entry)
        if form.is_valid():
            form.save()
            messages.success(request, "Your changes are saved.")
            return redirect("journal:entry", public_id=entry.public_id)
        # The heading names the day as kept, not the one just typed.
        entry.refresh_from_db(fields=["local_date"])
        status = 400
    else:
        form = EntryForm(instance=entry)
        status = 200
    context = _entry_form_context(
        request,
        form,
        entry=entry,
        autosave_url=reverse("journal:autosave", kwargs={"public_id": entry.public_id}),
    )
    return render(request, "journal/entry_form.html", context, status=status)


@login_required
@require_POST
@keeps_text_private
def delete_entry(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    _delete_with_undo(request, _entry_for(request, public_id), "The entry is deleted.")
    return redirect("journal:index")


@login_required
@require_POST
@keeps_text_private
def restore_entry(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    _restore(request, JournalEntry, public_id, "The entry is back.")
    return redirect("journal:entry", public_id=public_id)


def _delete_with_undo(request: SignedInRequest, row, deleted: str) -> None:
    row.soft_delete()
    undo = f"You can undo this here for {UNDO_MINUTES} minutes."
    messages.success(request, f"{deleted} {undo}")


def _restore(request: SignedInRequest, model, public_id: UUID, restored: str) -> None:
    """Bring back one of the person's rows still within its undo window."""
    get_object_or_404(
        model.objects.restorable_for_user(request.user), public_id=public_id
    ).restore()
    messages.success(request, restored)


@login_required
@require_POST
@vary_on_headers("HX-Request")
@keeps_text_private
def rerate_emotion(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    """After naming a feeling: how strong is it now?"""
    named = _named_emotion_for(request, public_id)
    form = RerateForm(request.POST, instance=named)
    if form.is_valid():
        form.save()
        if not request.htmx:
            return redirect("journal:entry", public_id=named.entry.public_id)
        return render(
            request,
            "journal/entry.html#named-emotion",
            {"named": named, "rerate_form": RerateForm(), "rerated": True},
        )
    if not request.htmx:
        messages.error(request, _first_error(form))
        return redirect("journal:entry", public_id=named.entry.public_id)
    return render(
        request,
        "journal/entry.html#named-emotion",
        {"named": named, "rerate_form": form},
        status=400,
    )


# A feeling named from Today ----------------------------------------------------


def _quick_feeling_card(request, *, quadrant="", form=None, named=None, error="", status=200):
    """The "how are you?" card at its step: the four quadrants, a quadrant's
    words, or the feeling just saved. The whole page without htmx."""
    if form is not None and form.errors:
        error = _first_error(form)
    context = {
        "quick_quadrant": quadrant,
        "quick_quadrant_label": Quadrant(quadrant).label if quadrant else "",
        "quick_words": EmotionWord.in_quadrant(quadrant),
        "quick_strength": (form.data.get("intensity") if form is not None else "")
        or str(DEFAULT_STRENGTH),
        "quick_strengths": STRENGTHS,
        "quick_named": named,
        "quick_error": error,
    }
    template = "journal/quick_feeling.html#card" if request.htmx else "journal/quick_feeling.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
@keeps_text_private
def quick_feeling(request: SignedInRequest) -> HttpResponse:
    """Name how you feel without writing: a quadrant (GET), then a word (POST)."""
    if request.method != "POST":
        quadrant = request.GET.get("quadrant", "")
        if quadrant and quadrant not in Quadrant.values:
            return _quick_feeling_card(
                request, error="Please choose one of the four groups.", status=400
            )
        return _quick_feeling_card(request, quadrant=quadrant)
    quadrant = request.POST.get("quadrant", "")
    quadrant = quadrant if quadrant in Quadrant.values else ""
    form = QuickFeelingForm(request.POST)
    if not form.is_valid():
        return _quick_feeling_card(request, quadrant=quadrant, form=form, status=400)
    named = JournalEntry.objects.name_feeling(
        request.user, form.cleaned_data["word"], form.cleaned_data["intensity"]
    )
    return _quick_feeling_card(request, named=named)


# FACES -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
@keeps_text_private
def faces(request: SignedInRequest) -> HttpResponse:
    """Rate FACES for the person's today; rating again replaces it."""
    user = request.user
    today = user.local_today()
    rating = FacesRating.objects.for_user(user).filter(local_date=today).first()
    form = FacesForm(
        request.POST if request.method == "POST" else None,
        instance=rating or FacesRating(user=user, local_date=today),
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        rating = form.save()
        if not request.htmx:
            messages.success(request, "Today's FACES rating is saved.")
            return redirect("journal:faces")
        saved = True
    context = {
        "form": form,
        "saved": saved,
        "today": today,
        "rating": rating,
        "history": FacesRating.objects.for_user(user).order_by("-local_date")[:14],
    }
    template = "journal/faces.html#faces-panel" if request.htmx else "journal/faces.html"
    status = 400 if form.is_bound and not saved else 200
    return render(request, template, context, status=status)


# Integration check-ins -----------------------------------------------------------


def _check_in_context(request, form, *, saved=False):
    user = request.user
    return {
        "form": form,
        "saved": saved,
        "check_ins": IntegrationCheckIn.objects.for_user(user)[:10],
        "recently_deleted": IntegrationCheckIn.objects.restorable_for_user(user),
        "undo_minutes": UNDO_MINUTES,
        "zone_labels": RiverZone.choices,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
@keeps_text_private
def check_in(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = CheckInForm(
        request.POST if request.method == "POST" else None,
        instance=IntegrationCheckIn(user=user, local_date=user.local_today()),
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        if not request.htmx:
            messages.success(request, "Your check-in is saved.")
            return redirect("journal:check_in")
        saved, form = True, CheckInForm()
    template = "journal/check_in.html#check-in-panel" if request.htmx else "journal/check_in.html"
    status = 400 if form.is_bound and not saved else 200
    return render(request, template, _check_in_context(request, form, saved=saved), status=status)


@login_required
@require_POST
@keeps_text_private
def delete_check_in(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    _delete_with_undo(request, _check_in_for(request, public_id), "The check-in is deleted.")
    return redirect("journal:check_in")


@login_required
@require_POST
@keeps_text_private
def restore_check_in(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    _restore(request, IntegrationCheckIn, public_id, "The check-in is back.")
    return redirect("journal:check_in")


# Repair after rupture --------------------------------------------------------------


@login_required
@require_safe
@keeps_text_private
def ruptures(request: SignedInRequest) -> HttpResponse:
    user = request.user
    today = user.local_today()
    mine = Rupture.objects.for_user(user).prefetch_related("felt")
    open_ruptures = list(mine.open())
    for rupture in open_ruptures:
        rupture.open_days = rupture.days_open(today)
    context = {
        "today": today,
        "open_ruptures": open_ruptures,
        "repaired": mine.repaired().order_by("-repaired_on", "-created_at")[:50],
        "recently_deleted": Rupture.objects.restorable_for_user(user),
        "undo_minutes": UNDO_MINUTES,
    }
    return render(request, "journal/ruptures.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_text_private
def new_rupture(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = RuptureForm(request.POST, instance=Rupture(user=user))
        if form.is_valid():
            form.save()
            messages.success(request, "Saved. Noticing a rupture is already a step toward repair.")
            return redirect("journal:ruptures")
        status = 400
    else:
        form = RuptureForm(instance=Rupture(user=user), initial={"ruptured_on": user.local_today()})
        status = 200
    return render(request, "journal/rupture_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_text_private
def edit_rupture(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    rupture = _rupture_for(request, public_id)
    if request.method == "POST":
        form = RuptureForm(request.POST, instance=rupture)
        if form.is_valid():
            form.save()
            messages.success(request, "Your reflection is updated.")
            return redirect("journal:ruptures")
        status = 400
    else:
        form = RuptureForm(instance=rupture)
        status = 200
    context = {"form": form, "rupture": rupture}
    return render(request, "journal/rupture_form.html", context, status=status)


@login_required
@require_POST
@keeps_text_private
def delete_rupture(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    _delete_with_undo(request, _rupture_for(request, public_id), "The reflection is deleted.")
    return redirect("journal:ruptures")


@login_required
@require_POST
@keeps_text_private
def restore_rupture(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    _restore(request, Rupture, public_id, "The reflection is back.")
    return redirect("journal:ruptures")


# Search ---------------------------------------------------------------------------


@reflects_input  # the words searched for come back beside journal text
@login_required
@require_safe
@vary_on_headers("HX-Request")
@keeps_text_private
def search(request: SignedInRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, user=request.user)
    page, results, terms = None, [], []
    status = 200
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        filters = JournalFilters(**{key: value for key, value in data.items() if value})
        terms = search_terms(filters.q)
        paginator = Paginator(search_journal(request.user, filters), RESULTS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        results = load_results(request.user, page.object_list, terms)
    else:
        status = 400
    context = {"form": form, "page": page, "results": results, "searched": form.is_bound}
    template = "journal/search.html#results" if request.htmx else "journal/search.html"
    return render(request, template, context, status=status)


# Window of tolerance ---------------------------------------------------------------


def _window_map_for(user) -> WindowMap:
    return WindowMap.objects.for_user(user).first() or WindowMap(user=user)


def _back_to(request: HtmxRequest, fallback: str = "home") -> str:
    """Where a form asked to go back to: a page of this site only."""
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(fallback)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_text_private
def window_map(request: SignedInRequest) -> HttpResponse:
    """Map your own signs of being above and below your window of tolerance."""
    window = _window_map_for(request.user)
    form = WindowMapForm(request.POST if request.method == "POST" else None, instance=window)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your signs are saved. They'll show when you check in.")
        return redirect(_back_to(request))
    status = 400 if form.is_bound else 200
    context = {"form": form, "next": _back_to(request)}
    return render(request, "journal/window_map.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
@keeps_text_private
def window_check_in(request: SignedInRequest) -> HttpResponse:
    """One tap: above, within or below the window; then what might help from there."""
    user = request.user
    saved, status, form = None, 200, None
    if request.method == "POST":
        form = WindowCheckInForm(request.POST, instance=WindowCheckIn.now_for(user))
        if form.is_valid():
            saved = form.save()
        else:
            status = 400
    context = _window_card(request, saved=saved)
    if form is not None and form.errors:
        context["window_error"] = _first_error(form)
    if saved is not None and not context["window_compact"]:
        context |= suggestions_after(saved)
    template = "journal/window_now.html#card" if request.htmx else "journal/window_now.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
@vary_on_headers("HX-Request")
@keeps_text_private
def window_check_in_undo(request: SignedInRequest, public_id: UUID) -> HttpResponse:
    """Take back a check-in (a tap on the wrong button): the buttons come back."""
    check_in = get_object_or_404(WindowCheckIn.objects.for_user(request.user), public_id=public_id)
    check_in.delete()
    if not request.htmx:
        messages.success(request, "Taken back: that check-in is gone.")
        return redirect(_back_to(request))
    context = _window_card(request, saved=None)
    context["window_undone"] = True
    return render(request, "journal/window_now.html#card", context)


def _window_card(request: SignedInRequest, *, saved: WindowCheckIn | None) -> dict:
    """What the check-in card shows: the person's signs, and what was just noted."""
    window = _window_map_for(request.user)
    return {
        "window_signs": {"above": window.above_signs, "below": window.below_signs},
        "window_saved": saved,
        "window_error": "",
        "window_compact": request.POST.get("compact") == "1",
        "window_next": _back_to(request),
    }


# The fortnightly look back -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_text_private
def look_back(request: SignedInRequest) -> HttpResponse:
    """The last fortnight side by side, and three questions; the answers go in the journal."""
    looking = LookBack.latest_for(request.user)
    form = LookBackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and looking is not None and form.is_valid():
        looking.keep(form.answers(), looking.prompt_text)
        messages.success(request, "Your look back is kept in your journal.")
        return redirect("journal:look_back")
    context = {
        "looking": looking,
        "form": form,
        "plan": looking.plan if looking else LookBack.plan_for(request.user),
    }
    return render(request, "journal/look_back.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
@keeps_text_private
def look_back_plan(request: SignedInRequest) -> HttpResponse:
    """Turn the fortnightly look back on or off (off until the person turns it on)."""
    if request.POST.get("on") == "1":
        LookBack.turn_on(request.user)
        messages.success(request, "The fortnightly look back is on. The first comes in two weeks.")
    else:
        LookBack.turn_off(request.user)
        messages.success(
            request, "The fortnightly look back is off. Your past ones stay in your journal."
        )
    return redirect(_back_to(request, "journal:look_back"))
