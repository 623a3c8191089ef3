"""The active alerts as RSS 2.0 and Atom feeds."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from cyberaide.core.mail import absolute

from .models import AlertIndexPage
from .selectors import active_alert_pages


class AlertRssFeed(Feed):
    title = "Cyberaide — alertes de sécurité"
    description = "Les alertes en cours : arnaques et attaques qui touchent de nombreuses personnes en ce moment."
    language = "fr"

    def link(self):
        index = AlertIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self):
        return active_alert_pages()[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.banner} {item.intro}"

    def item_link(self, item):
        return absolute(item.url)

    def item_guid(self, item):
        return absolute(f"/alertes/{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.starts_at

    def item_updateddate(self, item):
        return item.last_published_at or item.starts_at

    def item_categories(self, item):
        return [item.get_severity_display()]


class AlertAtomFeed(AlertRssFeed):
    feed_type = Atom1Feed
    subtitle = AlertRssFeed.description
