"""The public observatory and its open data. Everything here reads published cells only."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from cyberaide.core.ratelimit import is_rate_limited

from . import charts, opendata, selectors
from .forms import DownloadForm, PeriodForm, default_filters
from .models import PublishedMonth
from .publication import ALL
from .selectors import AUDIENCE_PLURALS, month_label


def _filters(request, months):
    """The filters asked for, over the defaults; unknown parameters are ignored."""
    data = default_filters(months)
    data.update({name: request.GET[name] for name in ("debut", "fin", "public") if name in request.GET})
    return data


# The figures of a period and audience change only when a month is published: they are drawn once and kept.
FIGURES_CACHE_SECONDS = 3600


@require_safe
def overview(request):
    months, stamp = selectors.publication_state()
    context = {
        "title": "Observatoire de la menace",
        "months": months,
        "delay_days": settings.OBSERVATORY_PUBLICATION_DELAY_DAYS,
        "threshold": settings.OBSERVATORY_THRESHOLD,
    }
    if not months:
        return render(request, "observatory/overview.html", context)
    form = PeriodForm(_filters(request, months), months=months)
    context["form"] = form
    if not form.is_valid():
        return render(request, "observatory/overview.html", context, status=400)
    filters = {name: form.cleaned_data[name] for name in ("debut", "fin", "public")}
    key = "observatory:figures:" + ":".join([stamp, *filters.values()])
    figures = cache.get(key)
    if figures is None:
        # Drawing figures not yet drawn costs the server: a robot asking for every period in turn is slowed down.
        if is_rate_limited(request, "observatory-figures", settings.RATELIMIT_OBSERVATORY):
            context["refused"] = True
            return render(request, "observatory/overview.html", context, status=429)
        figures = _figures(form.selected_months(), filters)
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    context["figures"] = mark_safe(figures)  # rendered by our own template, which escapes what it shows
    return render(request, "observatory/overview.html", context)


def _figures(months, filters: dict) -> str:
    """The charts and tables of a period and audience, as HTML."""
    view = selectors.overview(months, filters["public"])
    tables = selectors.tables(view)
    period = selectors.period_label(view.months)
    charts_svg = _charts(view, period)
    return render_to_string(
        "observatory/_figures.html",
        {
            "view": view,
            "tables": tables,
            "total_text": selectors.figure_text(view.total),
            "threat_sections": [
                (audience, AUDIENCE_PLURALS[audience], table, charts_svg["threats"][audience])
                for audience, table in tables["threats"]
            ],
            "period": period,
            "audience_label": "tous les publics" if view.audience == ALL else AUDIENCE_PLURALS[view.audience].lower(),
            "charts": charts_svg,
            "download_query": urlencode(filters),
        },
    )


def _point(label: str, figure, hidden_text: str | None = None) -> charts.Point:
    partial = figure.is_published and not figure.complete
    return charts.Point(label, figure.chart_value, hidden_text, at_least=partial)


def _charts(view: selectors.Overview, period: str) -> dict:
    evolution = charts.line_chart(
        [_point(month_label(month), figure) for month, figure, _ in view.series],
        title=f"Parcours de diagnostic terminés chaque mois, {period}",
        description="Nombre de parcours par mois ; le tableau qui suit donne les mêmes chiffres.",
        id_prefix="evolution",
    )
    threats = [
        (
            audience,
            charts.bar_chart(
                [_point(row.label, row.figure, row.text) for row in rows],
                title=f"Menaces les plus fréquentes : {AUDIENCE_PLURALS[audience].lower()}, {period}",
                description="Nombre de parcours par type d'incident ; le tableau qui suit donne les mêmes chiffres.",
                id_prefix=f"menaces-{audience}",
            ),
        )
        for audience, _, rows in view.threats
    ]
    regions = charts.bar_chart(
        [_point(row.label, row.figure, row.text) for row in view.regions],
        title=f"Parcours par région, tous publics, {period}",
        description="Nombre de parcours par région de la victime ; le tableau qui suit donne les mêmes chiffres.",
        id_prefix="regions",
    )
    follow_ups = charts.share_bars(
        [
            (f"{label} — {AUDIENCE_PLURALS[audience]}", selectors.share_value(yes[dimension], total))
            for dimension, label in selectors.FOLLOW_UP_LABELS.items()
            if dimension != "suite-plainte"
            for audience, total, yes in view.follow_ups
        ],
        title=f"Part des situations graves et des parcours qui ont mené à une aide, {period}",
        description="Pourcentage des parcours dont la situation a été jugée grave, puis de ceux suivis d'une demande "
        "à un prestataire ou d'une discussion 17Cyber.",
        id_prefix="suites",
    )
    return {
        "evolution": mark_safe(evolution),  # the charts escape every text they draw
        "threats": {audience: mark_safe(svg) for audience, svg in threats},
        "regions": mark_safe(regions),
        "follow_ups": mark_safe(follow_ups),
    }


@require_safe
def open_data(request):
    months, _ = selectors.publication_state()
    context = {
        "title": "Données ouvertes de l'observatoire",
        "schema": opendata.SCHEMA,
        "months": months,
        "first_month": selectors.full_month_label(months[0]) if months else "",
        "last_month": selectors.full_month_label(months[-1]) if months else "",
        "delay_days": settings.OBSERVATORY_PUBLICATION_DELAY_DAYS,
        "threshold": settings.OBSERVATORY_THRESHOLD,
        "withheld": PublishedMonth.objects.filter(withheld=True).count(),
    }
    return render(request, "observatory/open_data.html", context)


def _download(request, render_rows, content_type: str, extension: str):
    form = DownloadForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.first_error(), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_rows(**form.filters()), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cyberaide-observatoire-parcours.{extension}"'
    return response


@require_safe
def cells_csv(request):
    return _download(request, opendata.csv_text, "text/csv; charset=utf-8", "csv")


@require_safe
def cells_json(request):
    return _download(request, opendata.json_text, "application/json", "json")


@require_safe
def schema(request):
    return JsonResponse(opendata.SCHEMA, json_dumps_params={"ensure_ascii": False, "indent": 2})
