"""The skeleton every installation needs: the content home at /conseils/, its sections, and the editorial roles.

Idempotent: `manage.py setup_content` may run at every deployment.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
)

from .models import AlertIndexPage, Audience, ContentHomePage, KitPage, SectionPage, Theme
from .taxonomy import AUDIENCES, THEMES

HOME_SLUG = "conseils"

SECTIONS = [
    ("fiches-reflexes", "Fiches réflexes", "Que faire quand cela vous arrive : les premiers gestes, dans l'ordre."),
    ("fiches-pratiques", "Fiches pratiques", "Se protéger au quotidien : mots de passe, mises à jour, sauvegardes…"),
    ("menaces", "Menaces", "Comment fonctionnent les arnaques et les attaques du moment, et comment les reconnaître."),
    ("ressources", "Mémos, vidéos et guides", "Des supports courts à lire, regarder, imprimer ou partager."),
    ("campagnes", "Campagnes", "Les campagnes de sensibilisation, comme le Cybermoi/s en octobre."),
]

# Wagtail creates an "Editors" and a "Moderators" group; we name them in French. Rédacteurs write and submit
# for moderation; modérateurs review, publish (alerts included), unpublish and schedule.
EDITORS = "Rédacteurs"
MODERATORS = "Modérateurs"
ROLE_NAMES = {"Editors": EDITORS, "Moderators": MODERATORS}
ROLE_PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
# Documents and images are not moderated: a rédacteur adds and picks files (and may edit those they uploaded),
# only a modérateur may replace or delete a file that published pages use.
ROLE_COLLECTION_PERMISSIONS = {
    EDITORS: [
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
    ],
    MODERATORS: [
        (app, f"{action}_{model}")
        for app, model in [("wagtaildocs", "document"), ("wagtailimages", "image")]
        for action in ("add", "change", "choose", "delete")
    ],
}
WORKFLOW_NAME = "Relecture par la modération"


def ensure_taxonomy() -> None:
    """Audiences and themes (also created by a migration; tests that empty the database need them again)."""
    for position, (code, name) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    for code, name in THEMES:
        Theme.objects.update_or_create(code=code, defaults={"name": name})


def _child(parent: Page, model, slug: str, **fields) -> Page:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_wagtail_roots() -> None:
    """What Wagtail's migrations create (a locale, a root page, a root collection); tests that empty the
    database need them again."""
    if not Locale.objects.exists():
        Locale.objects.create(language_code="fr")
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@transaction.atomic
def ensure_content_tree() -> ContentHomePage:
    ensure_taxonomy()
    ensure_wagtail_roots()
    home = ContentHomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = ContentHomePage(
            title="Conseils et prévention",
            slug=HOME_SLUG,
            intro="Nos fiches pour savoir quoi faire quand cela arrive, et pour s'en protéger avant.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Cyberaide")
    elif site.root_page_id != home.pk:
        placeholder = site.root_page
        site.root_page = home
        site.site_name = "Cyberaide"
        site.save()
        # The "Welcome to Wagtail" page that Wagtail's first migration creates.
        if type(placeholder.specific) is Page and placeholder.depth == 2 and not placeholder.get_children().exists():
            placeholder.delete()
    for slug, title, intro in SECTIONS:
        _child(home, SectionPage, slug, title=title, intro=intro)
    _child(
        home,
        AlertIndexPage,
        "alertes",
        title="Alertes",
        intro="Les arnaques et les attaques qui touchent beaucoup de personnes en ce moment.",
    )
    _child(
        home,
        KitPage,
        "kit-de-sensibilisation",
        title="Kit de sensibilisation",
        intro="Des fiches, affiches et mémos à imprimer et à partager autour de vous, réutilisables librement en "
        "citant la source.",
    )
    return home


@transaction.atomic
def ensure_roles(home: ContentHomePage) -> None:
    """The two editorial groups, their rights on the content tree, and moderation before publication."""
    for wagtail_name, name in ROLE_NAMES.items():
        if not Group.objects.filter(name=name).exists():
            Group.objects.filter(name=wagtail_name).update(name=name)
    page_type = ContentType.objects.get_for_model(Page)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    root_collection = Collection.get_first_root_node()
    for name, codenames in ROLE_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([access_admin])
        for codename in codenames:
            permission = Permission.objects.get(content_type=page_type, codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        allowed = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in ROLE_COLLECTION_PERMISSIONS[name]
        ]
        GroupCollectionPermission.objects.filter(group=group).exclude(permission__in=allowed).delete()
        for permission in allowed:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    # Every page a rédacteur submits waits for a modérateur's approval (Wagtail's own workflow).
    if not WorkflowPage.objects.filter(page__in=[home, *home.get_ancestors()]).exists():
        workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
        if not workflow.workflow_tasks.exists():
            task = GroupApprovalTask.objects.create(name="Approbation par un modérateur")
            task.groups.set([Group.objects.get(name=MODERATORS)])
            workflow.workflow_tasks.create(task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page=home)


def set_up_content() -> ContentHomePage:
    """The tree and the editorial roles on it."""
    home = ensure_content_tree()
    ensure_roles(home)
    return home


def section(slug: str) -> SectionPage:
    return SectionPage.objects.get(slug=slug)
