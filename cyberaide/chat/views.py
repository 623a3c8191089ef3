"""The 17Cyber pages. Every page works without JavaScript (plain forms, a redirect after each post); with
JavaScript, chat.js talks over the WebSocket and falls back to the JSON answers of the same addresses."""

import logging
import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cyberaide.accounts.decorators import verified_required
from cyberaide.core.ratelimit import is_rate_limited
from cyberaide.diagnostic.models import DiagnosticResult
from cyberaide.partners.framing import allow_framing, same_origin_post

from . import services
from .forms import CloseForm, MessageForm, OpenChatForm, TransferForm
from .lifecycle import SHEET_OUTCOMES, Author, Outcome
from .models import Agent, CannedAnswer, Conversation
from .presentation import status_payload, sync_payload
from .transcript import transcript_text

logger = logging.getLogger("cyberaide.chat")


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def offer_context(result: DiagnosticResult) -> dict:
    """What the result page needs to offer the chat."""
    if not services.chat_available_for(result):
        return {"chat_offered": False}
    return {"chat_offered": True, "online": services.online_agents_by_force(), "chat_form": OpenChatForm()}


# ---- Victim ----------------------------------------------------------------------------------------------------


@same_origin_post
@require_http_methods(["GET", "POST"])
def open_chat(request, result_token):
    result = get_object_or_404(DiagnosticResult.objects.select_related("incident", "partner"), token=result_token)
    if not services.chat_available_for(result):
        raise Http404
    allow_framing(request, result.partner)
    candidates = ()
    form = OpenChatForm()
    if request.method == "POST":
        try:
            commune, candidates = services.resolve_commune(
                request.POST.get("postcode", ""), request.POST.get("commune", "")
            )
        except services.ChatError as error:
            commune = None
            form = OpenChatForm(request.POST)
            form.is_valid()
            form.add_error("postcode", error.message)
        else:
            form = OpenChatForm(request.POST, communes=candidates if len(candidates) > 1 else ())
            if form.is_valid() and commune is None:
                form.add_error("commune", "Choisissez votre commune dans la liste.")
        if form.is_valid() and commune is not None:
            if is_rate_limited(request, "chat-open", settings.RATELIMIT_CHAT_OPEN):
                form.add_error(
                    None, "Trop de discussions ont été ouvertes depuis votre connexion. Réessayez plus tard."
                )
            else:
                conversation, token = services.open_conversation(result=result, commune=commune)
                return redirect("chat:conversation", token=token)
    context = {
        "result": result,
        "form": form,
        "online": services.online_agents_by_force(),
        "title": "Parler à un policier ou un gendarme",
    }
    return render(request, "chat/open.html", context, status=422 if form.errors else 200)


def _victim_conversation(token: str, *, even_erased: bool = False) -> Conversation:
    conversation = services.conversation_for_token(token)
    if conversation is None or (conversation.purged_at is not None and not even_erased):
        raise Http404
    return conversation


def _message_json(message, created: bool) -> dict:
    return {"type": "ack", "client_id": message.client_id, "seq": message.seq, "created": created}


def _post(request, conversation: Conversation, *, author: Author, agent: Agent | None, form: MessageForm):
    """Store a posted message; returns an error text or None."""
    if not form.is_valid():
        logger.warning("chat refused: invalid form on %s (%s)", conversation.reference, author)
        return next(iter(form.errors.values()))[0]
    try:
        message, created = services.post_message(
            conversation,
            author=author,
            agent=agent,
            body=form.cleaned_data["body"],
            client_id=form.cleaned_data["client_id"],
            limit_rate=True,
        )
    except services.RateLimited as error:
        logger.warning("chat refused: rate_limited on %s (%s)", conversation.reference, author)
        request.refusal_code = "rate_limited"
        return error.message
    except services.ChatError as error:
        logger.warning("chat refused: %s on %s (%s)", error.field or "state", conversation.reference, author)
        return error.message
    request.posted = (message, created)
    return None


def _conversation_page(request, conversation, *, author, agent, template, context):
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        error = _post(request, conversation, author=author, agent=agent, form=form)
        if wants_json(request):
            if error:
                code = getattr(request, "refusal_code", "refused")
                return JsonResponse({"type": "error", "code": code, "message": error}, status=422)
            return JsonResponse(_message_json(*request.posted))
        if error is None:
            return redirect(request.path + "#dernier-message")
        if not form.errors:
            form.add_error("body", error)
    return _render_conversation(request, conversation, agent=agent, template=template, context=context, form=form)


