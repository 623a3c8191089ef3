"""The annual report in the back office: the page and its PDF. ``PublishedMonthAdmin.get_urls`` wraps both in
``admin_site.admin_view`` (signed-in staff who passed the second factor); here they also need the permission to
read the observatory's published months."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import annual, annual_pdf

PERMISSION = "observatory.view_annual_report"


def _check_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _requested_year(request, years: list[int]) -> int:
    """The year asked for (ValueError with a French message if it is not one), by default the last complete year
    with data, or the current one."""
    text = request.GET.get("annee", "").strip()
    if text:
        return annual.parse_year(text)
    current = timezone.localdate().year
    return next((year for year in years if year < current), current)


def document_context(figures: annual.AnnualFigures) -> dict:
    """What both the back-office page and the standalone document show."""
    return {
        "title": annual.title(figures),
        "figures": figures,
        "period": annual.period_text(figures),
        "internal_note": annual.INTERNAL_NOTE,
        "produced": annual.produced_text(figures),
        "sections": annual.sections(figures),
        "chart": mark_safe(annual.month_chart(figures)),  # the charts escape every text they draw
    }


def _page(model_admin, request, *, years: list[int], year: int | None, context: dict, status: int = 200):
    shown_years = sorted({*years, year or timezone.localdate().year}, reverse=True)
    return render(
        request,
        "admin/observatory/annual_report.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "Bilan annuel",
            "opts": model_admin.model._meta,
            "years": shown_years,
            "year": year,
            **context,
        },
        status=status,
    )


def _year_or_refusal(model_admin, request) -> tuple[int | None, HttpResponse | None]:
    """The year asked for, or the page explaining why it cannot be shown (status 400)."""
    _check_permission(request)
    years = annual.years_with_data()
    try:
        return _requested_year(request, years), None
    except ValueError as error:
        return None, _page(model_admin, request, years=years, year=None, context={"error": str(error)}, status=400)


def report_view(model_admin, request):
    year, refusal = _year_or_refusal(model_admin, request)
    if refusal:
        return refusal
    context = document_context(annual.key_figures(year))
    return _page(model_admin, request, years=annual.years_with_data(), year=year, context=context)


def pdf_view(model_admin, request):
    year, refusal = _year_or_refusal(model_admin, request)
    if refusal:
        return refusal
    response = HttpResponse(annual_pdf.render_pdf(annual.key_figures(year)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cyberaide-bilan-{year}.pdf"'
    return response
