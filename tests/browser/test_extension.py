"""The anti-scam browser extension (extension/) loaded unpacked into Debian's Chromium, against the real server.

A site listed by staff gets the warning page before it opens, the user may still go on (remembered for the session),
an unlisted site opens untouched, and the server only ever sees 4-byte hash prefixes. The extension's JavaScript
canonicalisation gives the same expressions and hashes as the server's Python one (tests/antiscam/data/
url_vectors.json, written by make_url_vectors.py).
"""

import hashlib
import json
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pytest
from django.core.signals import request_started
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from cyberaide.antiscam import services
from cyberaide.antiscam.canonical import InvalidIndicator, canonical_url, expression_hash, url_expressions
from cyberaide.antiscam.models import Category, Kind, Listing

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT

EXTENSION = ROOT / "extension"
VECTORS = ROOT / "tests" / "antiscam" / "data" / "url_vectors.json"
TIMEOUT = 10_000

LISTED_HOST = "ameli-remboursement-demo.test"
LISTED_URL = f"http://{LISTED_HOST}/espace-assure/connexion?utm_source=sms"
UNLISTED_HOST = "boulangerie-exemple.test"
REASON = "Faux site de l'Assurance maladie qui demande la carte bancaire"
WARNING_URL = re.compile(r"^chrome-extension://[a-p]{32}/warning\.html\?")
WARNING_TITLE = "Attention : ce site est signalé comme une arnaque"
# What the server must never learn: the sites visited and their paths.
SECRETS = ("ameli-remboursement-demo", "boulangerie-exemple", "espace-assure", "connexion", "utm_source")

FAKE_SITES = {
    LISTED_HOST: "Espace assuré (faux site de démonstration)",
    UNLISTED_HOST: "Boulangerie Exemple, pains et viennoiseries",
}


def chromium_args(extension_dir):
    return [
        # Extensions need the new headless mode (the only one of Chromium 132 and later).
        "--headless=new",
        f"--disable-extensions-except={extension_dir}",
        f"--load-extension={extension_dir}",
        # Branded Chrome 137+ ignores --load-extension unless this feature is off; Debian's Chromium accepts it.
        "--disable-features=DisableLoadExtensionCommandLineSwitch",
        *CHROMIUM_ARGS,
    ]


