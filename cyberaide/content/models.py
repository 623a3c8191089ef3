"""Prevention content as Wagtail pages, the security alerts, and the alert e-mail subscriptions.

The tree: a "Conseils et prévention" home (served under /conseils/), sections holding the content pages, the
alerts index holding the alerts, and the kit page. Every content page is tagged by audience, theme and
incident type; the diagnostic result shows the fiche réflexe and threat article of its incident type.
"""

import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import BodyBlock, body_text
from .search_text import normalise


class Audience(models.Model):
    """Who a content is written for: particuliers, professionnels (companies and associations), collectivités."""

    code = models.SlugField(unique=True, max_length=20)
    name = models.CharField("nom", max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = "public"
        verbose_name_plural = "publics"

    def __str__(self):
        return self.name


class Theme(models.Model):
    code = models.SlugField(unique=True, max_length=40)
    name = models.CharField("nom", max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = "thème"
        verbose_name_plural = "thèmes"

    def __str__(self):
        return self.name


def is_preview(request) -> bool:
    return bool(getattr(request, "is_preview", False))


def refuse_if_expired(page, request) -> None:
    """Wagtail unpublishes expired pages when `publish_scheduled` runs; until it does, refuse them here.
    Editors still preview them in the back office."""
    if page.expire_at and page.expire_at <= timezone.now() and not is_preview(request):
        raise Http404


def visible_now(queryset):
    """Pages a visitor may read now: published, public, and not past their expiry date."""
    return queryset.live().public().exclude(expire_at__lte=timezone.now())


class ContentPage(Page):
    """What every prevention page has: an introduction, a body, and its tags."""

    intro = models.TextField(
        "chapeau", max_length=300, help_text="Une ou deux phrases, reprises dans les listes et la recherche."
    )
    body = StreamField(BodyBlock(), verbose_name="contenu", blank=True)
    audiences = ParentalManyToManyField(Audience, verbose_name="publics", related_name="+")
    themes = ParentalManyToManyField(Theme, verbose_name="thèmes", related_name="+", blank=True)
    incident_types = ParentalManyToManyField(
        "diagnostic.IncidentType", verbose_name="types d'incident", related_name="+", blank=True
    )

    tags_panel = MultiFieldPanel(
        [
            FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldPanel("incident_types", widget=forms.CheckboxSelectMultiple),
        ],
        heading="Classement",
    )
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body"), tags_panel]

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_title", boost=4),
        index.SearchField("search_text"),
        index.FilterField("live"),
        index.FilterField("expire_at"),
    ]

    kind_label = "Contenu"
    is_creatable = False
    # Content pages live in a section and hold no page of their own (alerts live in the alerts index).
    parent_page_types = ["content.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = "contenu"

    def __str__(self):
        return self.title

    def extra_text(self) -> str:
        """Text a page type adds to the search index (a transcript, a text alternative)."""
        return ""

    def search_title(self) -> str:
        return normalise(self.title)

    def search_text(self) -> str:
        return normalise("\n".join([self.intro, body_text(self.body), self.extra_text()]))

    def serve(self, request, *args, **kwargs):
        refuse_if_expired(self, request)
        return super().serve(request, *args, **kwargs)


class ReflexSheetPage(ContentPage):
    """Fiche réflexe: what to do when it happens. Each incident type has one."""

    kind_label = "Fiche réflexe"
    template = "content/content_page.html"

    class Meta:
        verbose_name = "fiche réflexe"
        verbose_name_plural = "fiches réflexes"


class PracticalSheetPage(ContentPage):
    """Fiche pratique: how to protect yourself."""

    kind_label = "Fiche pratique"
    template = "content/content_page.html"

    class Meta:
        verbose_name = "fiche pratique"
        verbose_name_plural = "fiches pratiques"


class ThreatArticlePage(ContentPage):
    """How a threat works, who it targets, how to recognise it."""

    kind_label = "Article sur une menace"
    template = "content/content_page.html"

    class Meta:
        verbose_name = "article sur une menace"
        verbose_name_plural = "articles sur les menaces"


class MemoPage(ContentPage):
    """A memo or infographic, always with a full text alternative."""

    image = models.ForeignKey(
        get_image_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text_alternative = models.TextField(
        "alternative textuelle", help_text="Tout ce que montre l'image, en texte, pour qui ne la voit pas."
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name="version à télécharger",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    kind_label = "Mémo"
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("text_alternative"),
        FieldPanel("document"),
        FieldPanel("body"),
        ContentPage.tags_panel,
    ]

    class Meta:
        verbose_name = "mémo ou infographie"
        verbose_name_plural = "mémos et infographies"

    def extra_text(self) -> str:
        return self.text_alternative

    @property
    def image_alt(self) -> str:
        return f"{self.title} (le texte complet du mémo suit l'image)"


class VideoPage(ContentPage):
    """A video served by us (no third-party player), with its full transcript."""

    video = models.ForeignKey(
        get_document_model_string(),
        verbose_name="fichier vidéo (MP4 ou WebM)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    captions = models.ForeignKey(
        get_document_model_string(),
        verbose_name="sous-titres (WebVTT)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transcript = models.TextField("transcription", help_text="Le texte complet de la vidéo.")

    kind_label = "Vidéo"
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("video"),
        FieldPanel("captions"),
        FieldPanel("transcript"),
        FieldPanel("body"),
        ContentPage.tags_panel,
    ]

    class Meta:
        verbose_name = "vidéo"
        verbose_name_plural = "vidéos"

    def extra_text(self) -> str:
        return self.transcript


class GuidePage(ContentPage):
    """A guide to download as PDF, summarised on the page."""

    document = models.ForeignKey(
        get_document_model_string(), verbose_name="guide (PDF)", on_delete=models.PROTECT, related_name="+"
    )

    kind_label = "Guide"
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("document"),
        FieldPanel("body"),
        ContentPage.tags_panel,
    ]

    class Meta:
        verbose_name = "guide"
        verbose_name_plural = "guides"


class CampaignPage(ContentPage):
    """An awareness campaign, such as the Cybermoi/s in October."""

    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")

    kind_label = "Campagne"
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("body"),
        ContentPage.tags_panel,
    ]

    class Meta:
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "La fin de la campagne doit venir après son début."})


