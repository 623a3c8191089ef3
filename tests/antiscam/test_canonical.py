import hashlib
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cyberaide.antiscam.canonical import (
    IBAN_INVALID,
    PHONE_SHORT,
    PREFIX_LENGTH,
    URL_BAD_HOST,
    URL_MALFORMED,
    URL_SCHEME,
    CanonicalUrl,
    InvalidIndicator,
    canonical_url,
    expression_hash,
    hash_prefix,
    normalise_email,
    normalise_iban,
    normalise_phone,
    url_expressions,
)

from .data import make_url_vectors

# --- Canonical URLs ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Case, default port, empty path.
        ("http://www.GOOgle.com/", "http://www.google.com/"),
        ("HTTPS://WWW.AMELI.FR", "https://www.ameli.fr/"),
        ("http://x.fr:80/a", "http://x.fr/a"),
        ("https://x.fr:443", "https://x.fr/"),
        ("http://x.fr:443/", "http://x.fr:443/"),
        ("https://x.fr:0080/", "https://x.fr:80/"),
        ("http://x.fr:/a", "http://x.fr/a"),
        # No scheme: http.
        ("ameli-remboursement.com/x", "http://ameli-remboursement.com/x"),
        ("www.google.com", "http://www.google.com/"),
        ("localhost:8080/a", "http://localhost:8080/a"),
        ("  https://www.ameli.fr/  \n", "https://www.ameli.fr/"),
        ("\ufeffhttps://x.fr/\u200b", "https://x.fr/"),
        # Fragment, tab and newline.
        ("http://www.evil.com/blah#frag", "http://www.evil.com/blah"),
        ("http://www.google.com/foo\tbar\rbaz\n2", "http://www.google.com/foobarbaz2"),
        # Dot segments and repeated slashes.
        ("http://www.google.com/blah/..", "http://www.google.com/"),
        ("http://x.fr/a/./b/../c", "http://x.fr/a/c"),
        ("http://x.fr/../../a", "http://x.fr/a"),
        ("http://x.fr/a/b/.", "http://x.fr/a/b/"),
        ("http://x.fr/%2e%2E/a/%2e/b", "http://x.fr/a/b"),
        ("http://host.com//twoslashes?more//slashes", "http://host.com/twoslashes?more//slashes"),
        # Percent-encoding: unescaped until stable, then re-escaped.
        ("http://host/%25%32%35", "http://host/%25"),
        ("http://host/%2525252525252525", "http://host/%25"),
        ("http://host/%%%25%32%35asd%%", "http://host/%25%25%25asd%25%25"),
        ("http://x.fr/%7e%41", "http://x.fr/~A"),
        ("http://x.fr/café", "http://x.fr/caf%C3%A9"),
        ("http://x.fr/caf%c3%a9", "http://x.fr/caf%C3%A9"),
        ("http://x.fr/a b", "http://x.fr/a%20b"),
        ("http://x.fr/a%3Fb?c", "http://x.fr/a%3Fb?c"),
        ("http://x.fr/a%23b", "http://x.fr/a%23b"),
        (
            "http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/",
            "http://168.188.99.26/.secure/www.ebay.com/",
        ),
        # IPv4 in the forms browsers accept, IPv6.
        ("http://3279880203/blah", "http://195.127.0.11/blah"),
        ("http://0xC3.0x7.0x9.0x8B/", "http://195.7.9.139/"),
        ("http://0300.07.011.0213/", "http://192.7.9.139/"),
        ("http://195.127.11/", "http://195.127.0.11/"),
        ("http://0x7f.1/", "http://127.0.0.1/"),
        ("http://[2001:DB8:0:0::1]:8080/", "http://[2001:db8::1]:8080/"),
        # International domain names.
        ("https://amélie.fr", "https://xn--amlie-csa.fr/"),
        ("https://AMÉLIE.fr", "https://xn--amlie-csa.fr/"),
        ("https://аmeli.fr/", "https://xn--meli-43d.fr/"),  # Cyrillic а
        ("https://XN--AMLIE-CSA.FR/", "https://xn--amlie-csa.fr/"),
        ("http://faß.de/", "http://xn--fa-hia.de/"),  # non-transitional: ß is kept
        ("http://ＡＭＥＬＩ。ＦＲ/", "http://ameli.fr/"),
        # The userinfo trick and backslashes: the host is the one a browser would open.
        ("https://www.ameli.fr@evil.com/", "https://evil.com/"),
        ("https://user:pass@ameli.fr:8080@evil.com/x", "https://evil.com/x"),
        ("http:\\\\evil.com\\@ameli.fr/", "http://evil.com/@ameli.fr/"),
        # Dots in the host.
        ("http://ameli.fr./", "http://ameli.fr/"),
        ("http://www.google.com.../", "http://www.google.com/"),
        ("http://a..b...c/", "http://a.b.c/"),
        ("http://%77%77%77.x.fr/", "http://www.x.fr/"),
        # Query: tracking parameters removed, the others kept in order.
        ("https://x.fr/?utm_source=sms&id=12&fbclid=AbC&UTM_Medium=x&page=2", "https://x.fr/?id=12&page=2"),
        ("https://x.fr/a?gclid=1&msclkid=2&_ga=3&mc_eid=4&igshid=5", "https://x.fr/a"),
        ("https://x.fr/a?b=2&a=1&b=1", "https://x.fr/a?b=2&a=1&b=1"),
        ("https://x.fr/a?", "https://x.fr/a"),
        ("https://x.fr/a?q=été&r=a b", "https://x.fr/a?q=%C3%A9t%C3%A9&r=a%20b"),
        ("https://x.fr/a?q=%2523", "https://x.fr/a?q=%23"),
        ("http://www.google.com/q?r?s", "http://www.google.com/q?r?s"),
    ],
)
def test_canonical_url(raw, expected):
    url = canonical_url(raw)
    assert url.url == expected
    assert canonical_url(url.url) == url


