from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cyberaide.chat.views import offer_context as chat_offer_context
from cyberaide.content.selectors import banner_alerts, sheets_for_incident
from cyberaide.core.audiences import Audience
from cyberaide.core.ratelimit import is_rate_limited
from cyberaide.partners.framing import (
    PARTNER_PARAMETER,
    allow_framing,
    approved_partner,
    partner_query,
    same_origin_post,
)

from . import engine, services, suggestions
from .composition import compose
from .errors import status_for
from .forms import ChoiceForm, DepartementForm, DescriptionForm
from .graphs import current_version, graph_for_version_id
from .models import DiagnosticResult, DiagnosticSession, IncidentType, OfficialService
from .pdf import result_pdf

OWNER_COOKIE = "diagnostic"


def error_page(request, error: engine.DiagnosticError, *, session=None):
    context = {"error": error, "session": session, "title": "Cette étape n'est pas possible"}
    return render(request, "diagnostic/error.html", context, status=status_for(error.code))


def _session_or_404(token: str) -> DiagnosticSession:
    return get_object_or_404(
        DiagnosticSession.objects.select_related("graph_version", "partner").defer("graph_version__data"),
        token=token,
    )


def _step_url(progress: services.Progress) -> str:
    token = progress.session.token
    if progress.result is not None:
        return reverse("diagnostic:result", args=[progress.result.token])
    if isinstance(progress.step, engine.NotFoundStep):
        return reverse("diagnostic:describe", args=[token])
    return reverse("diagnostic:question", args=[token, progress.step.question.id])


@same_origin_post
@require_http_methods(["GET", "POST"])
def start(request, partner=None):
    partner = partner or approved_partner(request.POST.get(PARTNER_PARAMETER) or request.GET.get(PARTNER_PARAMETER))
    allow_framing(request, partner)
    version = current_version()
    if version is None:
        return error_page(request, services.DiagnosticUnavailable())
    graph = graph_for_version_id(version.pk)
    error = ""
    alert = _alert_shortcut(request.POST.get("alerte") or request.GET.get("alerte"))
    description = request.POST.get("description", "")
    situation = IncidentType.objects.filter(
        code=request.POST.get("situation") or request.GET.get("situation") or ""
    ).first()
    if request.method == "POST":
        code = request.POST.get("audience", "")
        out_of_scope = {entry.code: entry for entry in graph.out_of_scope}
        if code in out_of_scope:
            services.record_out_of_scope(code=code, partner=partner)
            return redirect(reverse("diagnostic:out_of_scope", args=[code]) + partner_query(partner))
        if graph.audience(code) is None:
            error = "Choisissez qui vous êtes pour commencer."
        elif description.strip() and not (alert or situation):
            return _suggest(request, code, description, partner)
        elif is_rate_limited(request, "diagnostic-start", settings.RATELIMIT_DIAGNOSTIC_START):
            return error_page(
                request,
                engine.DiagnosticError(
                    "rate_limited",
                    "Trop de diagnostics ont été commencés depuis votre connexion. Réessayez dans quelques minutes.",
                ),
            )
        else:
            progress = (
                (alert and _start_from_alert(code, alert, partner))
                or (situation and _start_from_suggestion(code, situation.code, partner))
                or services.start_session(audience=code, partner=partner)
            )
            response = redirect(_step_url(progress))
            # Remembers whose browser this journey is, so that only its owner is offered to change the answers
            # from a result page (the result link itself may be shared).
            response.set_cookie(
                OWNER_COOKIE,
                progress.session.token,
                max_age=settings.DIAGNOSTIC_RESULT_RETENTION_DAYS * 86400,
                secure=not settings.DEBUG,
                httponly=True,
                samesite="Lax",
            )
            return response
    context = {
        "graph": graph,
        "error": error,
        "alert": alert,
        "partner": partner,
        "description": description,
        "situation": situation,
        "chosen_audience": request.POST.get("audience", ""),
        "max_chars": suggestions.triage.MAX_CHARS,
        "title": "Qui est concerné ?",
    }
    return render(request, "diagnostic/start.html", context, status=422 if error else 200)


def _suggest(request, audience: str, description: str, partner):
    """The situations that most resemble the victim's words, to pick one or go on with the questions. The text is
    analysed and shown back in the form, never stored."""
    if is_rate_limited(request, "triage", settings.RATELIMIT_TRIAGE):
        return error_page(
            request,
            engine.DiagnosticError(
                "rate_limited",
                "Trop de descriptions ont été analysées depuis votre connexion. Réessayez dans quelques minutes, "
                "ou répondez aux questions.",
            ),
        )
    found = suggestions.analyse(description, audience)
    context = {
        "triage": found,
        "description": description,
        "audience": audience,
        "audience_label": Audience(audience).label,
        "partner": partner,
        "max_chars": suggestions.triage.MAX_CHARS,
        "title": "Les situations qui ressemblent à la vôtre",
    }
    return render(request, "diagnostic/suggestions.html", context, status=422 if found.refused else 200)


