"""Back office: the review queue, decisions with their reasons, and the ExpertCyber label. Every decision goes
through ``services`` (state machine, history, e-mail) and is also written to the admin log."""

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse

from cyberaide.core.admin import HistoryInline

from . import services, workflow
from .models import CharterVersion, Label, Provider, ProviderTransition


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label="Décision")
    reason = forms.CharField(
        label="Motif (envoyé au prestataire)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LabelForm(forms.Form):
    valid_from = forms.DateField(label="Valable du", widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label="Valable jusqu'au", widget=forms.DateInput(attrs={"type": "date"}))


class TransitionInline(HistoryInline):
    model = ProviderTransition
    fields = ("at", "from_status", "to_status", "by", "reason")


class LabelInline(HistoryInline):
    model = Label
    fields = ("valid_from", "valid_until", "granted_by", "granted_at", "revoked_at", "revoked_reason")


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("legal_name", "siret", "commune_name", "departement", "status", "updated_at")
    list_filter = ("status", "remote", "departement")
    search_fields = ("legal_name", "siret", "commune_name")
    ordering = ("-updated_at",)
    inlines = [TransitionInline, LabelInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    change_form_template = "admin/providers/provider/change_form.html"
    readonly_fields = (
        "owner",
        "status",
        "referenced_since",
        "clientele_display",
        "expertise_display",
        "departements_display",
        "rating_sum",
        "rating_count",
        "created_at",
        "updated_at",
    )
    fields = (
        ("legal_name", "siret"),
        ("street", "postcode", "commune_name", "departement"),
        ("phone", "public_email", "website"),
        "description",
        "clientele_display",
        "expertise_display",
        ("departements_display", "radius_km", "remote"),
        "price_statement",
        ("status", "referenced_since"),
        ("rating_sum", "rating_count"),
        "owner",
        ("created_at", "updated_at"),
    )

    @admin.display(description="Clientèle")
    def clientele_display(self, obj):
        return ", ".join(obj.clientele_labels())

    @admin.display(description="Compétences")
    def expertise_display(self, obj):
        return ", ".join(obj.expertise_labels())

    @admin.display(description="Départements")
    def departements_display(self, obj):
        return ", ".join(obj.departements) or "—"

    def has_add_permission(self, request):
        return False  # providers apply themselves

    def has_delete_permission(self, request, obj=None):
        return False  # the history of decisions is kept

    def change_view(self, request, object_id, form_url="", extra_context=None):
        provider = get_object_or_404(Provider, pk=object_id)
        decision = DecisionForm()
        decision.fields["action"].choices = [
            (action.code, action.label) for action in workflow.actions_from(provider.status, staff=True)
        ]
        today = date.today()
        extra_context = {
            **(extra_context or {}),
            "decision_form": decision if decision.fields["action"].choices else None,
            "label_form": LabelForm(initial={"valid_from": today, "valid_until": today.replace(year=today.year + 2)})
            if provider.is_referenced
            else None,
            "current_label": provider.current_label(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/decision/",
                self.admin_site.admin_view(self.decision_view),
                name="providers_provider_decision",
            ),
            path("<int:pk>/label/", self.admin_site.admin_view(self.label_view), name="providers_provider_label"),
            path(
                "<int:pk>/retirer-label/",
                self.admin_site.admin_view(self.revoke_label_view),
                name="providers_provider_revoke_label",
            ),
        ] + super().get_urls()

    def back(self, pk):
        return redirect(reverse("admin:providers_provider_change", args=[pk]))

    def decision_view(self, request, pk):
        provider = get_object_or_404(Provider, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, provider):
            return self.back(pk)
        action = request.POST.get("action", "")
        if action not in workflow.ACTIONS or not workflow.ACTIONS[action].by_staff:
            messages.error(request, "Cette décision n'existe pas.")
            return self.back(pk)
        try:
            transition = services.change_status(
                provider, action, by=request.user, reason=request.POST.get("reason", "")
            )
        except services.ApplicationError as error:
            messages.error(request, error.message)
            return self.back(pk)
        self.log_change(
            request, provider, f"{transition.get_from_status_display()} → {transition.get_to_status_display()}"
        )
        messages.success(
            request,
            f"Décision enregistrée : {transition.get_to_status_display()}. Le prestataire est prévenu par e-mail.",
        )
        return self.back(pk)

    def label_view(self, request, pk):
        provider = get_object_or_404(Provider, pk=pk)
        form = LabelForm(request.POST or None)
        if request.method != "POST" or not self.has_change_permission(request, provider):
            return self.back(pk)
        if not form.is_valid():
            messages.error(request, "Indiquez des dates de validité correctes.")
            return self.back(pk)
        try:
            services.grant_label(provider, by=request.user, **form.cleaned_data)
        except services.ApplicationError as error:
            messages.error(request, error.message)
            return self.back(pk)
        self.log_change(request, provider, "Label ExpertCyber accordé")
        messages.success(request, "Label ExpertCyber accordé.")
        return self.back(pk)

    def revoke_label_view(self, request, pk):
        provider = get_object_or_404(Provider, pk=pk)
        label = provider.current_label()
        if request.method != "POST" or label is None or not self.has_change_permission(request, provider):
            return self.back(pk)
        try:
            services.revoke_label(label, by=request.user, reason=request.POST.get("reason", ""))
        except services.ApplicationError as error:
            messages.error(request, error.message)
            return self.back(pk)
        self.log_change(request, provider, "Label ExpertCyber retiré")
        messages.success(request, "Label ExpertCyber retiré.")
        return self.back(pk)


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "title", "published_at")

    def get_readonly_fields(self, request, obj=None):
        # A version that providers accepted must stay as they read it.
        if obj is not None and obj.acceptances.exists():
            return ("version", "title", "summary", "sections", "published_at")
        return ()
