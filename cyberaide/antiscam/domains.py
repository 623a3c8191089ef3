"""Facts about domain names that several rules need: where the registrable part starts, and which services only
shorten links. Pure Python (no Django): the extraction, the look-alike rule and the benchmark share it.

The public suffix list comes bundled with the ``publicsuffixlist`` package (Mozilla Public License 2.0), private
suffixes included, so that ``someone.github.io`` counts as a site of its own and never lists all of GitHub.
"""

from functools import lru_cache

from publicsuffixlist import PublicSuffixList

_PSL = PublicSuffixList(only_icann=False)
_STRICT_PSL = PublicSuffixList(only_icann=False, accept_unknown=False)

# Link shorteners: the address hides where it leads. We never follow them (no request leaves our servers).
SHORTENERS = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "cutt.ly",
        "goo.gl",
        "is.gd",
        "lnkd.in",
        "ow.ly",
        "rb.gy",
        "rebrand.ly",
        "s.id",
        "shorturl.at",
        "t.co",
        "t.ly",
        "tiny.cc",
        "tinyurl.com",
        "urlz.fr",
        "v.gd",
        "x.co",
        "qrco.de",
        "l.ead.me",
        "shorturl.fr",
        "bit.do",
        "buff.ly",
        "surl.li",
        "u.to",
        "clck.ru",
    }
)


# Hosting services where anyone publishes a site under a subdomain of theirs and that the public suffix list does not
# (yet) know: a site there is its own host, and the service is never listed whole.
SHARED_HOSTING = frozenset(
    {
        "000webhostapp.com",
        "azurewebsites.net",
        "canva.site",
        "carrd.co",
        "framer.website",
        "glitch.me",
        "godaddysites.com",
        "jimdosite.com",
        "mystrikingly.com",
        "notion.site",
        "replit.app",
        "sharepoint.com",
        "site123.me",
        "square.site",
        "strikingly.com",
        "tiiny.site",
        "weebly.com",
        "weeblysite.com",
        "wordpress.com",
        "yolasite.com",
    }
)


def site_of(host: str) -> str:
    """What a "site" is for the list: the registrable domain, except on a shared host, where it is the host itself
    (without a leading "www.")."""
    domain = registrable_domain(host)
    if domain in SHARED_HOSTING and host.lower() != domain:
        host = host.lower().rstrip(".")
        return host[4:] if host.startswith("www.") else host
    return domain


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """The part of ``host`` someone can register (``ameli.fr`` for ``www.ameli.fr``, ``x.github.io`` for
    ``a.x.github.io``); the host itself when it is an IP address or has no known suffix."""
    host = host.rstrip(".").lower()
    if not host or host[0].isdigit() and host.replace(".", "").isdigit():
        return host
    return _PSL.privatesuffix(host) or host


def public_suffix(host: str) -> str:
    """``fr``, ``gouv.fr``, ``co.uk``…: the part nobody owns. Empty for an IP address."""
    host = host.rstrip(".").lower()
    if host.replace(".", "").isdigit():
        return ""
    return _PSL.publicsuffix(host) or ""


def has_known_suffix(host: str) -> bool:
    """True when ``host`` is a name one can register or a name under one (``colis-suivi.info``), False for a bare
    suffix (``gouv.fr``) or an unknown ending (``fichier.docx``). Brand endings such as ``.dupont`` are real and
    count: callers that read free text decide how much they trust a name without a scheme."""
    return _STRICT_PSL.privatesuffix(host.rstrip(".").lower()) is not None


def is_shortener(host: str) -> bool:
    return registrable_domain(host) in SHORTENERS or host.lower() in SHORTENERS