def _start_from_suggestion(audience: str, incident: str, partner=None) -> services.Progress | None:
    """The journey continued at the situation the victim picked among the suggestions; None when it does not
    concern this audience: the victim answers the questions."""
    try:
        return services.start_session(audience=audience, incident=incident, suggested=True, partner=partner)
    except engine.DiagnosticError:
        return None


def _alert_shortcut(alert_id):
    """An active alert that points to an incident type, when the visitor comes from its banner or page."""
    if not alert_id:
        return None
    return next((a for a in banner_alerts() if str(a.id) == str(alert_id) and a.incident_code), None)


def _start_from_alert(audience: str, alert, partner=None) -> services.Progress | None:
    """The journey of the alert's incident type, from its situation questions; None when the alert does not
    concern this audience (the victim then answers the questions)."""
    try:
        return services.start_session(
            audience=audience, incident=alert.incident_code, from_alert=alert.title, partner=partner
        )
    except engine.DiagnosticError:
        return None


def out_of_scope(request, code):
    allow_framing(request, approved_partner(request.GET.get(PARTNER_PARAMETER)))
    version = current_version()
    graph = graph_for_version_id(version.pk) if version else None
    entry = next((e for e in graph.out_of_scope if e.code == code), None) if graph else None
    if entry is None:
        raise Http404
    service = OfficialService.objects.filter(code=entry.service).first()
    return render(request, "diagnostic/out_of_scope.html", {"entry": entry, "service": service, "title": entry.label})


def resume(request, token):
    session = _session_or_404(token)
    allow_framing(request, session.partner)
    try:
        services.ensure_open(session)
        progress = services.progress_of(session)
    except engine.DiagnosticError as error:
        return error_page(request, error, session=session)
    return redirect(_step_url(progress))


@same_origin_post
@require_http_methods(["GET", "POST"])
def question(request, token, question_id):
    session = _session_or_404(token)
    allow_framing(request, session.partner)
    graph = services.graph_of(session)
    if not graph.knows_question(question_id):
        raise Http404
    state = services.state_of(session)
    try:
        services.ensure_open(session)
        # Browsing back to an earlier question shows it again with the answer given, ready to be changed.
        step = engine.resolve(graph, engine.rewind(graph, state, question_id))
    except engine.DiagnosticError as error:
        return error_page(request, error, session=session)
    previous_answer = dict(state.answers).get(question_id)
    form = ChoiceForm(
        request.POST if request.method == "POST" else None, choices=step.choices, initial={"choice": previous_answer}
    )
    if request.method == "POST" and form.is_valid():
        try:
            progress = services.answer(
                session=session, question=question_id, choice=form.cleaned_data["choice"], allow_change=True
            )
        except engine.DiagnosticError as error:
            return error_page(request, error, session=session)
        return redirect(_step_url(progress))
    previous_url = (
        reverse("diagnostic:question", args=[token, step.previous])
        if step.previous
        else reverse("diagnostic:start") + partner_query(session.partner)
    )
    context = {
        "session": session,
        "step": step,
        "form": form,
        "selected": form["choice"].value() or previous_answer,
        "previous_url": previous_url,
        "audience_label": Audience(session.audience).label,
        "start_url": reverse("diagnostic:start") + partner_query(session.partner),
        "title": step.question.text,
        "incident": IncidentType.objects.filter(code=step.incident).first() if step.is_situation else None,
        **_suggested_context(session, graph, state),
    }
    return render(request, "diagnostic/question.html", context, status=422 if form.errors else 200)


def _suggested_context(session, graph: engine.Graph, state: engine.State) -> dict:
    """For a journey continued from a suggestion: the situation picked and the answers filled in from it (while the
    victim has not changed them), each open to change."""
    if not session.suggested_incident:
        return {}
    path = engine.neutral_path(graph, session.audience, session.suggested_incident) or ()
    filled = state.answers[: len(path)] if path and state.answers[: len(path)] == path else ()
    if not filled and state.incident != session.suggested_incident:
        return {}  # the victim changed the answers that came from the suggestion: the journey is theirs now
    answers = []
    for question_id, choice_code in filled:
        question = graph.question_for(session.audience, question_id)
        answers.append(
            {
                "question": question.text,
                "answer": question.choice_for(session.audience, choice_code).label,
                "url": reverse("diagnostic:question", args=[session.token, question_id]),
            }
        )
    return {
        "suggested": IncidentType.objects.filter(code=session.suggested_incident).first(),
        "filled_answers": answers,
    }