def test_canonical_url_parts_and_properties():
    url = canonical_url("HTTPS://Www.Аmeli.fr:8443/a/../b/c.html?utm_source=x&id=1#top")
    assert url == CanonicalUrl(scheme="https", host="www.xn--meli-43d.fr", port=8443, path="/b/c.html", query="id=1")
    assert url.removed_tracking == ("utm_source",)
    assert url.expression == "www.xn--meli-43d.fr/b/c.html?id=1"
    assert url.site_expression == "www.xn--meli-43d.fr/"
    assert url.page_expression == "www.xn--meli-43d.fr/b/c.html"
    assert url.unicode_host == "www.аmeli.fr"
    assert url.unicode_host != "www.ameli.fr"
    assert url.registrable_domain == "xn--meli-43d.fr"
    assert not url.is_ip
    assert not url.is_shortener


def test_canonical_url_flags():
    assert canonical_url("http://3279880203/").is_ip
    assert canonical_url("http://[::1]/").is_ip
    assert canonical_url("https://bit.ly/3xYz").is_shortener
    assert canonical_url("https://x.github.io/").registrable_domain == "x.github.io"
    assert canonical_url("https://a.b.impots.gouv.fr/").registrable_domain == "impots.gouv.fr"
    assert canonical_url("https://xn--amlie-csa.fr/").unicode_host == "amélie.fr"