class AlertSeverity(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Vigilance"
    CRITICAL = "critical", "Alerte forte"


class AlertPage(ContentPage):
    """A security alert: while active, a banner on every public page, an entry in the feeds, an e-mail."""

    severity = models.CharField("gravité", max_length=10, choices=AlertSeverity.choices, default=AlertSeverity.WARNING)
    banner = models.CharField(
        "texte du bandeau", max_length=140, help_text="Une phrase courte, affichée en haut de toutes les pages."
    )
    starts_at = models.DateTimeField("début", default=timezone.now, help_text="Le bandeau apparaît à cette heure.")
    ends_at = models.DateTimeField("fin", help_text="Le bandeau, le flux et la page disparaissent à cette heure.")
    incident_type = models.ForeignKey(
        "diagnostic.IncidentType",
        verbose_name="type d'incident du diagnostic",
        help_text="Les victimes de cette vague vont directement au bon résultat du diagnostic.",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    kind_label = "Alerte"
    template = "content/content_page.html"
    parent_page_types = ["content.AlertIndexPage"]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("severity"), FieldPanel("banner"), FieldPanel("starts_at"), FieldPanel("ends_at")],
            heading="Alerte",
        ),
        FieldPanel("incident_type"),
        FieldPanel("intro"),
        FieldPanel("body"),
        ContentPage.tags_panel,
    ]

    class Meta:
        verbose_name = "alerte"
        verbose_name_plural = "alertes"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "La fin de l'alerte doit venir après son début."})

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def serve(self, request, *args, **kwargs):
        # Before its start or after its end an alert is not reachable, except in an editor's preview.
        if not self.is_active() and not is_preview(request):
            raise Http404
        return super().serve(request, *args, **kwargs)


class IndexPage(Page):
    """A page that lists its children."""

    intro = models.TextField("chapeau", max_length=400, blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    is_creatable = False

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        refuse_if_expired(self, request)
        return super().serve(request, *args, **kwargs)

    def children_visible(self):
        return visible_now(self.get_children()).specific()


class ContentHomePage(IndexPage):
    """The root of the prevention content, served at /conseils/."""

    template = "content/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.SectionPage", "content.AlertIndexPage", "content.KitPage"]
    max_count = 1
    is_creatable = True

    class Meta:
        verbose_name = "accueil des conseils"

    def get_context(self, request, *args, **kwargs):
        from .selectors import latest_pages

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.children_visible()
        context["latest"] = latest_pages(8)
        return context


