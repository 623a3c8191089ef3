from django import template

from ..forms import ReportTextForm
from ..models import ResultReport

register = template.Library()


@register.inclusion_tag("antiscam/_report_box.html", takes_context=True)
def indicator_report_box(context, result):
    """At the end of a diagnostic: what the scammer used, once per result."""
    return {
        "result": result,
        "sent": ResultReport.objects.filter(result=result).first(),
        "form": ReportTextForm(auto_id="indices_%s"),
        "csrf_token": context.get("csrf_token"),
    }