def test_removed_tracking_does_not_change_equality():
    with_tracking = canonical_url("https://x.fr/?a=1&utm_source=sms")
    assert with_tracking.removed_tracking == ("utm_source",)
    assert with_tracking == canonical_url("https://x.fr/?a=1")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", None),
        ("   ", None),
        ("http://", URL_MALFORMED),
        ("https://?x=1", URL_MALFORMED),
        ("http://user@/", URL_MALFORMED),
        ("http://exa mple.com", URL_BAD_HOST),
        ("http://[::1", URL_BAD_HOST),
        ("http://[::1]x/", URL_BAD_HOST),
        ("http://[fe80::1%25eth0]/", URL_BAD_HOST),
        ("http://" + "a" * 64 + ".com/", URL_BAD_HOST),
        ("http://" + ".".join(["a" * 60] * 5) + ".fr/", URL_BAD_HOST),
        ("http://xn--zz.com/", URL_BAD_HOST),
        ("http://xn--abc-.com/", URL_BAD_HOST),  # Punycode for plain "abc"
        ("http://ex%2Fample.com/", URL_BAD_HOST),
        ("http://ex<ample.com/", URL_BAD_HOST),
        ("http://例え\u200d.jp/", URL_BAD_HOST),  # a zero-width joiner where IDNA forbids it
        ("http://example.123/", URL_BAD_HOST),
        ("http://1.2.3.4.5/", URL_BAD_HOST),
        ("http://256.1.1.1/", URL_BAD_HOST),
        ("http://1.2.3.09/", URL_BAD_HOST),
        ("http://%C3%28.fr/", URL_BAD_HOST),  # not UTF-8
        ("javascript:alert(1)", URL_SCHEME),
        ("JavaScript:alert(document.cookie)", URL_SCHEME),
        ("data:text/html,<script>alert(1)</script>", URL_SCHEME),
        ("file:///etc/passwd", URL_SCHEME),
        ("ftp://x.fr/", URL_SCHEME),
        ("mailto:a@b.fr", URL_SCHEME),
        ("hxxp://x.fr/", URL_SCHEME),
        ("http://x.fr:99999/", None),
        ("http://x.fr:8o/", None),
        ("http://x.fr:-1/", None),
        ("http://x.fr/a\x01b", None),
        ("http://x.fr/" + "a" * 3000, None),
        ("http://x.fr/" + "é" * 400, None),  # the escaped form would be over 2,000 characters
    ],
)
def test_invalid_urls(raw, message):
    with pytest.raises(InvalidIndicator) as caught:
        canonical_url(raw)
    error = caught.value
    assert isinstance(error, ValueError)
    if message is not None:
        assert error.message == message
    # Plain French for a person: a full sentence, no technical English.
    assert error.message[0].isupper() and error.message[-1] in ".?"
    assert "adresse" in error.message
    assert str(error) == error.message


def test_url_messages_are_distinct_enough():
    messages = set()
    for raw in ("", "http://x.fr:99999/", "http://x.fr/" + "a" * 3000, "javascript:alert(1)", "http://x.fr/\x01a"):
        with pytest.raises(InvalidIndicator) as caught:
            canonical_url(raw)
        messages.add(caught.value.message)
    assert len(messages) == 5


def test_canonical_url_rejects_what_is_not_text():
    with pytest.raises(InvalidIndicator):
        canonical_url(b"http://x.fr/")  # type: ignore[arg-type]


# --- Expressions and hashes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "http://a.b.c/1/2.html?param=1",
            [
                "a.b.c/1/2.html?param=1",
                "a.b.c/1/2.html",
                "a.b.c/1/",
                "a.b.c/",
                "b.c/1/2.html?param=1",
                "b.c/1/2.html",
                "b.c/1/",
                "b.c/",
            ],
        ),
        (
            "http://a.b.c.d.e.f.g/1.html",
            [
                "a.b.c.d.e.f.g/1.html",
                "a.b.c.d.e.f.g/",
                "c.d.e.f.g/1.html",
                "c.d.e.f.g/",
                "d.e.f.g/1.html",
                "d.e.f.g/",
                "e.f.g/1.html",
                "e.f.g/",
                "f.g/1.html",
                "f.g/",
            ],
        ),
        ("http://1.2.3.4/1/", ["1.2.3.4/1/", "1.2.3.4/"]),
        ("http://a.b/", ["a.b/"]),
        ("http://localhost/x", ["localhost/x", "localhost/"]),
        ("http://[::1]/a/b", ["[::1]/a/b", "[::1]/a/", "[::1]/"]),
        ("https://x.fr:8443/a/?q", ["x.fr/a/?q", "x.fr/a/", "x.fr/"]),
    ],
)
def test_url_expressions(raw, expected):
    assert url_expressions(canonical_url(raw)) == expected


