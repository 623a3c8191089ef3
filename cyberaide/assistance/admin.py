"""Back office: assistance requests (read only) and the moderation of ratings."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse

from cyberaide.core.admin import HistoryInline

from . import services
from .models import AssistanceRequest, InterventionReport, Rating, RequestEvent


class EventInline(HistoryInline):
    model = RequestEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "reason")


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(admin.ModelAdmin):
    """Staff see requests to follow the service, not to act in the provider's place: everything is read-only."""

    list_display = ("reference", "kind", "provider", "incident", "departement", "status", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("reference", "provider__legal_name")
    exclude = ("follow_up_token_hash",)
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "follow_up_token_hash"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InterventionReport)
class InterventionReportAdmin(admin.ModelAdmin):
    list_display = ("request", "incident_confirmed", "incident", "outcome", "created_at")
    list_filter = ("outcome", "incident_confirmed")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the observatory counts reports; they stay


class RejectForm(forms.Form):
    reason = forms.CharField(label="Motif du refus", widget=forms.Textarea(attrs={"rows": 2}))


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("request", "score", "comment", "status", "created_at")
    list_filter = ("status",)
    actions = ["publish"]
    change_form_template = "admin/assistance/rating/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Publier les avis sélectionnés")
    def publish(self, request, queryset):
        published = 0
        for rating in queryset.filter(status=Rating.Status.PENDING):
            services.moderate(rating, publish=True, by=request.user)
            self.log_change(request, rating, "Avis publié")
            published += 1
        messages.success(request, f"{published} avis publié(s).")

    def get_urls(self):
        return [
            path(
                "<int:pk>/moderer/", self.admin_site.admin_view(self.moderate_view), name="assistance_rating_moderate"
            ),
        ] + super().get_urls()

    def moderate_view(self, request, pk):
        rating = get_object_or_404(Rating, pk=pk)
        back = redirect(reverse("admin:assistance_rating_change", args=[pk]))
        if request.method != "POST" or not self.has_change_permission(request, rating):
            return back
        publish = request.POST.get("decision") == "publish"
        try:
            services.moderate(rating, publish=publish, by=request.user, reason=request.POST.get("reason", ""))
        except services.AssistanceError as error:
            messages.error(request, error.message)
            return back
        self.log_change(request, rating, "Avis publié" if publish else "Avis refusé")
        messages.success(request, "Avis publié." if publish else "Avis refusé.")
        return redirect(reverse("admin:assistance_rating_changelist"))
