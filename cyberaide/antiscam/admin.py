"""Staff curation of the anti-scam list: what victims reported, decisions to list or lift, contests, rules, imports.

Every decision goes through ``services`` and is written to the admin log with its reason.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from cyberaide.core.errors import UserError

from . import services
from .domains import site_of
from .models import Category, Contest, ImportBatch, Indicator, Listing, ListingRule, TrustedDomain


class ListingForm(forms.Form):
    category = forms.ChoiceField(label="Catégorie", choices=Category.choices)
    reason = forms.CharField(
        label="Raison affichée au public",
        max_length=300,
        help_text=(
            "Une phrase claire : elle apparaît dans l'avertissement du navigateur et sur la page de vérification."
        ),
    )
    days = forms.IntegerField(
        label="Durée (jours)", min_value=1, max_value=730, initial=settings.ANTISCAM_DEFAULT_LISTING_DAYS
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Raison", max_length=300)


class RenewForm(forms.Form):
    days = forms.IntegerField(label="Prolonger de (jours, à partir d'aujourd'hui)", min_value=1, max_value=730)


class ContestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("uphold", "Accepter : retirer de la liste"), ("reject", "Refuser : maintenir sur la liste")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Réponse envoyée à la personne", widget=forms.Textarea(attrs={"rows": 4}))


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier",
        help_text="Texte ou CSV en UTF-8 : un site, une adresse, un numéro, une adresse e-mail ou un IBAN par ligne "
        "(première colonne). Un nom de domaine seul inscrit tout le site ; une adresse avec un chemin, la seule page.",
    )
    source = forms.CharField(label="Source (partenaire)", max_length=200)
    category = forms.ChoiceField(label="Catégorie", choices=Category.choices)
    reason = forms.CharField(label="Raison affichée au public", max_length=300)
    days = forms.IntegerField(
        label="Durée (jours)", min_value=1, max_value=730, initial=settings.ANTISCAM_DEFAULT_LISTING_DAYS
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("Ce fichier dépasse 20 Mo : découpez-le en plusieurs imports.")
        return upload


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


class ListedFilter(admin.SimpleListFilter):
    title = "sur la liste"
    parameter_name = "liste"

    def lookups(self, request, model_admin):
        return [("oui", "Sur la liste"), ("non", "Pas sur la liste")]

    def queryset(self, request, queryset):
        active = Listing.objects.active().values("indicator")
        if self.value() == "oui":
            return queryset.filter(pk__in=active)
        if self.value() == "non":
            return queryset.exclude(pk__in=active)
        return queryset


class ProposedFilter(admin.SimpleListFilter):
    title = "proposés par une règle"
    parameter_name = "propose"

    def lookups(self, request, model_admin):
        return [("oui", "À examiner")]

    def queryset(self, request, queryset):
        return queryset.filter(proposed_at__isnull=False) if self.value() == "oui" else queryset


class ListingsInline(admin.TabularInline):
    model = Listing
    fields = ["status", "category", "reason", "origin", "listed_at", "listed_by", "expires_at", "end_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """What victims reported. *Inscrire sur la liste* is the staff decision; rules and imports list without it."""

    list_display = [
        "display",
        "kind",
        "proposal",
        "report_count",
        "source_count",
        "first_reported_at",
        "last_reported_at",
        "listed",
    ]
    list_filter = [ProposedFilter, "kind", ListedFilter]
    search_fields = ["value", "display"]
    fields = [
        "kind",
        "display",
        "value",
        "proposal",
        "report_count",
        "source_count",
        "first_reported_at",
        "last_reported_at",
        "incidents",
        "timeline",
        "lookalike",
        "similar",
    ]
    readonly_fields = fields
    actions = ["set_aside"]

    def get_ordering(self, request):
        # What a rule proposed comes first, the newest proposal first: staff decide on it.
        return [F("proposed_at").desc(nulls_last=True), "-source_count", "-report_count"]

    @admin.display(description="proposé par une règle", ordering="proposed_at")
    def proposal(self, obj):
        if obj.proposed_at is None:
            return "—"
        rule = f" ({obj.proposed_by})" if obj.proposed_by_id else ""
        return f"À examiner depuis le {timezone.localtime(obj.proposed_at):%d/%m/%Y %H:%M}{rule}"

    @admin.display(description="signalements par jour (sources indépendantes)")
    def timeline(self, obj):
        rows = (
            obj.reports.values("reported_at")
            .annotate(count=Count("pk"), sources=Count("source_key", distinct=True))
            .order_by("-reported_at")[:15]
        )
        return (
            " ; ".join(
                f"{timezone.localtime(row['reported_at']):%d/%m} : {row['count']} ({row['sources']})" for row in rows
            )
            or "—"
        )

    @admin.display(description="sosie d'une marque protégée")
    def lookalike(self, obj):
        signals = services.lookalike_of_protected_brand(obj)
        return " ; ".join(signal.explanation for signal in signals) or "non"

    @admin.display(description="indicateurs voisins signalés")
    def similar(self, obj):
        host = services.indicator_host(obj)
        if not host:
            return "—"
        site = site_of(host)
        neighbours = Indicator.objects.filter(value__contains=site).exclude(pk=obj.pk).order_by("-source_count")[:8]
        return ", ".join(f"{n.display} ({n.source_count} sources)" for n in neighbours) or "aucun"

    @admin.action(description="Écarter les propositions choisies (ne pas inscrire)")
    def set_aside(self, request, queryset):
        proposed = list(queryset.filter(proposed_at__isnull=False))
        for indicator in proposed:
            services.set_aside(indicator)
            self.log_change(request, indicator, "Proposition écartée")
        self.message_user(
            request,
            f"{len(proposed)} proposition(s) écartée(s) : ils reviendront si de nouvelles sources les signalent.",
        )

    inlines = [ListingsInline]
    change_form_template = "admin/antiscam/indicator/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        active = Listing.objects.active().filter(indicator=OuterRef("pk"))
        return super().get_queryset(request).annotate(is_listed=Exists(active))

    @admin.display(description="sur la liste", boolean=True, ordering="is_listed")
    def listed(self, obj):
        return obj.is_listed

    @admin.display(description="incidents des signalements")
    def incidents(self, obj):
        rows = obj.reports.values("incident_code").annotate(count=Count("pk")).order_by("-count")[:10]
        return ", ".join(f"{row['incident_code'] or 'non précisé'} ({row['count']})" for row in rows) or "—"

    def get_urls(self):
        return [
            path("<int:pk>/inscrire/", self.admin_site.admin_view(self.list_view), name="antiscam_indicator_list"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        indicator = self.get_object(request, object_id)
        extra = {
            "listing_form": ListingForm(),
            "current_listing": services.current_listing(indicator) if indicator else None,
            "can_list": request.user.has_perm("antiscam.add_listing"),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def list_view(self, request, pk):
        indicator = get_object_or_404(Indicator, pk=pk)
        back = redirect(reverse("admin:antiscam_indicator_change", args=[pk]))
        if request.method != "POST":
            return back
        if not request.user.has_perm("antiscam.add_listing"):
            raise PermissionDenied
        form = ListingForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return back
        data = form.cleaned_data
        try:
            listing = services.list_indicator(
                indicator=indicator,
                category=data["category"],
                reason=data["reason"],
                expires_at=timezone.now() + timedelta(days=data["days"]),
                origin=Listing.Origin.STAFF,
                by=request.user,
            )
        except UserError as error:
            messages.error(request, error.message)
            return back
        self.log_addition(request, listing, f"Inscrit sur la liste pour {data['days']} jours : {listing.reason}")
        messages.success(
            request, f"« {indicator.display} » est inscrit sur la liste jusqu'au {listing.expires_at:%d/%m/%Y}."
        )
        return back


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["indicator_display", "status", "category", "origin", "listed_at", "expires_at", "pending_contests"]
    list_filter = ["status", "origin", "category", "indicator__kind"]
    search_fields = ["indicator__value", "indicator__display", "reason"]
    list_select_related = ["indicator"]
    fields = [
        "indicator",
        "status",
        "category",
        "reason",
        "origin",
        "rule",
        "batch",
        "expression",
        "listed_at",
        "listed_by",
        "expires_at",
        "ended_at",
        "ended_by",
        "end_reason",
    ]
    readonly_fields = fields
    change_form_template = "admin/antiscam/listing/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(pending=Count("contests", filter=Q(contests__status=Contest.Status.PENDING)))
        )

    @admin.display(description="indicateur", ordering="indicator__display")
    def indicator_display(self, obj):
        return str(obj.indicator)

    @admin.display(description="contestations à examiner", ordering="pending")
    def pending_contests(self, obj):
        return obj.pending or ""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("<int:pk>/retirer/", self.admin_site.admin_view(self.lift_view), name="antiscam_listing_lift"),
            path("<int:pk>/prolonger/", self.admin_site.admin_view(self.renew_view), name="antiscam_listing_renew"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"lift_form": ReasonForm(), "renew_form": RenewForm()}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _decision(self, request, pk, form_class, action):
        listing = get_object_or_404(Listing, pk=pk)
        back = redirect(reverse("admin:antiscam_listing_change", args=[pk]))
        if request.method != "POST":
            return back
        if not self.has_change_permission(request, listing):
            raise PermissionDenied
        form = form_class(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return back
        try:
            message = action(listing, form.cleaned_data)
        except UserError as error:
            messages.error(request, error.message)
            return back
        self.log_change(request, listing, message)
        messages.success(request, message)
        return back

    def lift_view(self, request, pk):
        def lift(listing, data):
            services.lift_listing(listing, by=request.user, reason=data["reason"])
            return f"Retiré de la liste : {data['reason']}"

        return self._decision(request, pk, ReasonForm, lift)

    def renew_view(self, request, pk):
        def renew(listing, data):
            listing = services.renew_listing(listing, expires_at=timezone.now() + timedelta(days=data["days"]))
            return f"Inscription prolongée jusqu'au {listing.expires_at:%d/%m/%Y}"

        return self._decision(request, pk, RenewForm, renew)


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["address", "name", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["address", "name", "email"]
    fields = [
        "listing_link",
        "address",
        "name",
        "email",
        "message",
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_note",
    ]
    readonly_fields = fields
    change_form_template = "admin/antiscam/contest/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="inscription contestée")
    def listing_link(self, obj):
        url = reverse("admin:antiscam_listing_change", args=[obj.listing_id])
        return format_html('<a href="{}">{}</a>', url, obj.listing)

    def get_urls(self):
        return [
            path("<int:pk>/decider/", self.admin_site.admin_view(self.decide_view), name="antiscam_contest_decide"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "decision_form": ContestDecisionForm(),
            "can_decide": request.user.has_perm("antiscam.decide_contest"),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def decide_view(self, request, pk):
        contest = get_object_or_404(Contest, pk=pk)
        back = redirect(reverse("admin:antiscam_contest_change", args=[pk]))
        if request.method != "POST":
            return back
        if not request.user.has_perm("antiscam.decide_contest"):
            raise PermissionDenied
        form = ContestDecisionForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return back
        uphold = form.cleaned_data["decision"] == "uphold"
        try:
            contest = services.decide_contest(contest, uphold=uphold, note=form.cleaned_data["note"], by=request.user)
        except UserError as error:
            messages.error(request, error.message)
            return back
        self.log_change(request, contest, f"Décision : {contest.get_status_display()} — {contest.decision_note}")
        if uphold:
            self.log_change(request, contest.listing, "Retiré de la liste après une contestation acceptée")
        messages.success(request, f"Décision enregistrée et envoyée à {contest.email}.")
        return back


@admin.register(ListingRule)
class ListingRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "min_sources", "window_days", "duration_days", "is_active"]
    list_filter = ["kind", "is_active"]
    fields = [
        "name",
        "kind",
        "min_sources",
        "window_days",
        "category",
        "reason",
        "duration_days",
        "lists_lookalikes",
        "is_active",
    ]

    def has_delete_permission(self, request, obj=None):
        # A rule that listed something stays, deactivated, so that its listings keep their origin.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.listings.exists())


@admin.register(TrustedDomain)
class TrustedDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "note", "added_at"]
    search_fields = ["domain", "note"]
    fields = ["domain", "note"]

    def save_model(self, request, obj, form, change):
        obj.domain = obj.domain.strip().lower().rstrip(".")
        super().save_model(request, obj, form, change)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["source", "file_name", "imported_at", "imported_by", "line_count", "listed_count"]
    fields = [
        "source",
        "file_name",
        "category",
        "reason",
        "expires_at",
        "line_count",
        "listed_count",
        "skipped",
        "imported_at",
        "imported_by",
    ]
    readonly_fields = fields
    change_list_template = "admin/antiscam/importbatch/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("importer/", self.admin_site.admin_view(self.import_view), name="antiscam_importbatch_import"),
        ] + super().get_urls()

    def import_view(self, request):
        if not (request.user.has_perm("antiscam.add_importbatch") and request.user.has_perm("antiscam.add_listing")):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                batch = services.import_list(
                    content=data["file"].read(),
                    file_name=data["file"].name,
                    source=data["source"],
                    category=data["category"],
                    reason=data["reason"],
                    expires_at=timezone.now() + timedelta(days=data["days"]),
                    by=request.user,
                )
            except UserError as error:
                form.add_error("file", error.message)
            else:
                self.log_addition(
                    request,
                    batch,
                    f"Liste de « {batch.source} » importée : {batch.listed_count} inscrit(s) sur {batch.line_count}",
                )
                messages.success(
                    request,
                    f"{batch.listed_count} indicateur(s) inscrit(s) sur {batch.line_count} ligne(s) ; "
                    f"{len(batch.skipped)} ligne(s) écartée(s).",
                )
                return redirect(reverse("admin:antiscam_importbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Importer la liste d'un partenaire",
            "opts": self.model._meta,
            "form": form,
        }
        return render(request, "admin/antiscam/importbatch/import.html", context)