def test_url_expressions_are_capped_at_thirty():
    expressions = url_expressions(canonical_url("http://a.b.c.d.e.f.g.h/1/2/3/4/5/6/7.html?x=1"))
    assert len(expressions) == 30
    assert expressions[0] == "a.b.c.d.e.f.g.h/1/2/3/4/5/6/7.html?x=1"
    assert "d.e.f.g.h/1/2/3/" in expressions
    assert "e.f.g.h/1/2/3/4/" not in expressions  # at most four directory prefixes
    assert "c.d.e.f.g.h/" not in expressions  # at most the last five labels
    assert "h/" not in expressions  # never the top-level domain alone


def test_expression_hash_and_prefix():
    digest = expression_hash("a.b.c/1/2.html?param=1")
    assert digest == hashlib.sha256(b"a.b.c/1/2.html?param=1").digest()
    assert len(digest) == 32
    assert expression_hash("abc") == bytes.fromhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    assert PREFIX_LENGTH == 4
    assert hash_prefix(digest) == digest[:4]
    assert len(hash_prefix(digest)) == PREFIX_LENGTH
    # UTF-8, although canonical expressions are ASCII.
    assert expression_hash("é") == hashlib.sha256("é".encode()).digest()


def test_url_vectors_file_is_current():
    """The JavaScript port is checked against this file: it must say what the code does today. To update it:
    ``.venv/bin/python tests/antiscam/data/make_url_vectors.py``."""
    stored = make_url_vectors.OUTPUT.read_text(encoding="utf-8")
    assert stored == make_url_vectors.render()
    vectors = json.loads(stored)
    assert len(vectors) >= 80
    assert sum(vector["url"] is None for vector in vectors) >= 15
    for vector in vectors:
        assert set(vector) == {"input", "url", "expressions", "hashes"}
        assert [hashlib.sha256(e.encode()).hexdigest() for e in vector["expressions"]] == vector["hashes"]


# --- URL properties ----------------------------------------------------------------------------------------------

_label = st.one_of(
    st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9\-]{0,10}", fullmatch=True),
    st.text(alphabet="aébcаmeliçßü-ЁЖ日本0", min_size=1, max_size=8),
    st.sampled_from(["xn--amlie-csa", "xn--zz", "www", "%41", "%2e", "0x7f", "255", "a_b", "WWW", ""]),
)
_host = st.lists(_label, min_size=1, max_size=7).map(".".join)
_path_segment = st.one_of(
    st.text(alphabet="abcé%2E5F/.?\\ #~", max_size=8),
    st.sampled_from(["..", ".", "%2e%2e", "%252e", "%", "%%", "%C3%A9", "%c3", "%00", "%7F"]),
)
_path = st.lists(_path_segment, max_size=6).map(lambda segments: "/" + "/".join(segments))
_query = st.one_of(
    st.none(),
    st.lists(
        st.one_of(
            st.sampled_from(["utm_source=sms", "UTM_x=1", "fbclid=z", "a=1", "b", "", "a=%26b", "q=%2523", "x=é ?"]),
            st.text(alphabet="ab=&%25é+?", max_size=6),
        ),
        max_size=5,
    ).map("&".join),
)
_urls = st.builds(
    lambda scheme, userinfo, host, port, path, query, fragment: (
        f"{scheme}{userinfo}{host}{port}{path}{'' if query is None else '?' + query}{fragment}"
    ),
    st.sampled_from(["http://", "https://", "HTTPS://", "", "//", "http:\\\\", "hTtP:/"]),
    st.sampled_from(["", "user@", "www.ameli.fr@", "a:b@"]),
    _host,
    st.sampled_from(["", ":80", ":443", ":8080", ":", ":0"]),
    _path,
    _query,
    st.sampled_from(["", "#x", "#a?b#c"]),
)


def _check_expressions(url: CanonicalUrl) -> None:
    expressions = url_expressions(url)
    assert 1 <= len(expressions) <= 30
    assert len(set(expressions)) == len(expressions)
    assert expressions[0] == url.expression
    assert url.site_expression in expressions
    assert url.page_expression in expressions
    labels = url.host.split(".")
    for expression in expressions:
        host, slash, rest = expression.partition("/")
        assert slash == "/"
        assert url.host == host or (not url.is_ip and url.host.endswith("." + host) and "." in host)
        assert ("/" + rest) in (url.path, f"{url.path}?{url.query}") or url.path.startswith("/" + rest)
    assert len({e.partition("/")[0] for e in expressions}) <= min(5, max(1, len(labels) - 1) if not url.is_ip else 1)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_urls)
