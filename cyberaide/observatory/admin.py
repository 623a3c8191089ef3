"""The observatory in the back office: surges, groups of "je n'ai pas trouvé" descriptions, published months."""

from datetime import timedelta
from functools import partial
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from cyberaide.antiscam.selectors import most_reported
from cyberaide.core.errors import UserError
from cyberaide.diagnostic.models import UnmatchedReport

from . import annual_views, grouping, services, watch
from .models import PublishedMonth, ReportGroup, Surge

# The suggestions are computed on the descriptions not yet grouped, most recent first.
GROUPING_LIMIT = 5000
# What a decision opens, and so the rights it needs.
DECISION_PERMISSIONS = {
    ReportGroup.Decision.NEW_INCIDENT: {"diagnostic.add_graphversion", "diagnostic.add_incidenttype"},
    ReportGroup.Decision.JOURNEY_CHANGE: {"diagnostic.add_graphversion"},
}


def _percent(share: float) -> str:
    return f"{share * 100:.1f} %".replace(".", ",")


class SurgeStateFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("en-cours", "En cours"), ("terminee", "Terminée")]

    def queryset(self, request, queryset):
        if self.value() == "en-cours":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "terminee":
            return queryset.filter(ended_on__isnull=False)
        return queryset


@admin.register(Surge)
class SurgeAdmin(admin.ModelAdmin):
    """Current and past surges, each with its evidence; staff acknowledge them and say what they did."""

    list_display = ["label", "first_day", "last_day", "state", "share_text", "baseline_text", "acknowledged"]
    list_filter = [SurgeStateFilter]
    fields = [
        "label",
        "first_day",
        "last_day",
        "ended_on",
        "peak_day",
        "observed",
        "expected",
        "share_text",
        "baseline_text",
        "z_score",
        "raised_at",
        "acknowledged_by",
        "acknowledged_at",
        "evidence",
        "reported_indicators",
        "note",
    ]
    readonly_fields = [field for field in fields if field != "note"]
    actions = ["acknowledge"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="état")
    def state(self, obj):
        return "En cours" if obj.is_current else f"Terminée le {obj.ended_on:%d/%m/%Y}"

    @admin.display(description="part des parcours")
    def share_text(self, obj):
        return _percent(obj.share)

    @admin.display(description="part habituelle")
    def baseline_text(self, obj):
        return _percent(obj.baseline_share)

    @admin.display(description="prise en compte", boolean=True)
    def acknowledged(self, obj):
        return obj.acknowledged_at is not None

    @admin.display(description="jour le plus fort et mêmes jours des semaines précédentes")
    def evidence(self, obj):
        days = [obj.peak_day - timedelta(weeks=week) for week in range(watch.DEFAULT_THRESHOLDS.baseline_weeks + 1)]
        counts = watch.day_counts(days[-1], days[0])
        rows = []
        for day in days:
            found = counts.get(day)
            if found is None:
                rows.append((f"{day:%d/%m/%Y}", "—", "—", "—"))
                continue
            observed = found.by_incident.get(obj.incident, 0)
            share = _percent(observed / found.total) if found.total else "—"
            today = " (journée en cours)" if day == timezone.localdate() else ""
            rows.append((f"{day:%d/%m/%Y}{today}", observed, found.total, share))
        body = format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "<table><caption>Parcours par jour (tous publics)</caption><thead><tr><th scope='col'>Jour</th>"
            "<th scope='col'>Ce type d'incident</th><th scope='col'>Tous les parcours</th><th scope='col'>Part</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            body,
        )

    @admin.display(description="ce que les victimes ont signalé pendant la hausse")
    def reported_indicators(self, obj):
        indicators = most_reported(incident_code=obj.incident, first_day=obj.first_day, last_day=obj.last_day)
        if not indicators:
            return "Aucun lien, numéro, adresse ni IBAN signalé pour ce type d'incident pendant la hausse."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> : {} signalement(s){}</li>',
                (
                    (
                        reverse("admin:antiscam_indicator_change", args=[indicator.pk]),
                        str(indicator),
                        indicator.period_reports,
                        " — sur la liste" if indicator.is_listed else "",
                    )
                    for indicator in indicators
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        services.acknowledge_surge(obj, by=request.user, note=form.cleaned_data.get("note", ""))

    @admin.action(description="Marquer comme prises en compte", permissions=["change"])
    def acknowledge(self, request, queryset):
        for surge in queryset.filter(acknowledged_at__isnull=True):
            services.acknowledge_surge(surge, by=request.user)
            self.log_change(request, surge, "Prise en compte")
        self.message_user(request, "Hausses marquées comme prises en compte.")


class GroupCreationForm(forms.Form):
    name = forms.CharField(label="Nom du groupe", max_length=120)
    reports = forms.CharField(widget=forms.HiddenInput)

    def clean_reports(self) -> list[int]:
        values = self.cleaned_data["reports"].split(",")
        if len(values) > GROUPING_LIMIT or not all(value.isdigit() and len(value) <= 12 for value in values):
            raise forms.ValidationError("La liste des descriptions est illisible : rechargez la page.")
        return [int(value) for value in values]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[choice for choice in ReportGroup.Decision.choices if choice[0] != ReportGroup.Decision.OPEN],
    )
    incident_code = forms.SlugField(
        label="Code du type d'incident (nouveau ou concerné)",
        max_length=60,
        required=False,
        help_text="Pour un nouveau type : un code stable, en minuscules (par exemple faux_cpf).",
    )