@pytest.fixture
def extension(playwright, tmp_path):
    """Chromium with the unpacked extension, in a profile of its own; yields the context and the extension's
    service worker, once its module has run."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=chromium_args(EXTENSION),
        locale="fr-FR",
        viewport={"width": 1280, "height": 900},
        # axe-core is injected as a script tag, which the extension pages' CSP (script-src 'self') would refuse.
        bypass_csp=True,
    )
    try:
        workers = [worker for worker in context.service_workers if worker.url.endswith("/background.js")]
        worker = workers[0] if workers else None
        while worker is None:
            candidate = context.wait_for_event("serviceworker", timeout=TIMEOUT)
            if candidate.url.endswith("/background.js"):
                worker = candidate
        ready = worker.evaluate(
            """async () => {
                for (let i = 0; i < 200 && !globalThis.cyberaide; i += 1) {
                    await new Promise((resolve) => setTimeout(resolve, 50));
                }
                return Boolean(globalThis.cyberaide);
            }"""
        )
        assert ready, "the extension's service worker did not start"
        yield SimpleNamespace(context=context, worker=worker, id=worker.url.split("/")[2])
    finally:
        context.close()


@pytest.fixture
def server_requests():
    """Every request the live server receives, as the path with its query string."""
    seen = []

    def record(sender, environ=None, scope=None, **kwargs):
        if environ is not None:
            query = environ.get("QUERY_STRING", "")
            seen.append(environ.get("PATH_INFO", "") + (f"?{query}" if query else ""))

    request_started.connect(record, weak=False)
    yield seen
    request_started.disconnect(record)


def fake_site(title):
    def fulfil(route):
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body=f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><main><h1>{title}</h1></main></body></html>",
        )

    return fulfil


def serve_fake_sites(context):
    """The demonstration sites, answered by the browser itself (no DNS, no network)."""
    for host, title in FAKE_SITES.items():
        context.route(re.compile(rf"^https?://{re.escape(host)}(/.*)?$"), fake_site(title))


def open_address(page, url):
    """Start opening ``url``; the extension may replace the navigation by its warning page before it ends."""
    try:
        page.goto(url, wait_until="commit", timeout=TIMEOUT)
    except PlaywrightError as error:
        # "net::ERR_ABORTED" or "interrupted by another navigation": the extension redirected the tab.
        if "ERR_ABORTED" not in error.message and "interrupted" not in error.message:
            raise


def list_demo_site():
    indicator = services.get_or_create_indicator(services.IndicatorValue(Kind.SITE, LISTED_HOST, LISTED_HOST))
    return services.list_indicator(
        indicator=indicator,
        category=Category.PHISHING,
        reason=REASON,
        expires_at=timezone.now() + timedelta(days=30),
        origin=Listing.Origin.STAFF,
        by=None,
    )


def test_a_listed_site_gets_the_warning_and_the_server_only_sees_prefixes(
    extension, live_server, transactional_db, server_requests, screenshot, axe_violations
):
    listing = list_demo_site()
    assert listing.expression == f"{LISTED_HOST}/"
    listed_prefix = hashlib.sha256(listing.expression.encode()).hexdigest()[:8]

    status = extension.worker.evaluate(
        """async (apiBase) => {
            await chrome.storage.local.set({apiBase});
            return await globalThis.cyberaide.refreshList();
        }""",
        live_server.url,
    )
    assert status["apiBase"] == live_server.url
    assert status["size"] == 1
    assert extension.worker.evaluate("globalThis.cyberaide.listPrefixes()") == [listed_prefix]

    context = extension.context
    serve_fake_sites(context)
    page = context.pages[0] if context.pages else context.new_page()
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))

    # The listed site: the warning page replaces it.
    open_address(page, LISTED_URL)
    expect(page).to_have_url(WARNING_URL, timeout=TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text(WARNING_TITLE, timeout=TIMEOUT)
    expect(page.locator("#reason")).to_have_text(REASON)
    expect(page.locator("#category")).to_have_text(Category.PHISHING.label)
    expect(page.locator("#site-name")).to_have_text(LISTED_HOST)
    expect(page.locator("#address")).to_contain_text(f"{LISTED_HOST}/espace-assure/connexion")
    expect(page.get_by_role("link", name="Contester l'inscription de ce site")).to_have_attribute(
        "href", f"{live_server.url}/verifier/contester/?adresse=http%3A%2F%2F{LISTED_HOST}%2F"
    )
    expect(page.get_by_role("link", name=re.compile("Vérifier un lien"))).to_have_attribute(
        "href", f"{live_server.url}/verifier/"
    )
    screenshot(page, "extension-warning")
    assert axe_violations(page) == []

    # "Revenir en lieu sûr" leaves for the browser's new tab page (which headless Chromium cannot show: an error page).
    page.get_by_role("button", name="Revenir en lieu sûr").click()
    expect(page).to_have_url(re.compile(r"^(chrome|chrome-error):"), timeout=TIMEOUT)

    # Once more (the answer is cached), and this time the user goes on: the site opens, and stays allowed.
    open_address(page, LISTED_URL)
    expect(page).to_have_url(WARNING_URL, timeout=TIMEOUT)
    page.get_by_role("button", name="Continuer quand même").click()
    expect(page).to_have_url(LISTED_URL, timeout=TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text(FAKE_SITES[LISTED_HOST])
    page.goto(f"http://{LISTED_HOST}/", timeout=TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text(FAKE_SITES[LISTED_HOST])

    # An unlisted site opens as usual: its prefix is not in the local list, nothing is asked.
    page.goto(f"http://{UNLISTED_HOST}/", timeout=TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text(FAKE_SITES[UNLISTED_HOST])
    assert extension.worker.evaluate(f"globalThis.cyberaide.checkUrl('http://{UNLISTED_HOST}/')") is None
    expect(page).to_have_url(f"http://{UNLISTED_HOST}/")

    # What the server saw: the list, and one lookup by a 4-byte prefix; no address, host or path.
    assert server_requests, "the extension made no request to the server"
    for request in server_requests:
        assert not any(secret in request for secret in SECRETS), request
    lists = [request for request in server_requests if request.startswith("/api/v1/filter/list?")]
    lookups = [request for request in server_requests if request.startswith("/api/v1/filter/matches?")]
    assert lists and all(re.fullmatch(r"/api/v1/filter/list\?since=\d+", request) for request in lists)
    assert len(lookups) == 1, server_requests
    parameters = parse_qsl(lookups[0].partition("?")[2], keep_blank_values=True)
    assert parameters == [("prefix", listed_prefix)]
    assert sorted(lists + lookups) == sorted(server_requests)
    assert refused == []


def _python_result(raw):
    try:
        url = canonical_url(raw)
    except InvalidIndicator:
        return {"url": None, "expressions": [], "hashes": []}
    expressions = url_expressions(url)
    return {"url": url.url, "expressions": expressions, "hashes": [expression_hash(e).hex() for e in expressions]}


def _javascript_results(worker, inputs):
    return worker.evaluate(
        """async (inputs) => Promise.all(inputs.map(async (input) => {
            const url = globalThis.cyberaide.canonicalUrl(input);
            const expressions = url ? globalThis.cyberaide.urlExpressions(url) : [];
            const hashes = await globalThis.cyberaide.expressionHashes(expressions);
            return {url: url ? url.url : null, expressions, hashes};
        }))""",
        inputs,
    )


def _browser_like(raw):
    """An address as Chromium reports it: ASCII only (host in punycode, path escaped), no whitespace."""
    return raw.isascii() and not any(character.isspace() or ord(character) < 0x20 for character in raw)


def _compare(expected, actual, raw):
    problems = []
    if expected["url"] is None and actual["url"] is not None and not _browser_like(raw):
        # A host typed by hand in Unicode is mapped with an approximation of UTS-46 / IDNA 2008 in JavaScript, more
        # lenient than the `idna` package: an address the server refuses can never be listed, so it does no harm.
        return problems
    if actual["url"] != expected["url"]:
        problems.append(f"{raw!r}: canonical URL {actual['url']!r}, expected {expected['url']!r}")
    if set(actual["expressions"]) != set(expected["expressions"]):
        problems.append(f"{raw!r}: expressions {actual['expressions']}, expected {expected['expressions']}")
    if dict(zip(actual["expressions"], actual["hashes"], strict=True)) != dict(
        zip(expected["expressions"], expected["hashes"], strict=True)
    ):
        problems.append(f"{raw!r}: hashes differ")
    return problems


# Addresses as Chromium reports them (and a few typed by hand), checked against the Python code itself.
EXTRA_INPUTS = [
    LISTED_URL,
    f"https://www.{LISTED_HOST}:443/espace-assure/./connexion/../connexion?fbclid=1&dossier=42#haut",
    "http://a.b.c.d.e.f.g/1/2/3/4/5.html?q=1",
    "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn/",
    "http://0x7f.1/",
    "http://[2001:DB8:0:0:0:0:0:1]:8080/a",
    "http://[::ffff:192.0.2.1]/",
    "http://xn--amli-bpa.fr/compte",
    "http://xn--80ak6aa92e.com/",
    "http://xn--a.fr/",
    "https://x.fr/%E9t%C3%A9?a=%26b&UTM%5FSOURCE=x&_ga=2",
    "https://x.fr/a%3Fb/c%5Cd/%2525",
    "http://x.fr:8080/",
    "javascript:alert(1)",
    "http://a_b.x.fr/",
    "http://x.fr/?&&",
]


def test_the_extension_canonicalises_and_hashes_like_the_server(extension):
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert len(vectors) > 50
    # Every vector is checked, those typed by hand (raw Unicode, spaces) included; the browser-like ones (what
    # Chromium reports) are most of them.
    assert sum(_browser_like(vector["input"]) for vector in vectors) > 50
    results = _javascript_results(extension.worker, [vector["input"] for vector in vectors])
    problems = [
        problem
        for vector, result in zip(vectors, results, strict=True)
        for problem in _compare(vector, result, vector["input"])
    ]
    # ... and a few more addresses, against the Python code itself.
    results = _javascript_results(extension.worker, EXTRA_INPUTS)
    problems += [
        problem
        for raw, result in zip(EXTRA_INPUTS, results, strict=True)
        for problem in _compare(_python_result(raw), result, raw)
    ]
    assert not problems, "\n".join(problems)


def test_the_options_page_changes_the_server(extension, axe_violations):
    page = extension.context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"chrome-extension://{extension.id}/options.html", timeout=TIMEOUT)
    field = page.get_by_label("Adresse du serveur Cyberaide")
    expect(field).to_have_value("https://cyberaide.example")
    expect(page.get_by_text("La liste n'a pas encore été téléchargée.")).to_be_visible()
    assert axe_violations(page) == []

    # Plain http is refused for a server that is not on this machine.
    field.fill("http://filtre.cyberaide.example")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'adresse doit commencer par https://")).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    assert extension.worker.evaluate("chrome.storage.local.get('apiBase')") == {}

    field.fill("https://filtre.cyberaide.example/")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").first).to_have_text(
        "Adresse enregistrée. La liste va être téléchargée de nouveau."
    )
    assert extension.worker.evaluate("chrome.storage.local.get('apiBase')") == {
        "apiBase": "https://filtre.cyberaide.example"
    }
    assert errors == []