@example("http://a.b/%2525%2541?%2525%2541")
@example("https://amélie.fr/%C3%A9/?utm_source=x&q=%26utm_medium%3D1")
def test_canonical_url_is_idempotent(raw):
    try:
        url = canonical_url(raw)
    except InvalidIndicator as error:
        assert error.message
        return
    again = canonical_url(url.url)
    assert again == url
    assert again.url == url.url
    assert url.url.isascii()
    assert url.scheme in ("http", "https")
    assert url.path.startswith("/")
    assert "//" not in url.path
    assert url.query != ""
    assert len(url.url) <= 2000
    _check_expressions(url)


@settings(max_examples=600)
@given(st.text())
@example("http://x.fr/\u0085")
@example("%")
def test_canonical_url_is_idempotent_on_any_text(raw):
    try:
        url = canonical_url(raw)
    except InvalidIndicator:
        return
    assert canonical_url(url.url) == url
    _check_expressions(url)


# --- Phones ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164", "display", "region", "kind"),
    [
        ("06 12 34 56 78", "+33612345678", "06 12 34 56 78", "FR", "mobile"),
        ("06.12.34.56.78", "+33612345678", "06 12 34 56 78", "FR", "mobile"),
        ("06-12-34-56-78", "+33612345678", "06 12 34 56 78", "FR", "mobile"),
        ("0612345678", "+33612345678", "06 12 34 56 78", "FR", "mobile"),
        ("+33 6 12 34 56 78", "+33612345678", "06 12 34 56 78", "FR", "mobile"),
        ("+33612345678", "+33612345678", "06 12 34 56 78", "FR", "mobile"),
        ("0033612345678", "+33612345678", "06 12 34 56 78", "FR", "mobile"),
        ("+33 (0)6 12 34 56 78", "+33612345678", "06 12 34 56 78", "FR", "mobile"),
        ("tel:+33612345678", "+33612345678", "06 12 34 56 78", "FR", "mobile"),
        ("07 58 12 34 56", "+33758123456", "07 58 12 34 56", "FR", "mobile"),
        ("0033 1 23 45 67 89", "+33123456789", "01 23 45 67 89", "FR", "fixed"),
        ("09 70 12 34 56", "+33970123456", "09 70 12 34 56", "FR", "voip"),
        ("08 99 12 34 56", "+33899123456", "0 899 12 34 56", "FR", "premium"),
        ("08 10 12 34 56", "+33810123456", "0 810 12 34 56", "FR", "premium"),
        ("0 800 12 34 56", "+33800123456", "0 800 12 34 56", "FR", "free"),
        ("0690 12 34 56", "+590690123456", "0690 12 34 56", "GP", "mobile"),
        ("0692 12 34 56", "+262692123456", "0692 12 34 56", "RE", "mobile"),
        ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958", "GB", "fixed"),
        ("+1 (415) 555-2671", "+14155552671", "+1 415-555-2671", "US", "other"),
        ("+32 470 12 34 56", "+32470123456", "+32 470 12 34 56", "BE", "mobile"),
    ],
)
def test_normalise_phone(raw, e164, display, region, kind):
    phone = normalise_phone(raw)
    assert (phone.e164, phone.display, phone.region, phone.kind) == (e164, display, region, kind)
    assert normalise_phone(phone.e164) == phone
    assert normalise_phone(phone.display) == phone


def test_normalise_phone_default_region():
    assert normalise_phone("020 7946 0958", default_region="GB").e164 == "+442079460958"


@pytest.mark.parametrize("raw", ["33700", "3018", "17", "112", "3919", "36 15"])
def test_short_numbers_are_services(raw):
    with pytest.raises(InvalidIndicator) as caught:
        normalise_phone(raw)
    assert caught.value.message == PHONE_SHORT