class SectionPage(IndexPage):
    """A section of content pages (fiches réflexes, fiches pratiques, menaces, ressources, campagnes)."""

    template = "content/section_page.html"
    parent_page_types = ["content.ContentHomePage"]
    subpage_types = [
        "content.ReflexSheetPage",
        "content.PracticalSheetPage",
        "content.ThreatArticlePage",
        "content.MemoPage",
        "content.VideoPage",
        "content.GuidePage",
        "content.CampaignPage",
    ]
    is_creatable = True

    class Meta:
        verbose_name = "rubrique"
        verbose_name_plural = "rubriques"

    def get_context(self, request, *args, **kwargs):
        from .selectors import filter_by_audience

        context = super().get_context(request, *args, **kwargs)
        audience = request.GET.get("public", "")
        context["audiences"] = Audience.objects.all()
        context["audience"] = audience
        pages = visible_now(ContentPage.objects.child_of(self)).order_by("title")
        context["pages"] = filter_by_audience(pages, audience).specific()
        return context


class AlertIndexPage(IndexPage):
    """The list of active alerts, with the feeds and the e-mail subscription."""

    template = "content/alert_index_page.html"
    parent_page_types = ["content.ContentHomePage"]
    subpage_types = ["content.AlertPage"]
    max_count = 1
    is_creatable = True

    class Meta:
        verbose_name = "liste des alertes"

    def get_context(self, request, *args, **kwargs):
        from .selectors import active_alert_pages

        context = super().get_context(request, *args, **kwargs)
        context["alerts"] = active_alert_pages()
        return context


class KitPage(RoutablePageMixin, IndexPage):
    """The kit de sensibilisation: each item to download, and the whole kit as one archive."""

    licence = models.TextField(
        "licence",
        default="Ce kit est publié sous la Licence Ouverte Etalab 2.0 : vous pouvez le copier, le modifier et le "
        "diffuser librement, y compris à des fins commerciales, en citant Cyberaide comme source.",
    )

    template = "content/kit_page.html"
    parent_page_types = ["content.ContentHomePage"]
    subpage_types = []
    max_count = 1
    is_creatable = True
    content_panels = [*IndexPage.content_panels, FieldPanel("licence"), InlinePanel("items", label="éléments du kit")]

    class Meta:
        verbose_name = "kit de sensibilisation"

    def serve(self, request, *args, **kwargs):
        # The routes (the page and its archive) are served by RoutablePageMixin, which does not call the parent's.
        refuse_if_expired(self, request)
        return super().serve(request, *args, **kwargs)

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request)

    @path("kit-complet/", name="archive")
    def archive(self, request):
        from .kit import kit_archive_response

        return kit_archive_response(self)


class KitItem(Orderable):
    page = ParentalKey(KitPage, on_delete=models.CASCADE, related_name="items")
    title = models.CharField("titre", max_length=120)
    description = models.TextField("description", max_length=400)
    document = models.ForeignKey(
        get_document_model_string(), verbose_name="fichier", on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = "élément du kit"

    def __str__(self):
        return self.title


def new_subscription_key() -> str:
    return secrets.token_urlsafe(32)


class AlertSubscription(models.Model):
    """An e-mail address that receives the alerts, once its owner confirmed it (double opt-in).

    Personal data: the e-mail address. Owner: the subscriber. Kept while subscribed; deleted at once on
    unsubscribing; an unconfirmed address is deleted after ALERT_CONFIRMATION_DAYS days.
    """

    email = models.EmailField("adresse électronique", unique=True)
    key = models.CharField(max_length=64, unique=True, default=new_subscription_key)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "abonnement aux alertes"
        verbose_name_plural = "abonnements aux alertes"

    def __str__(self):
        return f"Abonnement n° {self.pk}"

    @property
    def confirmation_expired(self) -> bool:
        return timezone.now() - self.created_at > timedelta(days=settings.ALERT_CONFIRMATION_DAYS)

    @property
    def link_valid(self) -> bool:
        """Its confirmation link still works: confirmed already (a second click is harmless), or not expired."""
        return self.confirmed_at is not None or not self.confirmation_expired


class AlertDispatch(models.Model):
    """That an alert was e-mailed to the subscribers, once: when and to how many addresses."""

    alert = models.OneToOneField(AlertPage, on_delete=models.CASCADE, related_name="dispatch")
    started_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "envoi d'alerte"
        verbose_name_plural = "envois d'alertes"

    def __str__(self):
        return f"Envoi de l'alerte n° {self.alert_id}"
