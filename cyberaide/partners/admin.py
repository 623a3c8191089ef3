"""Back office: partners' applications, approved with their sites (each decision in the admin log and e-mailed)."""

from django import forms
from django.contrib import admin, messages

from . import services
from .models import Partner
from .origins import OriginError, parse_origins


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label="Site principal", assume_scheme="https")
    allowed_origins = forms.CharField(
        label="Sites autorisés à afficher le module",
        help_text="Une adresse par ligne, sans page (https://www.exemple.fr).",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Partner
        fields = ["name", "kind", "website", "allowed_origins", "contact_name", "contact_email", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["allowed_origins"] = "\n".join(self.instance.allowed_origins)

    def clean_allowed_origins(self):
        try:
            return parse_origins(self.cleaned_data["allowed_origins"])
        except OriginError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ("name", "kind", "status", "created_at", "decided_at")
    list_filter = ("status", "kind")
    search_fields = ("name", "contact_email")
    readonly_fields = ("status", "key", "snippet", "created_at", "decided_at", "decided_by", "decision_note")
    actions = ["approve", "refuse", "suspend"]

    @admin.display(description="Ligne à coller par le partenaire")
    def snippet(self, partner):
        return services.snippet(partner) if partner.pk else ""

    def _decide(self, request, queryset, status, label):
        for partner in queryset:
            services.decide(partner, status, by=request.user)
            self.log_change(request, partner, label)
        messages.success(request, f"{queryset.count()} partenaire(s) : {label.lower()}.")

    @admin.action(description="Approuver (le module s'affiche sur leurs sites)")
    def approve(self, request, queryset):
        self._decide(request, queryset, Partner.Status.APPROVED, "Approuvé")

    @admin.action(description="Refuser la demande")
    def refuse(self, request, queryset):
        self._decide(request, queryset, Partner.Status.REFUSED, "Refusé")

    @admin.action(description="Suspendre (le module disparaît de leurs sites)")
    def suspend(self, request, queryset):
        self._decide(request, queryset, Partner.Status.SUSPENDED, "Suspendu")