def _render_conversation(request, conversation, *, agent, template, context, form, status=None):
    conversation.refresh_from_db()
    shown = services.messages_after(conversation, limit=None)
    context.update(
        conversation=conversation,
        chat_messages=shown,
        # What the page resumes from: the last message drawn, not the conversation's counter read a moment before.
        last_shown_seq=shown[-1].seq if shown else 0,
        status=status_payload(conversation, agent=agent),
        form=form,
    )
    return render(request, template, context, status=status or (422 if form.errors else 200))


@never_cache
@same_origin_post
@require_http_methods(["GET", "POST"])
def conversation(request, token):
    conversation = _victim_conversation(token, even_erased=True)
    allow_framing(request, conversation.partner)
    if conversation.purged_at is not None:
        return render(request, "chat/purged.html", {"title": "Discussion effacée"}, status=410)
    context = {
        "token": token,
        "title": "Discussion avec la police ou la gendarmerie",
        "ws_url": f"/ws/17cyber/discussion/{token}/",
        "result_token": conversation.result.token if conversation.result_id else None,
        "retention_days": settings.CHAT_RETENTION_DAYS,
    }
    return _conversation_page(
        request, conversation, author=Author.VICTIM, agent=None, template="chat/conversation.html", context=context
    )


def _sync_json(conversation, request, agent=None) -> JsonResponse:
    try:
        after = int(request.GET.get("apres", "0"))
    except ValueError:
        return JsonResponse({"type": "error", "message": "Position de reprise invalide."}, status=400)
    return JsonResponse(sync_payload(conversation, after, agent=agent))


@never_cache
@require_GET
def conversation_messages(request, token):
    return _sync_json(_victim_conversation(token), request)


@same_origin_post
@require_POST
def leave(request, token):
    conversation = _victim_conversation(token)
    try:
        services.leave(conversation)
    except services.ChatError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, "Vous avez quitté la discussion. Vous pouvez télécharger sa transcription.")
    return redirect("chat:conversation", token=token)