@pytest.mark.parametrize(
    "raw",
    ["", "06 12 34 56", "06 12 34 56 78 90", "00 00 00 00 00", "+33 6", "06 12 AB 56 78", "appelez-moi", "+" * 5],
)
def test_invalid_phones(raw):
    with pytest.raises(InvalidIndicator) as caught:
        normalise_phone(raw)
    assert "numéro" in caught.value.message


# Mainland mobile ranges (06 90 and 06 39, for instance, belong to overseas departments).
_french_mobile = st.tuples(st.sampled_from("67"), st.text(alphabet="0123456789", min_size=7, max_size=7)).map(
    lambda drawn: (drawn[0], {"6": "1", "7": "6"}[drawn[0]] + drawn[1])
)


@settings(max_examples=300)
@given(
    _french_mobile,
    st.sampled_from(["0{}", "0{} ", "+33{}", "+33 {}", "0033{}", "+33 (0){}", " tel:+33{}"]),
    st.sampled_from(["", " ", ".", "-"]),
)
def test_phone_is_idempotent(mobile, prefix, separator):
    first, rest = mobile
    pairs = separator.join(rest[i : i + 2] for i in range(0, 8, 2))
    raw = prefix.format(first) + (separator if separator and not prefix.endswith(" ") else "") + pairs
    phone = normalise_phone(raw)
    assert phone.e164 == f"+33{first}{rest}"
    assert phone.kind == "mobile"
    assert phone.display == f"0{first} " + " ".join(rest[i : i + 2] for i in range(0, 8, 2))
    assert normalise_phone(phone.e164) == phone
    assert normalise_phone(phone.display) == phone


@settings(max_examples=400)
@given(st.one_of(st.text(), st.text(alphabet="+0123456789 ().-/", max_size=25)))
def test_phone_is_idempotent_on_any_text(raw):
    try:
        phone = normalise_phone(raw)
    except InvalidIndicator:
        return
    assert normalise_phone(phone.e164) == phone
    assert phone.kind in {"mobile", "fixed", "premium", "free", "voip", "other"}


# --- E-mails -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "address", "domain"),
    [
        ("Jean.Dupont@Gmail.COM", "jean.dupont@gmail.com", "gmail.com"),
        ("  <conseiller@banque-secure.fr>  ", "conseiller@banque-secure.fr", "banque-secure.fr"),
        ("mailto:Support@Ameli.fr", "support@ameli.fr", "ameli.fr"),
        ("contact@amélie.fr", "contact@xn--amlie-csa.fr", "xn--amlie-csa.fr"),
        ("service@аmeli.fr", "service@xn--meli-43d.fr", "xn--meli-43d.fr"),
        ("a+b_c-d@x.co.uk.", "a+b_c-d@x.co.uk", "x.co.uk"),
        ("Élodie@exemple.fr", "élodie@exemple.fr", "exemple.fr"),
    ],
)
def test_normalise_email(raw, address, domain):
    email = normalise_email(raw)
    assert (email.address, email.domain) == (address, domain)
    assert normalise_email(email.address) == email


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "jean.dupont",
        "@gmail.com",
        "jean@",
        "jean@localhost",
        "jean@1.2.3.4",
        "jean@[1.2.3.4]",
        "jean..dupont@gmail.com",
        ".jean@gmail.com",
        "jean.@gmail.com",
        "jean dupont@gmail.com",
        "jean@gmail com",
        "jean@exemple.zz",
        "jean@gmail%2Ecom",
        "a" * 65 + "@gmail.com",
        '"jean"@gmail.com',
    ],
)
def test_invalid_emails(raw):
    with pytest.raises(InvalidIndicator) as caught:
        normalise_email(raw)
    assert "adresse e-mail" in caught.value.message


@settings(max_examples=400)
@given(
    st.one_of(
        st.text(),
        st.builds(
            "{}@{}.{}".format,
            st.text(alphabet="abcÉİß.+-_'ЖK9", min_size=1, max_size=10),
            st.text(alphabet="abcéİß.-_аK9", min_size=1, max_size=10),
            st.sampled_from(["fr", "com", "CO.UK", "dupont", "zz"]),
        ),
    )
)
def test_email_is_idempotent(raw):
    try:
        email = normalise_email(raw)
    except InvalidIndicator:
        return
    assert normalise_email(email.address) == email
    assert email.address.endswith("@" + email.domain)
    assert email.domain.isascii()


