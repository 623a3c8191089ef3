from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from cyberaide.core.audiences import Audience
from cyberaide.core.expertise import Expertise

from . import engine, graphs, suggestions
from .models import (
    GraphVersion,
    IncidentType,
    JourneyRecord,
    OfficialService,
    Severity,
    TriageModel,
    UnmatchedReport,
)
from .tasks import train_triage_model


@admin.register(IncidentType)
class IncidentTypeAdmin(admin.ModelAdmin):
    """The taxonomy only: what a result says and offers for each type is edited in the diagnostic's versions."""

    list_display = ["name", "code", "audiences"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(OfficialService)
class OfficialServiceAdmin(admin.ModelAdmin):
    """A service's code is what the rules name: it cannot change once created."""

    list_display = ["name", "code", "phone", "url", "audiences"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


class GraphImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier (YAML ou JSON)",
        help_text="Une version entière exportée d'ici, ou un questionnaire seul : ses règles et ses textes sont "
        "alors ceux de la version publiée.",
    )
    note = forms.CharField(label="Ce qui change", max_length=300, required=False)


YAML_WIDGET = {"rows": 30, "cols": 110, "spellcheck": "false"}


class GraphVersionForm(forms.ModelForm):
    """A draft's questionnaire and rules, each written in YAML; both are checked together, with the texts."""

    data_text = forms.CharField(label="Questionnaire (YAML)", widget=forms.Textarea(attrs=YAML_WIDGET))
    rules_text = forms.CharField(
        label="Questions de situation et règles (YAML)",
        widget=forms.Textarea(attrs=YAML_WIDGET),
        help_text="Vide pour reprendre celles de la version publiée.",
        required=False,
    )

    class Meta:
        model = GraphVersion
        fields = ["note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.instance if self.instance.pk else graphs.published_version()
        if self.instance.pk:
            self.fields["data_text"].initial = graphs.export_graph(self.instance)
        if source is not None:
            self.fields["rules_text"].initial = graphs.export_rules(source)
        self.advice = source.advice if source is not None else {}

    def _parsed(self, name):
        try:
            return graphs.parse_graph_file(self.cleaned_data[name])
        except engine.InvalidGraph as error:
            self.add_error(name, error.problems)
            return None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = self._parsed("data_text")
        rules = self._parsed("rules_text") if cleaned.get("rules_text", "").strip() else None
        if rules is None and not cleaned.get("rules_text", "").strip():
            published = graphs.published_version()
            rules = published.rules if published else {}
        if self.errors:
            return cleaned
        graph_problems = engine.validate_graph_data(data, graphs.incident_audiences())
        if graph_problems:
            self.add_error("data_text", graph_problems)
            return cleaned
        problems = graphs.validate(data, rules, self.advice, complete=False)
        if problems:
            self.add_error("rules_text", problems)
        cleaned["data"], cleaned["rules"] = data, rules
        return cleaned


class AdviceForm(forms.Form):
    """The texts of one incident for one audience group; lists are written one item per line."""

    summary = forms.CharField(label="Ce qui se passe", widget=forms.Textarea(attrs={"rows": 5, "cols": 120}))
    actions = forms.CharField(
        label="Que faire maintenant (une étape par ligne, la plus urgente d'abord)",
        widget=forms.Textarea(attrs={"rows": 14, "cols": 120}),
    )
    evidence = forms.CharField(
        label="Les preuves à conserver (une par ligne)", widget=forms.Textarea(attrs={"rows": 6, "cols": 120})
    )
    complaint_how = forms.CharField(
        label="Comment porter plainte", widget=forms.Textarea(attrs={"rows": 5, "cols": 120})
    )

    @staticmethod
    def initial_for(texts: dict) -> dict:
        return {
            "summary": texts.get("summary", ""),
            "actions": "\n".join(texts.get("actions", [])),
            "evidence": "\n".join(texts.get("evidence", [])),
            "complaint_how": texts.get("complaint_how", ""),
        }

    def texts(self) -> dict:
        def lines(name):
            return [line.strip() for line in self.cleaned_data[name].splitlines() if line.strip()]

        return {
            "summary": self.cleaned_data["summary"].strip(),
            "actions": lines("actions"),
            "evidence": lines("evidence"),
            "complaint_how": self.cleaned_data["complaint_how"].strip(),
        }


GROUP_TITLES = {"particulier": "Pour les particuliers", "professionnel": "Pour les professionnels"}
MAX_CHANGES_SHOWN = 500
PART_WORDS = {"level": "gravité", "chat": "discussion 17Cyber", "providers": "prestataires", "services": "services"}


def change_rows(comparison: engine.Comparison, draft: engine.Graph) -> list[dict]:
    """The differences, worded for staff: incident, audience, situation, and the offers before and after."""
    incidents = dict(IncidentType.objects.values_list("code", "name"))
    services = dict(OfficialService.objects.values_list("code", "name"))
    expertise = dict(Expertise.choices)

    def offer(value: engine.Offer | None) -> dict | None:
        if value is None:
            return None
        return {
            "level": Severity(value.level).label,
            "chat": "oui" if value.chat else "non",
            "providers": ", ".join(expertise.get(code, code) for code in value.expertise) or "non",
            "services": [services.get(code, code) for code in value.services],
        }

    rows = []
    for change in comparison.changes[:MAX_CHANGES_SHOWN]:
        only = "" if change.in_before and change.in_after else ("brouillon" if change.in_after else "publiée")
        situation = []
        for question_id, code in change.facts:
            question = draft.question_for(change.audience, question_id)
            choice = question.choice_for(change.audience, code) if question else None
            situation.append(f"{question.text if question else question_id} → {choice.label if choice else code}")
        rows.append(
            {
                "incident": incidents.get(change.incident, change.incident),
                "audience": Audience(change.audience).label,
                "situation": situation,
                "before": offer(change.before),
                "after": offer(change.after),
                "changed": change.changed_parts,
                "changed_words": ", ".join(PART_WORDS[part] for part in change.changed_parts),
                "only_in": only,
            }
        )
    return rows


@admin.register(GraphVersion)
class GraphVersionAdmin(admin.ModelAdmin):
    """Staff edit a draft (questionnaire, situation rules, result texts), which is checked on every save, see what
    it changes for victims, then publish it. Published versions are frozen."""

    list_display = ["number", "status", "note", "created_at", "published_at", "published_by"]
    list_filter = ["status"]
    form = GraphVersionForm
    change_form_template = "admin/diagnostic/graphversion/change_form.html"
    change_list_template = "admin/diagnostic/graphversion/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_published:
            return ["number", "status", "note", "created_at", "created_by", "published_at", "published_by"]
        return ["number", "status", "created_at", "created_by"]

    def get_fields(self, request, obj=None):
        if obj and obj.is_published:
            return self.get_readonly_fields(request, obj)
        return ["note", "data_text", "rules_text"] + (["number", "status"] if obj else [])

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data, rules = form.cleaned_data["data"], form.cleaned_data["rules"]
        if change:
            graphs.save_draft(obj, data=data, rules=rules, note=obj.note)
            obj.refresh_from_db()
        else:
            new = graphs.create_draft(data=data, rules=rules, advice=form.advice, by=request.user, note=obj.note)
            obj.pk, obj.number = new.pk, new.number

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not obj.is_published:
            context["incidents"] = self._incident_texts(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _incident_texts(self, version):
        """Every incident type with the texts the draft has for it, and those still to write."""
        missing = set(graphs.missing_texts(version))
        return [
            {
                "code": incident.code,
                "name": incident.name,
                "groups": [
                    (GROUP_TITLES[group], (incident.code, group) not in missing)
                    for group in engine.groups_of(incident.audiences)
                ],
            }
            for incident in IncidentType.objects.order_by("name")
        ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/publier/", view(self.publish_view), name="diagnostic_graphversion_publish"),
            path("<int:pk>/exporter/", view(self.export_view), name="diagnostic_graphversion_export"),
            path("<int:pk>/copier/", view(self.copy_view), name="diagnostic_graphversion_copy"),
            path("<int:pk>/conseils/<slug:code>/", view(self.advice_view), name="diagnostic_graphversion_advice"),
            path("importer/", view(self.import_view), name="diagnostic_graphversion_import"),
        ] + super().get_urls()

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **extra}

    def publish_view(self, request, pk):
        """GET shows what the draft changes for victims; POST publishes it, if it is still what was shown."""
        version = GraphVersion.objects.get(pk=pk)
        if not self.has_change_permission(request, version):
            return redirect(reverse("admin:diagnostic_graphversion_change", args=[pk]))
        if request.method != "POST":
            try:
                draft, comparison = graphs.compare_with_published(version)
            except engine.InvalidGraph as error:
                for problem in error.problems:
                    messages.error(request, problem)
                return redirect(reverse("admin:diagnostic_graphversion_change", args=[pk]))
            names = dict(IncidentType.objects.values_list("code", "name"))
            context = self._context(
                request,
                f"Ce que la version {version.number} change pour les victimes",
                original=version,
                compared=comparison.compared,
                changed=len(comparison.changes),
                shown=MAX_CHANGES_SHOWN,
                rows=change_rows(comparison, draft),
                published=graphs.current_version(),
                digest=graphs.digest(version),
                missing=[
                    f"{names.get(code, code)} ({GROUP_TITLES[group].lower()})"
                    for code, group in graphs.missing_texts(version)
                ],
            )
            return render(request, "admin/diagnostic/graphversion/publish.html", context)
        try:
            graphs.publish(version, by=request.user, seen=request.POST.get("digest", ""))
        except engine.InvalidGraph as error:
            for problem in error.problems:
                messages.error(request, problem)
            messages.error(request, "La version n'a pas été publiée : corrigez les problèmes ci-dessus.")
            return redirect(reverse("admin:diagnostic_graphversion_change", args=[pk]))
        self.log_change(request, version, "Version publiée")
        messages.success(request, f"La version {version.number} est publiée : les nouveaux diagnostics l'utilisent.")
        return redirect(reverse("admin:diagnostic_graphversion_changelist"))

    def advice_view(self, request, pk, code):
        """Edit the result texts of one incident in a draft, for each audience group it concerns."""
        version = GraphVersion.objects.get(pk=pk)
        incident = IncidentType.objects.filter(code=code).first()
        if incident is None:
            raise Http404
        if not self.has_change_permission(request, version):
            return redirect(reverse("admin:diagnostic_graphversion_change", args=[pk]))
        texts = version.advice.get(code, {})
        bound = request.method == "POST"
        forms_by_group = {
            group: AdviceForm(
                request.POST if bound else None, prefix=group, initial=AdviceForm.initial_for(texts.get(group, {}))
            )
            for group in engine.groups_of(incident.audiences)
        }
        if bound and all(form.is_valid() for form in forms_by_group.values()):
            advice = {**version.advice, code: {group: form.texts() for group, form in forms_by_group.items()}}
            try:
                graphs.save_draft(version, advice=advice)
            except engine.InvalidGraph as error:
                for problem in error.problems:
                    messages.error(request, problem)
            else:
                self.log_change(request, version, f"Textes modifiés : {incident.name}")
                messages.success(request, f"Les textes « {incident.name} » sont enregistrés dans le brouillon.")
                return redirect(reverse("admin:diagnostic_graphversion_change", args=[pk]))
        context = self._context(
            request,
            f"Textes du résultat : {incident.name}",
            original=version,
            forms=[(GROUP_TITLES[group], form) for group, form in forms_by_group.items()],
        )
        return render(request, "admin/diagnostic/graphversion/advice.html", context, status=422 if bound else 200)

    def export_view(self, request, pk):
        version = GraphVersion.objects.get(pk=pk)
        response = HttpResponse(graphs.export_version(version), content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="diagnostic-v{version.number}.yaml"'
        return response

    def copy_view(self, request, pk):
        if request.method != "POST" or not self.has_add_permission(request):
            return redirect(reverse("admin:diagnostic_graphversion_changelist"))
        source = GraphVersion.objects.get(pk=pk)
        try:
            draft = graphs.create_draft(
                data=source.data,
                rules=source.rules,
                advice=source.advice,
                by=request.user,
                note=f"Copie de la version {source.number}",
            )
        except engine.InvalidGraph as error:
            for problem in error.problems:
                messages.error(request, problem)
            return redirect(reverse("admin:diagnostic_graphversion_change", args=[pk]))
        self.log_addition(request, draft, f"Copie de la version {source.number}")
        return redirect(reverse("admin:diagnostic_graphversion_change", args=[draft.pk]))

    def import_view(self, request):
        form = GraphImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
        if request.method == "POST" and form.is_valid() and self.has_add_permission(request):
            try:
                content = graphs.parse_graph_file(form.cleaned_data["file"].read().decode("utf-8", errors="replace"))
                data, rules, advice = graphs.split_version_file(content, fallback=graphs.published_version())
                draft = graphs.create_draft(
                    data=data, rules=rules, advice=advice, by=request.user, note=form.cleaned_data["note"]
                )
            except engine.InvalidGraph as error:
                for problem in error.problems:
                    form.add_error("file", problem)
            else:
                self.log_addition(request, draft, "Importée depuis un fichier")
                messages.success(request, f"Brouillon {draft.number} importé : relisez-le puis publiez-le.")
                return redirect(reverse("admin:diagnostic_graphversion_change", args=[draft.pk]))
        context = self._context(request, "Importer une version du diagnostic", form=form)
        return render(request, "admin/diagnostic/graphversion/import.html", context)


class LabelForm(forms.ModelForm):
    """What staff recognise in a description: an incident type (it then joins the triage's corpus at the next
    training) or a new type of situation."""

    label = forms.ChoiceField(
        label="Situation reconnue",
        required=False,
        help_text="Le type de situation que décrit la victime. Une description classée rejoint le corpus du tri des "
        "descriptions au prochain entraînement ; « Nouveau type » signale une situation que le diagnostic ne "
        "couvre pas encore.",
    )

    class Meta:
        model = UnmatchedReport
        fields = ["label"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        incidents = [(code, name) for code, name in IncidentType.objects.order_by("name").values_list("code", "name")]
        self.fields["label"].choices = (
            [("", "— Pas encore classée —")] + incidents + [(UnmatchedReport.NEW_TYPE, "Nouveau type de situation")]
        )


@admin.register(UnmatchedReport)
class UnmatchedReportAdmin(admin.ModelAdmin):
    """Staff read the situations the diagnostic did not cover (the first sign of a new scam wave) and label them,
    which teaches the free-text triage."""

    form = LabelForm
    list_display = ["created_at", "audience", "question", "short_text", "status", "label"]
    list_filter = ["status", "audience", "label"]
    search_fields = ["text"]
    fields = ["text", "triage_suggestions", "label", "audience", "question", "graph_version", "created_at", "status"]
    readonly_fields = [
        "text",
        "triage_suggestions",
        "audience",
        "question",
        "graph_version",
        "created_at",
        "status",
        "reviewed_by",
        "reviewed_at",
        "labelled_by",
        "labelled_at",
    ]
    actions = ["mark_reviewed"]

    @admin.display(description="description")
    def short_text(self, obj):
        return obj.text[:120]

    @admin.display(description="ce que le tri des descriptions propose")
    def triage_suggestions(self, obj):
        found = suggestions.analyse(obj.text, obj.audience)
        if found.refused:
            return found.message
        return " ; ".join(f"{offer.incident.name} ({offer.percent} %)" for offer in found.offers)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "label" in form.changed_data:
            suggestions.label(obj, form.cleaned_data["label"], by=request.user)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Marquer comme lues")
    def mark_reviewed(self, request, queryset):
        count = queryset.filter(status=UnmatchedReport.Status.NEW).update(
            status=UnmatchedReport.Status.REVIEWED, reviewed_by=request.user, reviewed_at=timezone.now()
        )
        for report in queryset:
            self.log_change(request, report, "Marquée comme lue")
        self.message_user(request, f"{count} description(s) marquée(s) comme lue(s).")


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin):
    """The trainings of the free-text triage and their figures. Staff put one in service once they have read its
    figures; the corpus (shipped and labelled) can be downloaded to review or ship."""

    list_display = ["__str__", "examples", "labelled_count", "top1", "top3", "active"]
    readonly_fields = [
        "created_at",
        "trained_by",
        "examples",
        "labelled_count",
        "top1",
        "top3",
        "weakest",
        "confusions",
        "fingerprint",
        "shipped_digest",
        "active",
        "activated_at",
        "activated_by",
    ]
    fields = readonly_fields
    actions = ["put_in_service"]
    change_list_template = "admin/diagnostic/triagemodel/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="descriptions classées")
    def labelled_count(self, obj):
        return len(obj.labelled)

    @admin.display(description="bonne situation en premier")
    def top1(self, obj):
        return f"{obj.figures['top1']:.1%}" if obj.figures else "—"

    @admin.display(description="parmi les trois premières")
    def top3(self, obj):
        return f"{obj.figures['top3']:.1%}" if obj.figures else "—"

    @admin.display(description="les moins bien reconnues")
    def weakest(self, obj):
        per_incident = (obj.figures or {}).get("per_incident", {})
        ranked = sorted(per_incident.items(), key=lambda item: item[1]["top1"])[:8]
        return " ; ".join(f"{code} : {figures['top1']:.0%}" for code, figures in ranked) or "—"

    @admin.display(description="confusions les plus fréquentes")
    def confusions(self, obj):
        entries = (obj.figures or {}).get("confusions", [])
        return " ; ".join(f"{c['expected']} → {c['suggested']} ({c['count']})" for c in entries) or "—"

    @admin.action(description="Mettre en service le modèle choisi")
    def put_in_service(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choisissez un seul modèle à mettre en service.", messages.ERROR)
            return
        model = suggestions.put_in_service(queryset.get(), by=request.user)
        self.log_change(request, model, "Mis en service")
        self.message_user(request, f"{model} est en service : les suggestions viennent désormais de lui.")

    def get_urls(self):
        extra = [
            path("corpus/", self.admin_site.admin_view(self.export_view), name="diagnostic_triagemodel_export"),
            path("entrainer/", self.admin_site.admin_view(self.train_view), name="diagnostic_triagemodel_train"),
        ]
        return extra + super().get_urls()

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(suggestions.export_corpus(), content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="cyberaide-corpus-tri.yaml"'
        return response

    def train_view(self, request):
        if request.method != "POST" or not request.user.has_perm("diagnostic.add_triagemodel"):
            raise PermissionDenied
        train_triage_model.enqueue(request.user.pk)
        messages.success(
            request,
            "Entraînement lancé : le nouveau modèle apparaît dans cette liste avec ses résultats dès qu'il est prêt. "
            "Mettez-le en service après les avoir lus.",
        )
        return redirect(reverse("admin:diagnostic_triagemodel_changelist"))


@admin.register(JourneyRecord)
class JourneyRecordAdmin(admin.ModelAdmin):
    """Read-only: the observatory counts these records, and counts again only the days whose records changed."""

    list_display = ["started_at", "audience", "outcome_kind", "incident_code", "channel", "departement"]
    list_filter = ["outcome_kind", "audience", "channel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
