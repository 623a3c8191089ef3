"""Back office for 17Cyber: agents' accounts, which force covers which commune, canned answers, and the
conversations' metadata (not their messages: staff follow the service, they do not read victims' words)."""

from django import forms
from django.contrib import admin

from cyberaide.core import communes
from cyberaide.core.admin import HistoryInline

from . import services
from .models import Agent, CannedAnswer, CommuneCoverage, Conversation, ConversationEvent


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ("display_name", "force", "unit", "is_active", "on_duty", "last_seen_at")
    list_filter = ("force", "is_active", "on_duty")
    search_fields = ("display_name", "user__username", "unit")
    raw_id_fields = ("user",)
    readonly_fields = ("on_duty", "last_seen_at")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and not obj.is_active:
            # Access withdrawn: at once off duty, and the conversations held go back to the queue.
            services.withdraw(obj)


class CommuneCoverageForm(forms.ModelForm):
    class Meta:
        model = CommuneCoverage
        fields = ["insee_code", "force", "note"]

    def clean_insee_code(self):
        code = self.cleaned_data["insee_code"].strip().upper()
        if communes.commune_by_code(code) is None:
            raise forms.ValidationError("Aucune commune n'a ce code INSEE.")
        return code


@admin.register(CommuneCoverage)
class CommuneCoverageAdmin(admin.ModelAdmin):
    form = CommuneCoverageForm
    list_display = ("insee_code", "commune_name", "force", "note", "updated_at", "updated_by")
    list_filter = ("force",)
    search_fields = ("insee_code", "commune_name")

    def save_model(self, request, obj, form, change):
        obj.commune_name = communes.commune_by_code(obj.insee_code).name
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "forces", "position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("title", "body")


class EventInline(HistoryInline):
    model = ConversationEvent
    fields = ("at", "action", "agent", "detail")


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("reference", "incident", "force", "departement", "status", "outcome", "opened_at", "agent")
    list_filter = ("status", "force", "outcome")
    search_fields = ("reference",)
    fields = (
        "reference",
        "status",
        "force",
        "agent",
        "incident",
        "audience",
        "departement",
        "partner",
        "opened_at",
        "claimed_at",
        "closed_at",
        "outcome",
        "purged_at",
    )
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