def _transcript_response(conversation, *, for_agent: bool = False) -> HttpResponse:
    response = HttpResponse(
        transcript_text(conversation, for_agent=for_agent), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="17cyber-{conversation.reference}.txt"'
    return response


@never_cache
@require_GET
def transcript(request, token):
    return _transcript_response(_victim_conversation(token))


# ---- Agents -----------------------------------------------------------------------------------------------------


def agent_required(view):
    """Signed in with both factors and holding an active 17Cyber agent account."""

    @never_cache
    @verified_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        agent = Agent.objects.filter(user=request.user, is_active=True).first()
        if agent is None:
            logger.warning("chat agent page refused: not an active agent")
            return render(request, "chat/not_agent.html", {"title": "Accès réservé aux agents"}, status=403)
        request.agent = agent
        return view(request, *args, **kwargs)

    return wrapper


def _console_context(agent: Agent) -> dict:
    return {
        "agent": agent,
        "queue": services.queue_for(agent),
        "held": services.held_by(agent),
        "online": services.online_agents_by_force(),
    }


@agent_required
@require_GET
def console(request):
    agent = request.agent
    if agent.on_duty:
        services.heartbeat(agent.pk)
    context = _console_context(agent)
    if request.GET.get("fragment"):
        return render(request, "chat/_console_lists.html", context)
    context["title"] = "Console 17Cyber"
    return render(request, "chat/console.html", context)


@agent_required
@require_POST
def duty(request):
    on_duty = request.POST.get("on_duty") == "1"
    services.set_on_duty(request.agent, on_duty)
    flash.success(request, "Vous êtes en service." if on_duty else "Vous n'êtes plus en service.")
    return redirect("chat:console")


@agent_required
@require_POST
def claim(request, reference):
    conversation = get_object_or_404(Conversation, reference=reference, force=request.agent.force)
    try:
        services.claim(conversation, agent=request.agent)
    except services.ChatError as error:
        flash.error(request, error.message)
        return redirect("chat:console")
    return redirect("chat:agent_conversation", reference=reference)


def _held(request, reference) -> Conversation:
    """A conversation this agent holds or held; any other gives a 404."""
    return get_object_or_404(
        Conversation.objects.select_related("incident", "agent"), reference=reference, agent=request.agent
    )


def _agent_context(agent: Agent, conversation: Conversation, *, close_form=None) -> dict:
    return {
        "title": f"Discussion {conversation.reference}",
        "agent": agent,
        "ws_url": f"/ws/17cyber/agent/{conversation.reference}/",
        "canned": [a for a in CannedAnswer.objects.filter(is_active=True) if not a.forces or agent.force in a.forces],
        "close_form": close_form or CloseForm(),
        "transfer_form": TransferForm(agents=_transfer_targets(agent)),
        "canned_client_id": str(uuid.uuid4()),
    }


@agent_required
@require_http_methods(["GET", "POST"])
def agent_conversation(request, reference):
    conversation = _held(request, reference)
    return _conversation_page(
        request,
        conversation,
        author=Author.AGENT,
        agent=request.agent,
        template="chat/agent_conversation.html",
        context=_agent_context(request.agent, conversation),
    )


def _transfer_targets(agent: Agent) -> list[Agent]:
    return [a for a in Agent.objects.filter(is_active=True, on_duty=True).exclude(pk=agent.pk) if a.is_online]


@agent_required
@require_GET
def agent_messages(request, reference):
    return _sync_json(_held(request, reference), request, agent=request.agent)


@agent_required
@require_POST
def send_canned(request, reference):
    conversation = _held(request, reference)
    answer = CannedAnswer.objects.filter(code=request.POST.get("canned", ""), is_active=True).first()
    if answer is None or (answer.forces and request.agent.force not in answer.forces):
        flash.error(request, "Choisissez une réponse type dans la liste.")
    else:
        try:
            services.post_message(
                conversation,
                author=Author.AGENT,
                agent=request.agent,
                body=answer.body,
                client_id=request.POST.get("client_id", ""),
            )
        except services.ChatError as error:
            flash.error(request, error.message)
    return redirect(reverse("chat:agent_conversation", args=[reference]) + "#dernier-message")


@agent_required
@require_POST
def transfer(request, reference):
    conversation = _held(request, reference)
    form = TransferForm(request.POST, agents=_transfer_targets(request.agent))
    if not form.is_valid():
        flash.error(request, "Choisissez un agent en service ou une file d'attente.")
        return redirect("chat:agent_conversation", reference=reference)
    kind, _, target = form.cleaned_data["to"].partition("-")
    try:
        if kind == "agent":
            services.transfer_to_agent(conversation, agent=request.agent, to_agent=Agent.objects.get(pk=int(target)))
        else:
            services.transfer_to_queue(conversation, agent=request.agent, force=target)
    except services.ChatError as error:
        flash.error(request, error.message)
        return redirect("chat:agent_conversation", reference=reference)
    flash.success(request, f"La discussion {reference} a été transférée.")
    return redirect("chat:console")


@agent_required
@require_POST
def close(request, reference):
    conversation = _held(request, reference)
    form = CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        sheet = services.SheetDraft(unit=data["unit"], evidence=data["evidence"], note=data["note"])
        try:
            services.close(conversation, agent=request.agent, outcome=data["outcome"], sheet=sheet)
        except services.ChatError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            flash.success(request, f"La discussion {reference} est terminée.")
            if Outcome(data["outcome"]) in SHEET_OUTCOMES:
                return redirect("chat:sheet", reference=reference)
            return redirect("chat:console")
    return _render_conversation(
        request,
        conversation,
        agent=request.agent,
        template="chat/agent_conversation.html",
        context=_agent_context(request.agent, conversation, close_form=form),
        form=MessageForm(),
        status=422,
    )


@agent_required
@require_GET
def sheet(request, reference):
    conversation = _held(request, reference)
    if not hasattr(conversation, "sheet"):
        raise Http404
    services.event(conversation, "sheet_viewed", agent=request.agent)
    context = {
        "conversation": conversation,
        "sheet": conversation.sheet,
        "chat_messages": services.messages_after(conversation, limit=None),
        "title": f"Fiche de transmission {conversation.reference}",
    }
    return render(request, "chat/sheet.html", context)


@agent_required
@require_GET
def agent_transcript(request, reference):
    conversation = _held(request, reference)
    services.event(conversation, "transcript", agent=request.agent)
    return _transcript_response(conversation, for_agent=True)