class ReportsInline(admin.TabularInline):
    model = ReportGroup.reports.through
    verbose_name = "description"
    verbose_name_plural = "descriptions du groupe"
    extra = 0
    can_delete = False
    fields = ["text", "audience", "received"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="description")
    def text(self, obj):
        return obj.unmatchedreport.text

    @admin.display(description="public")
    def audience(self, obj):
        return obj.unmatchedreport.audience

    @admin.display(description="reçue le")
    def received(self, obj):
        return obj.unmatchedreport.created_at


@admin.register(ReportGroup)
class ReportGroupAdmin(admin.ModelAdmin):
    """Descriptions grouped by staff. *Regrouper les descriptions* proposes groups of similar texts; a decision
    turns a group into a new incident type or a change of the questionnaire (a draft to edit and publish)."""

    list_display = ["name", "size", "decision", "incident_code", "created_at", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["name", "note"]
    fields = ["name", "note", "decision", "incident_code", "created_by", "created_at", "decided_by", "decided_at"]
    readonly_fields = ["decision", "incident_code", "created_by", "created_at", "decided_by", "decided_at"]
    inlines = [ReportsInline]
    change_list_template = "admin/observatory/reportgroup/change_list.html"
    change_form_template = "admin/observatory/reportgroup/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(report_count=Count("reports"))

    @admin.display(description="descriptions", ordering="report_count")
    def size(self, obj):
        return obj.report_count

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path("regrouper/", self.admin_site.admin_view(self.suggest_view), name="observatory_reportgroup_suggest"),
            path(
                "<int:pk>/decider/",
                self.admin_site.admin_view(self.decide_view),
                name="observatory_reportgroup_decide",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "decision_form": DecisionForm()}
        return super().change_view(request, object_id, form_url, extra_context)

    def suggest_view(self, request):
        if not (self.has_change_permission(request) and request.user.has_perm("diagnostic.view_unmatchedreport")):
            raise PermissionDenied
        if request.method == "POST":
            form = GroupCreationForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    messages.error(request, errors[0])
                return redirect(reverse("admin:observatory_reportgroup_suggest"))
            try:
                group = services.create_group(
                    name=form.cleaned_data["name"], report_ids=form.cleaned_data["reports"], by=request.user
                )
            except UserError as error:
                messages.error(request, error.message)
                return redirect(reverse("admin:observatory_reportgroup_suggest"))
            self.log_addition(request, group, f"Groupe créé avec {group.reports.count()} description(s)")
            for report in group.reports.all():
                self.log_change(request, report, f"Marquée comme lue (groupe « {group.name} »)")
            messages.success(request, f"Groupe « {group.name} » créé.")
            return redirect(reverse("admin:observatory_reportgroup_change", args=[group.pk]))
        reports = list(UnmatchedReport.objects.filter(groups__isnull=True).order_by("-created_at")[:GROUPING_LIMIT])
        by_key = {report.pk: report for report in reports}
        clusters = grouping.cluster([grouping.Text(report.pk, report.text) for report in reports])
        suggestions = [
            {
                "terms": cluster.terms,
                "reports": [by_key[key] for key in cluster.keys],
                "form": GroupCreationForm(
                    auto_id=f"id_groupe{index}_%s",
                    initial={
                        "name": ", ".join(cluster.terms[:3]).capitalize(),
                        "reports": ",".join(str(key) for key in cluster.keys),
                    },
                ),
            }
            for index, cluster in enumerate(clusters)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Regrouper les situations non trouvées",
            "opts": self.model._meta,
            "suggestions": suggestions,
            "ungrouped": len(reports),
        }
        return render(request, "admin/observatory/reportgroup/suggest.html", context)

    def decide_view(self, request, pk):
        group = get_object_or_404(ReportGroup, pk=pk)
        back = redirect(reverse("admin:observatory_reportgroup_change", args=[pk]))
        if request.method != "POST" or not self.has_change_permission(request, group):
            return back
        form = DecisionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return back
        needed = DECISION_PERMISSIONS.get(form.cleaned_data["decision"], set())
        missing = {permission for permission in needed if not request.user.has_perm(permission)}
        if missing:
            messages.error(
                request, "Cette décision ouvre un brouillon du questionnaire : il faut le droit de le modifier."
            )
            return back
        try:
            draft = services.decide(
                group,
                decision=form.cleaned_data["decision"],
                incident_code=form.cleaned_data["incident_code"],
                by=request.user,
            )
        except UserError as error:
            messages.error(request, error.message)
            return back
        group.refresh_from_db()
        self.log_change(request, group, f"Décision : {group.get_decision_display()}")
        if draft is not None:
            self.log_addition(request, draft, f"Brouillon ouvert pour le groupe « {group.name} »")
        if group.decision == ReportGroup.Decision.NEW_INCIDENT:
            messages.success(
                request,
                "Décision enregistrée. Décrivez le nouveau type d'incident, puis ajoutez-le au brouillon "
                f"{draft.number if draft else ''} du questionnaire et publiez-le.",
            )
            query = urlencode({"code": group.incident_code, "name": group.name})
            return redirect(f"{reverse('admin:diagnostic_incidenttype_add')}?{query}")
        if draft is not None:
            messages.success(request, f"Décision enregistrée. Modifiez le brouillon {draft.number}, puis publiez-le.")
            return redirect(reverse("admin:diagnostic_graphversion_change", args=[draft.pk]))
        messages.success(request, "Décision enregistrée.")
        return back


@admin.register(PublishedMonth)
class PublishedMonthAdmin(admin.ModelAdmin):
    """The months published on the public observatory (frozen; `rebuild_observatory --republier` recomputes them)."""

    list_display = ["__str__", "threshold", "published_at", "cell_count"]
    change_list_template = "admin/observatory/publishedmonth/change_list.html"

    def get_urls(self):
        return [
            path(
                "bilan/",
                self.admin_site.admin_view(partial(annual_views.report_view, self)),
                name="observatory_publishedmonth_annual",
            ),
            path(
                "bilan/pdf/",
                self.admin_site.admin_view(partial(annual_views.pdf_view, self)),
                name="observatory_publishedmonth_annual_pdf",
            ),
        ] + super().get_urls()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cells_total=Count("cells"))

    @admin.display(description="cases")
    def cell_count(self, obj):
        return obj.cells_total

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
