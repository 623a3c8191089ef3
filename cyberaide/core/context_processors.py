from types import SimpleNamespace

from django.conf import settings

# django-dsfr's templates read their labels from SITE_CONFIG; ours come from settings, without a query.
SITE_CONFIG = SimpleNamespace(
    site_title=settings.SITE_TITLE,
    site_tagline=settings.SITE_TAGLINE,
    header_brand_html="République<br>française",
    footer_brand_html="République<br>française",
    footer_brand="République française",
    footer_description=(
        "Cyberaide aide les victimes d'actes de cybermalveillance, informe sur les risques numériques "
        "et observe la menace."
    ),
    mourning=False,
    beta_tag=False,
    notice_title="",
    notice_description="",
)


def site(request):
    return {"SITE_CONFIG": SITE_CONFIG}


def alerts(request):
    """The active security alerts, shown as a banner on every public page."""
    from cyberaide.content.selectors import banner_alerts

    return {"active_alerts": banner_alerts()}