@same_origin_post
@require_http_methods(["GET", "POST"])
def describe(request, token):
    """After « je ne trouve pas »: the victim's words are analysed like on the first page; they pick one of the
    situations that resemble it (the journey continues there) or send the description, which staff then read."""
    session = _session_or_404(token)
    allow_framing(request, session.partner)
    graph = services.graph_of(session)
    try:
        step = engine.resolve(graph, services.state_of(session))
    except engine.DiagnosticError as error:
        return error_page(request, error, session=session)
    if not isinstance(step, engine.NotFoundStep):
        return redirect(_step_url(services.progress_of(session)))
    if request.method == "POST" and request.POST.get("situation"):
        try:
            progress = services.continue_with(session=session, incident=request.POST["situation"])
        except engine.DiagnosticError as error:
            return error_page(request, error, session=session)
        return redirect(_step_url(progress))
    form = DescriptionForm(request.POST if request.method == "POST" else None)
    found = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["description"]
        if text and "envoyer" not in request.POST:
            if is_rate_limited(request, "triage", settings.RATELIMIT_TRIAGE):
                found = suggestions.Triage(refused=suggestions.triage.Refused("rate_limited", TRIAGE_LIMITED))
            else:
                found = suggestions.analyse(text, session.audience)
        elif text and is_rate_limited(request, "free-text", settings.RATELIMIT_FREE_TEXT):
            form.add_error(
                "description", "Trop de descriptions ont été envoyées depuis votre connexion. Réessayez plus tard."
            )
        else:
            try:
                progress = services.describe(session=session, description=text)
            except engine.DiagnosticError as error:
                form.add_error("description", error.message)
            else:
                return redirect(_step_url(progress))
    context = {
        "session": session,
        "form": form,
        "triage": found,
        "previous_url": reverse("diagnostic:question", args=[token, step.question]),
        "title": "Décrivez votre situation",
    }
    return render(request, "diagnostic/describe.html", context, status=422 if form.errors else 200)


TRIAGE_LIMITED = (
    "Trop de descriptions ont été analysées depuis votre connexion : envoyez la vôtre telle quelle, ou réessayez "
    "dans quelques minutes."
)


def _result_context(result: DiagnosticResult) -> dict:
    view = compose(result)
    return {"result": result, "view": view, "incident": view.incident, "title": view.title}


def _change_answers_url(request, result: DiagnosticResult) -> str | None:
    """The last question answered, for the browser that made the journey only (the result link may be shared)."""
    session = result.session
    if session is None or not session.answers or request.COOKIES.get(OWNER_COOKIE) != session.token:
        return None
    return reverse("diagnostic:question", args=[session.token, session.answers[-1][0]])


def result(request, token):
    result = get_object_or_404(DiagnosticResult.objects.select_related("incident", "session", "partner"), token=token)
    allow_framing(request, result.partner)
    context = _result_context(result)
    context["change_answers_url"] = _change_answers_url(request, result)
    context["departement_form"] = DepartementForm()
    context["departement_given"] = bool(result.record_id and result.record.departement)
    context.update(sheets_for_incident(result.incident))
    context.update(chat_offer_context(result))
    return render(request, "diagnostic/result.html", context)


def result_print(request, token):
    result = get_object_or_404(DiagnosticResult.objects.select_related("incident"), token=token)
    return render(request, "diagnostic/result_print.html", _result_context(result))


def result_pdf_download(request, token):
    result = get_object_or_404(DiagnosticResult.objects.select_related("incident"), token=token)
    response = HttpResponse(
        result_pdf(compose(result), request.build_absolute_uri(reverse("diagnostic:result", args=[token]))),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = 'attachment; filename="cyberaide-diagnostic.pdf"'
    return response


@same_origin_post
@require_POST
def result_departement(request, token):
    result = get_object_or_404(DiagnosticResult.objects.select_related("partner"), token=token)
    allow_framing(request, result.partner)
    form = DepartementForm(request.POST)
    if not form.is_valid():
        context = _result_context(result)
        context["departement_form"] = form
        return render(request, "diagnostic/result.html", context, status=422)
    services.set_departement(result=result, departement=form.cleaned_data["departement"])
    messages.success(request, "Merci : votre département a été enregistré, sans lien avec votre identité.")
    return redirect(reverse("diagnostic:result", args=[token]) + "#statistiques")
