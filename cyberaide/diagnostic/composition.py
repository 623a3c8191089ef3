"""What a result says, put together once for every page that shows it: the result page, the printable summary,
the PDF, the API and the partners' module.

The assessment stored with the result (severity and its reasons, services, provider skills, the first actions)
is joined to the texts of the version the result was made with, for the victim's audience.
"""

from dataclasses import dataclass, field

from cyberaide.core.audiences import Audience

from .graphs import content_for_number, current_content
from .models import SEVERITY_ADVICE, ComplaintAdvice, DiagnosticResult, IncidentType, OfficialService, Severity

# What the "je ne trouve pas" result offers everyone.
GENERIC_ACTIONS = (
    "Ne payez rien et ne donnez aucun code, mot de passe ou coordonnée bancaire à la personne qui vous contacte.",
    "Conservez tout : messages, adresses de sites, numéros, captures d'écran, relevés bancaires.",
    "Si de l'argent a été débité ou si un virement est parti, appelez votre banque tout de suite.",
    "Changez le mot de passe des comptes concernés depuis un appareil de confiance et activez la double "
    "authentification.",
    "Si vous avez subi un préjudice, portez plainte au commissariat ou à la brigade de gendarmerie, ou faites une "
    "pré-plainte en ligne.",
)
GENERIC_SERVICES = ("info_escroqueries", "police_complaint", "france_victimes")


@dataclass(frozen=True)
class ResultView:
    result: DiagnosticResult
    incident: IncidentType | None
    title: str
    audience_label: str
    severity: str = ""  # empty when no incident was recognised
    reasons: tuple[str, ...] = ()
    summary: str = ""
    actions: tuple[str, ...] = GENERIC_ACTIONS
    situation_actions: int = 0  # how many of ``actions`` come from the victim's situation
    evidence: tuple[str, ...] = ()
    complaint: str = ""
    complaint_how: str = ""
    services: list[OfficialService] = field(default_factory=list)
    chat_offered: bool = False
    expertise: tuple[str, ...] = ()

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label if self.severity else ""

    @property
    def severity_advice(self) -> str:
        return SEVERITY_ADVICE.get(self.severity, "")

    @property
    def complaint_label(self) -> str:
        return ComplaintAdvice(self.complaint).label if self.complaint else ""

    @property
    def provider_help(self) -> bool:
        return bool(self.expertise)

    @property
    def service_codes(self) -> list[str]:
        return [service.code for service in self.services]


def services_in_order(codes) -> list[OfficialService]:
    found = {service.code: service for service in OfficialService.objects.filter(code__in=list(codes))}
    return [found[code] for code in codes if code in found]


def compose(result: DiagnosticResult) -> ResultView:
    audience_label = Audience(result.audience).label if result.audience in Audience.values else ""
    incident = result.incident
    if incident is None:
        return ResultView(
            result=result,
            incident=None,
            title="Nos premiers conseils",
            audience_label=audience_label,
            services=services_in_order(GENERIC_SERVICES),
        )
    content = content_for_number(result.graph_version) or current_content()
    advice = content.advice_for(incident.code, result.audience) if content else None
    assessment = result.assessment
    first = tuple(assessment.get("actions", ()))
    return ResultView(
        result=result,
        incident=incident,
        title=incident.name,
        audience_label=audience_label,
        severity=result.severity,
        reasons=tuple(assessment.get("reasons", ())),
        summary=advice.summary if advice else "",
        actions=first + (advice.actions if advice else ()),
        situation_actions=len(first),
        evidence=advice.evidence if advice else (),
        complaint=assessment.get("complaint", ""),
        complaint_how=advice.complaint_how if advice else "",
        services=services_in_order(assessment.get("services", ())),
        chat_offered=result.chat_offered,
        expertise=tuple(assessment.get("expertise", ())),
    )
