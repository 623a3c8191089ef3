from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from . import engine, graphs
from .models import GraphVersion, IncidentService, IncidentType, JourneyRecord, OfficialService, UnmatchedReport


class IncidentServiceInline(admin.TabularInline):
    model = IncidentService
    extra = 0
    ordering = ["position"]


@admin.register(IncidentType)
class IncidentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "severity", "complaint", "chat_offered"]
    list_filter = ["severity", "chat_offered"]
    search_fields = ["name", "code"]
    inlines = [IncidentServiceInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(OfficialService)
class OfficialServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "phone", "url"]
    search_fields = ["name", "code"]


class GraphImportForm(forms.Form):
    file = forms.FileField(label="Fichier du questionnaire (YAML ou JSON)")
    note = forms.CharField(label="Ce qui change", max_length=300, required=False)


class GraphVersionForm(forms.ModelForm):
    data_text = forms.CharField(
        label="Questionnaire (YAML)", widget=forms.Textarea(attrs={"rows": 40, "cols": 110, "spellcheck": "false"})
    )

    class Meta:
        model = GraphVersion
        fields = ["note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["data_text"].initial = graphs.export_graph(self.instance)

    def clean_data_text(self):
        try:
            data = graphs.parse_graph_file(self.cleaned_data["data_text"])
            problems = graphs.validate(data)
        except engine.InvalidGraph as error:
            problems = error.problems
        if problems:
            raise ValidationError(problems)
        return data


@admin.register(GraphVersion)
class GraphVersionAdmin(admin.ModelAdmin):
    """Staff edit a draft, which is validated on every save, then publish it. Published versions are frozen."""

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
        return ["note", "data_text"] + (["number", "status"] if obj else [])

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data["data_text"]
        if change:
            obj.data = data
            obj.save()
        else:
            new = graphs.create_draft(data=data, by=request.user, note=obj.note)
            obj.pk, obj.number = new.pk, new.number

    def get_urls(self):
        return [
            path(
                "<int:pk>/publier/",
                self.admin_site.admin_view(self.publish_view),
                name="diagnostic_graphversion_publish",
            ),
            path(
                "<int:pk>/exporter/",
                self.admin_site.admin_view(self.export_view),
                name="diagnostic_graphversion_export",
            ),
            path("<int:pk>/copier/", self.admin_site.admin_view(self.copy_view), name="diagnostic_graphversion_copy"),
            path("importer/", self.admin_site.admin_view(self.import_view), name="diagnostic_graphversion_import"),
        ] + super().get_urls()

    def publish_view(self, request, pk):
        version = GraphVersion.objects.get(pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, version):
            return redirect(reverse("admin:diagnostic_graphversion_change", args=[pk]))
        try:
            graphs.publish(version, by=request.user)
        except engine.InvalidGraph as error:
            for problem in error.problems:
                messages.error(request, problem)
            messages.error(request, "La version n'a pas été publiée : corrigez les problèmes ci-dessus.")
            return redirect(reverse("admin:diagnostic_graphversion_change", args=[pk]))
        self.log_change(request, version, "Version publiée")
        messages.success(request, f"La version {version.number} est publiée : les nouveaux diagnostics l'utilisent.")
        return redirect(reverse("admin:diagnostic_graphversion_changelist"))

    def export_view(self, request, pk):
        version = GraphVersion.objects.get(pk=pk)
        response = HttpResponse(graphs.export_graph(version), content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="questionnaire-v{version.number}.yaml"'
        return response

    def copy_view(self, request, pk):
        if request.method != "POST" or not self.has_add_permission(request):
            return redirect(reverse("admin:diagnostic_graphversion_changelist"))
        source = GraphVersion.objects.get(pk=pk)
        draft = graphs.create_draft(data=source.data, by=request.user, note=f"Copie de la version {source.number}")
        self.log_addition(request, draft, f"Copie de la version {source.number}")
        return redirect(reverse("admin:diagnostic_graphversion_change", args=[draft.pk]))

    def import_view(self, request):
        form = GraphImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
        if request.method == "POST" and form.is_valid() and self.has_add_permission(request):
            try:
                data = graphs.parse_graph_file(form.cleaned_data["file"].read().decode("utf-8", errors="replace"))
                draft = graphs.create_draft(data=data, by=request.user, note=form.cleaned_data["note"])
            except engine.InvalidGraph as error:
                for problem in error.problems:
                    form.add_error("file", problem)
            else:
                self.log_addition(request, draft, "Importée depuis un fichier")
                messages.success(request, f"Brouillon {draft.number} importé : relisez-le puis publiez-le.")
                return redirect(reverse("admin:diagnostic_graphversion_change", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Importer un questionnaire",
            "opts": self.model._meta,
        }
        return render(request, "admin/diagnostic/graphversion/import.html", context)


@admin.register(UnmatchedReport)
class UnmatchedReportAdmin(admin.ModelAdmin):
    """Staff read the situations the diagnostic did not cover: the first sign of a new scam wave."""

    list_display = ["created_at", "audience", "question", "short_text", "status"]
    list_filter = ["status", "audience"]
    search_fields = ["text"]
    readonly_fields = [
        "text",
        "audience",
        "question",
        "graph_version",
        "created_at",
        "status",
        "reviewed_by",
        "reviewed_at",
    ]
    actions = ["mark_reviewed"]

    @admin.display(description="description")
    def short_text(self, obj):
        return obj.text[:120]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Marquer comme lues")
    def mark_reviewed(self, request, queryset):
        count = queryset.filter(status=UnmatchedReport.Status.NEW).update(
            status=UnmatchedReport.Status.REVIEWED, reviewed_by=request.user, reviewed_at=timezone.now()
        )
        for report in queryset:
            self.log_change(request, report, "Marquée comme lue")
        self.message_user(request, f"{count} description(s) marquée(s) comme lue(s).")


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
