"""Write url_vectors.json: the expected canonical URL, hash expressions and their SHA-256 for each input, so that
the JavaScript port of ``cyberaide.antiscam.canonical`` can be checked against the Python code.

Run from the repository root after every change to the canonicalisation:

    .venv/bin/python tests/antiscam/data/make_url_vectors.py

``tests/antiscam/test_canonical.py`` fails while the file is out of date.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "url_vectors.json"

INPUTS = [
    # Case, default ports, missing path, spaces around.
    "http://www.GOOgle.com/",
    "HTTP://WWW.AMELI.FR",
    "  https://www.ameli.fr/assure  ",
    "http://x.fr:80/",
    "https://x.fr:443/a",
    "http://x.fr:443/a",
    "https://x.fr:8443/a",
    "http://x.fr:/a",
    "HtTpS://x.fr:0443/",
    # No scheme.
    "ameli-remboursement.com/x",
    "www.google.com",
    "//x.fr/a",
    "localhost:8080/a",
    # Fragment, tab, newline.
    "http://www.evil.com/blah#frag",
    "http://evil.com/foo#bar#baz",
    "http://www.google.com/foo\tbar\rbaz\n2",
    # Dot segments and slashes.
    "http://www.google.com/blah/..",
    "http://www.google.com/a/./b/../c",
    "http://host.com//twoslashes?more//slashes",
    "http://x.fr/a/b/.",
    "http://x.fr/../../a",
    "http://x.fr/%2e%2E/a/%2e/b",
    # Percent-encoding, repeated.
    "http://host/%25%32%35",
    "http://host/%25%32%35%25%32%35",
    "http://host/%2525252525252525",
    "http://host/asdf%25%32%35asd",
    "http://host/%%%25%32%35asd%%",
    "http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/",
    "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/",
    "http://host.com/ab%23cd",
    "http://x.fr/a%3Fb?c",
    "http://x.fr/a%5Cb",
    "http://x.fr/caf%C3%A9?q=%C3%A9t%C3%A9",
    "http://x.fr/café?q=été",
    "http://x.fr/a b?c d",
    "http://x.fr/%zz%4",
    # Query.
    "http://www.google.com/q?",
    "http://www.google.com/q?r?",
    "http://evil.com/foo?bar;",
    "https://ameli-sante.fr/?utm_source=sms&id=12&fbclid=AbC&utm_Medium=x&page=2",
    "https://x.fr/?UTM_CAMPAIGN=1&GCLID=2",
    "https://x.fr/a?&&",
    "https://x.fr/a?q=1%26utm_source%3Dx",
    "https://x.fr/a?x=%2523",
    # IP addresses.
    "http://3279880203/blah",
    "http://0xC3.0x7.0x9.0x8B/",
    "http://0300.07.011.0213/",
    "http://195.127.11/",
    "http://1.2.3.4/1/",
    "http://0x7f.1/",
    "http://[2001:DB8:0:0::1]:8080/a",
    "http://[::FFFF:192.0.2.1]/",
    # Hosts: trailing and repeated dots, userinfo, backslashes.
    "http://www.google.com.../",
    "http://ameli.fr./",
    "http://a..b...c/",
    "https://www.ameli.fr@evil.com/",
    "https://user:pass@www.ameli.fr:8080@evil.com/login",
    "http:\\\\evil.com\\@ameli.fr/",
    "http:/x.fr/a",
    "http://under_score.example.com/",
    "http://a.b.c.d.e.f.g/1.html",
    "http://a.b.c/1/2.html?param=1",
    "http://a.b.c/1/2/3/4/5/6.html?x=1",
    "https://bit.ly/3AbCdE",
    # International domain names, as written and as a browser reports them.
    "https://amélie.fr",
    "https://xn--amlie-csa.fr/",
    "https://аmeli.fr/",
    "https://xn--meli-43d.fr/",
    "http://faß.de/",
    "http://ＡＭＥＬＩ。ＦＲ/",
    "https://www.impôts.gouv.fr/espace",
    "https://XN--AMLIE-CSA.FR/",
    # Invalid.
    "",
    "http://",
    "http://exa mple.com",
    "http://[::1",
    "http://" + "a" * 64 + ".com/",
    "http://xn--zz.com/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://x.fr/",
    "http://x.fr:99999/",
    "http://x.fr:8o/",
    "http://example.123/",
    "http://1.2.3.4.5/",
    "http://256.1.1.1/",
    "http://x.fr/a\x01b",
    "\x00 http://x.fr/a\x7f",
    "http://user@/",
    "http://" + "a" * 3000 + ".com/",
    "http://ex%2Fample.com/",
    "http://[fe80::1%25eth0]/",
]


def vectors() -> list[dict]:
    sys.path.insert(0, str(HERE.parents[2]))
    from cyberaide.antiscam.canonical import InvalidIndicator, canonical_url, expression_hash, url_expressions

    result = []
    for raw in INPUTS:
        try:
            url = canonical_url(raw)
        except InvalidIndicator:
            result.append({"input": raw, "url": None, "expressions": [], "hashes": []})
            continue
        expressions = url_expressions(url)
        hashes = [expression_hash(expression).hex() for expression in expressions]
        result.append({"input": raw, "url": url.url, "expressions": expressions, "hashes": hashes})
    return result


def render() -> str:
    return json.dumps(vectors(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"{OUTPUT}: {len(INPUTS)} vectors")