# --- IBANs -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "compact", "display"),
    [
        ("FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189", "FR76 3000 6000 0112 3456 7890 189"),
        ("fr7630006000011234567890189", "FR7630006000011234567890189", "FR76 3000 6000 0112 3456 7890 189"),
        (
            "IBAN : FR76-3000-6000-0112-3456-7890-189",
            "FR7630006000011234567890189",
            "FR76 3000 6000 0112 3456 7890 189",
        ),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "DE89 3704 0044 0532 0130 00"),
        ("GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819", "GB29 NWBK 6016 1331 9268 19"),
    ],
)
def test_normalise_iban(raw, compact, display):
    iban = normalise_iban(raw)
    assert (iban.compact, iban.display, iban.country) == (compact, display, compact[:2])
    assert normalise_iban(iban.compact) == iban
    assert normalise_iban(iban.display) == iban


@pytest.mark.parametrize(
    "raw",
    [
        "FR76 3000 6000 0112 3456 7890 180",  # one digit wrong
        "FR76 3000 6000 0112 3456 7890 18",  # one digit missing
        "FR67 3000 6000 0112 3456 7890 189",  # check digits swapped
        "XX76 3000 6000 0112 3456 7890 189",  # no such country
        "FR76",
        "",
        "FR76 3000 6000 0112 3456 7890 18é",
    ],
)
def test_invalid_ibans(raw):
    with pytest.raises(InvalidIndicator) as caught:
        normalise_iban(raw)
    assert caught.value.message == IBAN_INVALID


# Layouts (as in the IBAN registry) of countries whose national part has no further check in python-stdnum.
_BBAN_LAYOUTS = {
    "FR": "5n5n11c2n",
    "MC": "5n5n11c2n",
    "DE": "8n10n",
    "GB": "4a6n8n",
    "IT": "1a5n5n12c",
    "NL": "4a10n",
    "CH": "5n12c",
    "LT": "5n11n",
}
_ALPHABETS = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _mod97_check_digits(country: str, bban: str) -> str:
    digits = "".join(str(int(character, 36)) for character in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


@st.composite
def _ibans(draw):
    country = draw(st.sampled_from(sorted(_BBAN_LAYOUTS)))
    layout = _BBAN_LAYOUTS[country]
    bban = ""
    number = ""
    for character in layout:
        if character.isdigit():
            number += character
        else:
            bban += draw(st.text(alphabet=_ALPHABETS[character], min_size=int(number), max_size=int(number)))
            number = ""
    compact = country + _mod97_check_digits(country, bban) + bban
    style = draw(st.sampled_from(["compact", "groups", "random"]))
    if style == "groups":
        written = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    elif style == "random":
        cuts = draw(st.lists(st.integers(1, len(compact) - 1), max_size=6, unique=True))
        written = "".join(c + (" " if i + 1 in cuts else "") for i, c in enumerate(compact))
    else:
        written = compact
    if draw(st.booleans()):
        written = written.lower()
    return compact, draw(st.sampled_from(["", " ", "IBAN ", "IBAN: "])) + written


@settings(max_examples=300)
@given(_ibans())
def test_iban_is_idempotent(generated):
    compact, written = generated
    iban = normalise_iban(written)
    assert iban.compact == compact
    assert iban.display.replace(" ", "") == compact
    assert all(len(group) == 4 for group in iban.display.split(" ")[:-1])
    assert normalise_iban(iban.compact) == iban
    assert normalise_iban(iban.display) == iban


@settings(max_examples=300)
@given(_ibans(), st.integers(min_value=4), st.sampled_from("0123456789"))
def test_iban_with_a_wrong_digit_is_rejected(generated, position, digit):
    compact, _ = generated
    position = 4 + position % (len(compact) - 4)
    if not compact[position].isdigit() or compact[position] == digit:
        return
    wrong = compact[:position] + digit + compact[position + 1 :]
    with pytest.raises(InvalidIndicator):
        normalise_iban(wrong)
