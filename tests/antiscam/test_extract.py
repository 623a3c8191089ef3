import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberaide.antiscam.canonical import IBAN_INVALID, CanonicalUrl, Email, Iban, Phone, canonical_url
from cyberaide.antiscam.extract import (
    MAX_INDICATORS,
    MAX_TEXT_CHARS,
    NOT_TEXT,
    TEXT_TOO_LONG,
    Extraction,
    Found,
    InvalidInput,
    Kind,
    Rejected,
    classify_single,
    extract_indicators,
)

URL, EMAIL, PHONE, IBAN = Kind.URL, Kind.EMAIL, Kind.PHONE, Kind.IBAN


def found(text: str) -> list[tuple[Kind, str]]:
    extraction = extract_indicators(text)
    assert not extraction.truncated
    return [(item.kind, item.value) for item in extraction.found]


# --- Realistic messages ------------------------------------------------------------------------------------------

PARCEL = (
    "Colissimo : votre colis n°6A12345678901 est en attente de livraison, des frais de 1,99 € sont à régler. "
    "Rendez-vous sur https://colissimo-suivi-livraison.com/track?id=FR4471&utm_source=sms avant le 12/06 à 18h00."
)
CARTE_VITALE = (
    "Assurance Maladie : votre carte Vitale arrive à expiration. Pour éviter toute interruption de vos "
    "remboursements, commandez la nouvelle sur ameli-carte-vitale.fr/renouvellement. Service client : 09 70 12 34 56."
)
TAX_REFUND = """Objet : Remboursement d'impôt

Madame, Monsieur,

Après le calcul de votre impôt sur le revenu 2024, vous pouvez bénéficier d'un remboursement de 349,50 €.
Pour le recevoir, complétez le formulaire : hxxps://impots-gouv-remboursement[.]info/formulaire/?ref=DGFIP-2024
Contact : remboursement@impots-gouv-fr.info

Direction générale des Finances publiques
impots.gouv.fr"""
ANTAI = (
    "ANTAI : Vous avez une amende impayée de 35€ (avis n°2024-0512). Sans paiement sous 48h, elle sera majorée à "
    "135€. Réglez sur https://antai-paiement.fr/amende?n=20240512. STOP au 36111"
)
NEW_NUMBER = (
    "Coucou maman, c'est moi, j'ai cassé mon téléphone 😢 c'est mon nouveau numéro. Tu peux m'écrire sur WhatsApp "
    "au +33 7 58 12 34 56 ? C'est urgent, je dois payer une facture aujourd'hui."
)
BANK_ADVISER = """Bonjour M.Dupont,
Je suis Mme Martin, votre conseillère du service fraude de la Société Générale. Une opération suspecte de
1 249,00 € a été détectée le 03.06.2024 à 14h30.
Merci de me rappeler au 01 84 88 12 34 (ligne directe) ou au 06.12.34.56.78.
Pour sécuriser vos fonds, effectuez un virement vers le compte sécurisé :
IBAN : FR76 3000 6000 0112 3456 7890 189
BIC : SOGEFRPP
Cordialement,
Service Sécurité – securite@societe-generale-secure.com"""
DEFANGED = (
    "Votre commande Amazon est bloquée. Vérifiez vos informations sur www.amazon-verif-commande.com ou "
    "evil[dot]com/login (lien : http[:]//amazon-secure(.)net/a). Ne répondez pas à ce SMS."
)
CPF = (
    "Votre solde CPF de 1 500 € expire ! Appelez le +44 20 7946 0958 ou le 0044 20 7946 0958. "
    "Site : https://moncompteformation-cpf.fr/ https://moncompteformation-cpf.fr"
)
CRYPTO_CALL = (
    "Bonjour, ici Julien de Coinbase France. Votre portefeuille est bloqué. Rappelez le 08 99 12 34 56 "
    "ou écrivez à support.coinbase@gmail.com. Identifiez-vous sur coinbase-verification.online "
    "(et non coinbase.com). Aucun frais."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PARCEL, [(URL, "https://colissimo-suivi-livraison.com/track?id=FR4471")]),
        (
            CARTE_VITALE,
            [(URL, "http://ameli-carte-vitale.fr/renouvellement"), (PHONE, "+33970123456")],
        ),
        (
            TAX_REFUND,
            [
                (URL, "https://impots-gouv-remboursement.info/formulaire/?ref=DGFIP-2024"),
                (EMAIL, "remboursement@impots-gouv-fr.info"),
                (URL, "http://impots.gouv.fr/"),
            ],
        ),
        (ANTAI, [(URL, "https://antai-paiement.fr/amende?n=20240512")]),
        (NEW_NUMBER, [(PHONE, "+33758123456")]),
        (
            BANK_ADVISER,
            [
                (PHONE, "+33184881234"),
                (PHONE, "+33612345678"),
                (IBAN, "FR7630006000011234567890189"),
                (EMAIL, "securite@societe-generale-secure.com"),
            ],
        ),
        (
            DEFANGED,
            [
                (URL, "http://www.amazon-verif-commande.com/"),
                (URL, "http://evil.com/login"),
                (URL, "http://amazon-secure.net/a"),
            ],
        ),
        (CPF, [(PHONE, "+442079460958"), (URL, "https://moncompteformation-cpf.fr/")]),
        (
            CRYPTO_CALL,
            [
                (PHONE, "+33899123456"),
                (EMAIL, "support.coinbase@gmail.com"),
                (URL, "http://coinbase-verification.online/"),
                (URL, "http://coinbase.com/"),
            ],
        ),
    ],
)
def test_realistic_messages(text, expected):
    extraction = extract_indicators(text)
    assert [(item.kind, item.value) for item in extraction.found] == expected
    assert extraction.rejected == ()
    assert extraction.truncated is False


def test_found_items_carry_their_details():
    extraction = extract_indicators(BANK_ADVISER + "\n" + PARCEL + "\n" + TAX_REFUND)
    by_value = {item.value: item for item in extraction.found}

    phone = by_value["+33612345678"]
    assert phone.raw == "06.12.34.56.78"
    assert phone.display == "06 12 34 56 78"
    assert isinstance(phone.detail, Phone) and phone.detail.kind == "mobile"

    iban = by_value["FR7630006000011234567890189"]
    assert iban.raw == "FR76 3000 6000 0112 3456 7890 189"
    assert iban.display == "FR76 3000 6000 0112 3456 7890 189"
    assert isinstance(iban.detail, Iban) and iban.detail.country == "FR"

    email = by_value["securite@societe-generale-secure.com"]
    assert isinstance(email.detail, Email) and email.detail.domain == "societe-generale-secure.com"

    url = by_value["https://colissimo-suivi-livraison.com/track?id=FR4471"]
    assert url.raw == "https://colissimo-suivi-livraison.com/track?id=FR4471&utm_source=sms"
    assert isinstance(url.detail, CanonicalUrl)
    assert url.detail.removed_tracking == ("utm_source",)
    assert url.display == url.value

    defanged = by_value["https://impots-gouv-remboursement.info/formulaire/?ref=DGFIP-2024"]
    assert defanged.raw == "hxxps://impots-gouv-remboursement[.]info/formulaire/?ref=DGFIP-2024"


def test_look_alike_host_is_shown_in_ascii():
    (item,) = extract_indicators("Connectez-vous sur https://аmeli.fr/assure").found
    assert item.value == "https://xn--meli-43d.fr/assure"
    assert item.display == "https://xn--meli-43d.fr/assure"
    assert item.detail.unicode_host == "аmeli.fr"


# --- What ordinary text must not give ----------------------------------------------------------------------------

ORDINARY = """Bonjour M.Dupont, la réunion est déplacée au 12/06/2024 à 14h30 (salle 3.2). Le devis v1.2 s'élève à
12.50 € HT, soit 1 234,56 € TTC. Merci de renvoyer le fichier.pdf signé et la photo.JPG au 12 rue de la Paix,
75002 Paris. Version 2.0.1, 3.5 kg, 1.5 l, dossier n° 123456789, rendez-vous 14:30 le 2024-06-12, le 06/12 ou
le 12.06.2024 10:30. Montant : 1.234,56 €. Code postal 13001. Réf. 0612-3456. Mme.Martin, S.A.R.L. Durand,
Dr.House, etc.Merci. Note : 4.5/5, 10.0.0/24, 3.14159. A.B.C. e.g. i.e. Tél. au standard."""


def test_ordinary_text_gives_nothing():
    extraction = extract_indicators(ORDINARY)
    assert extraction == Extraction(found=(), rejected=(), truncated=False)


@pytest.mark.parametrize(
    "text",
    [
        "M.Dupont",
        "fichier.pdf",
        "archive.zip",
        "script.py",
        "1.5",
        "v1.2",
        "12.50 €",
        "14h30",
        "le 12.05.2024",
        "75001",
        "colis.Plus d'infos demain",
        "Rendez-vous.Merci",
        "1 234 567,89 €",
        "+33",
        "06 12 34 56",
        "0612345678901",
        "BIC : SOGEFRPP",
        "AB12 CDEF GHIJ KLMN",
        "jean@localhost",
        "@gmail.com",
        "http//x.fr",
    ],
)
def test_not_indicators(text):
    assert extract_indicators(text) == Extraction(found=(), rejected=(), truncated=False)


# --- Shapes and boundaries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Allez sur https://x.fr/a.", "https://x.fr/a"),
        ("Allez sur https://x.fr/a, puis", "https://x.fr/a"),
        ("(https://x.fr/a)", "https://x.fr/a"),
        ("«https://x.fr/a»", "https://x.fr/a"),
        ("« https://x.fr/a »", "https://x.fr/a"),
        ('"https://x.fr/a"', "https://x.fr/a"),
        ("'https://x.fr/a'", "https://x.fr/a"),
        ("https://x.fr/a!", "https://x.fr/a"),
        ("https://x.fr/a?!", "https://x.fr/a"),
        ("https://x.fr/a…", "https://x.fr/a"),
        ("[https://x.fr/a]", "https://x.fr/a"),
        (
            "Voir https://fr.wikipedia.org/wiki/Arnaque_(escroquerie).",
            "https://fr.wikipedia.org/wiki/Arnaque_(escroquerie)",
        ),
        ("lien:https://x.fr/a", "https://x.fr/a"),
        ("HTTPS://X.FR/A", "https://x.fr/A"),
        ("hxxp://evil[.]com/x", "http://evil.com/x"),
        ("hXXps://evil(.)com", "https://evil.com/"),
        ("http[:]//evil[.]com", "http://evil.com/"),
        ("evil[.]com", "http://evil.com/"),
        ("evil(dot)fr/x", "http://evil.fr/x"),
        ("www.ameli.fr.", "http://www.ameli.fr/"),
        ("WWW.AMELI.FR", "http://www.ameli.fr/"),
        ("www2.banque-en-ligne.fr/login", "http://www2.banque-en-ligne.fr/login"),
        ("Ameli.fr", "http://ameli.fr/"),
        ("ameli.fr:8080/x", "http://ameli.fr:8080/x"),
        ("colis-suivi.dupont/suivi", "http://colis-suivi.dupont/suivi"),
        ("amélie.fr", "http://xn--amlie-csa.fr/"),
        ("https://bit.ly/3xYzAbC", "https://bit.ly/3xYzAbC"),
        ("http://3279880203/login", "http://195.127.0.11/login"),
        ("http://[2001:db8::1]/a", "http://[2001:db8::1]/a"),
        ("https://x.fr/?id=1&fbclid=abc", "https://x.fr/?id=1"),
    ],
)
def test_url_shapes(text, value):
    assert found(text) == [(URL, value)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("06-12-34-56-78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("Tél.06 12 34 56 78", "+33612345678"),
        ("Tel:0612345678.", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33612345678", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("0033 1 23 45 67 89", "+33123456789"),
        ("06\u00a012\u00a034\u00a056\u00a078", "+33612345678"),
        ("09 70 12 34 56", "+33970123456"),
        ("08 99 12 34 56", "+33899123456"),
        ("0 899 12 34 56", "+33899123456"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+44 20 7946 0958 2 fois", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+32 470 12 34 56", "+32470123456"),
        ("0690 12 34 56", "+590690123456"),
    ],
)
def test_phone_shapes(text, value):
    assert found(text) == [(PHONE, value)]


@pytest.mark.parametrize(
    "text",
    [
        "FR76 3000 6000 0112 3456 7890 189",
        "FR7630006000011234567890189",
        "IBAN:FR7630006000011234567890189.",
        "FR76\u00a03000\u00a06000\u00a00112\u00a03456\u00a07890\u00a0189",
        "FR76 3000 6000 0112 3456 7890 189 OK",
    ],
)
def test_iban_shapes(text):
    assert found(text) == [(IBAN, "FR7630006000011234567890189")]


def test_other_countries_ibans():
    text = "DE89 3704 0044 0532 0130 00 et GB29 NWBK 6016 1331 9268 19 puis BE68539007547034"
    assert found(text) == [
        (IBAN, "DE89370400440532013000"),
        (IBAN, "GB29NWBK60161331926819"),
        (IBAN, "BE68539007547034"),
    ]


def test_email_is_not_also_a_url():
    assert found("Écrivez à jean.dupont@gmail.com ou à support@www.banque-secure.fr.") == [
        (EMAIL, "jean.dupont@gmail.com"),
        (EMAIL, "support@www.banque-secure.fr"),
    ]
    assert found("contact@amélie.fr") == [(EMAIL, "contact@xn--amlie-csa.fr")]
    assert found("Jean.Dupont@Gmail.COM") == [(EMAIL, "jean.dupont@gmail.com")]


def test_digits_of_urls_and_ibans_are_not_phone_numbers():
    assert found("https://x.fr/rappel/0612345678") == [(URL, "https://x.fr/rappel/0612345678")]
    assert found("x.fr/0612345678") == [(URL, "http://x.fr/0612345678")]
    assert found("FR76 3000 6000 0112 3456 7890 189") == [(IBAN, "FR7630006000011234567890189")]


def test_userinfo_trick_reports_the_real_host():
    (item,) = extract_indicators("Connectez-vous : https://www.ameli.fr@evil.com/login").found
    assert item.value == "https://evil.com/login"
    assert item.detail.registrable_domain == "evil.com"


def test_rejected_indicators():
    text = (
        "Virement sur FR76 3000 6000 0112 3456 7890 180 ou sur http://xn--zz.com/paiement, "
        "site http://" + "a" * 64 + ".fr/ ; rappelez le 06 12 34 56 78"
    )
    extraction = extract_indicators(text)
    assert [(item.kind, item.value) for item in extraction.found] == [(PHONE, "+33612345678")]
    assert [(item.kind, item.raw) for item in extraction.rejected] == [
        (IBAN, "FR76 3000 6000 0112 3456 7890 180"),
        (URL, "http://xn--zz.com/paiement"),
        (URL, "http://" + "a" * 64 + ".fr/"),
    ]
    assert extraction.rejected[0].message == IBAN_INVALID
    for item in extraction.rejected:
        assert isinstance(item, Rejected)
        assert item.message[0].isupper() and item.message[-1] in ".?"


def test_url_cut_by_a_space_is_rejected_not_taken_for_an_intranet():
    extraction = extract_indicators("http://exa mple.com")
    assert [(item.kind, item.raw) for item in extraction.rejected] == [(URL, "http://exa")]
    assert [(item.kind, item.value) for item in extraction.found] == [(URL, "http://mple.com/")]


def test_deduplication_keeps_the_first_writing():
    text = "HTTPS://X.FR puis https://x.fr/ puis https://x.fr:443/#haut, 06 12 34 56 78, +33612345678, 0612345678"
    extraction = extract_indicators(text)
    assert [(item.kind, item.value, item.raw) for item in extraction.found] == [
        (URL, "https://x.fr/", "HTTPS://X.FR"),
        (PHONE, "+33612345678", "06 12 34 56 78"),
    ]


def test_cap_on_indicators():
    text = " ".join(f"https://site{i}.fr/x" for i in range(MAX_INDICATORS + 10))
    extraction = extract_indicators(text)
    assert len(extraction.found) == MAX_INDICATORS
    assert extraction.truncated is True
    assert extraction.found[0].value == "https://site0.fr/x"
    assert extraction.found[-1].value == f"https://site{MAX_INDICATORS - 1}.fr/x"

    exactly = " ".join(f"https://site{i}.fr/x" for i in range(MAX_INDICATORS))
    assert extract_indicators(exactly + " " + exactly).truncated is False


def test_cap_on_rejected():
    text = " ".join(f"http://{i}{'a' * 64}.fr/" for i in range(MAX_INDICATORS + 5)) + " https://fin.fr/"
    extraction = extract_indicators(text)
    assert len(extraction.rejected) == MAX_INDICATORS
    assert extraction.truncated is True
    assert [item.value for item in extraction.found] == ["https://fin.fr/"]


# --- Input limits ------------------------------------------------------------------------------------------------


def test_text_too_long():
    assert extract_indicators("a" * MAX_TEXT_CHARS).found == ()
    with pytest.raises(InvalidInput) as caught:
        extract_indicators("a" * (MAX_TEXT_CHARS + 1))
    assert caught.value.message == TEXT_TOO_LONG
    assert "20 000" in caught.value.message
    with pytest.raises(InvalidInput):
        classify_single("https://x.fr/" + "a" * MAX_TEXT_CHARS)


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour\x00https://x.fr/",
        bytes(range(256)).decode("latin-1") * 3,
        "PK\x03\x04\x14\x00\x06\x00" + "\ufffd" * 40 + "https://x.fr/",
        "\x01\x02\x03\x04\x05 abc",
    ],
)
def test_binary_input(text):
    with pytest.raises(InvalidInput) as caught:
        extract_indicators(text)
    assert caught.value.message == NOT_TEXT
    assert isinstance(caught.value, ValueError)


def test_a_few_odd_characters_are_still_text():
    text = "Bonjour\x0bvotre colis\x0c : https://x.fr/a \ufffd merci\x07"
    assert found(text) == [(URL, "https://x.fr/a")]


def test_not_a_string():
    with pytest.raises(InvalidInput):
        extract_indicators(b"https://x.fr/")  # type: ignore[arg-type]


ADVERSARIAL = [
    "1" * MAX_TEXT_CHARS,
    "0" * MAX_TEXT_CHARS,
    "." * MAX_TEXT_CHARS,
    "a." * (MAX_TEXT_CHARS // 2),
    ("a." * (MAX_TEXT_CHARS // 2))[:-1],
    ("http://" * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS],
    ("http:// " * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS],
    "@" * MAX_TEXT_CHARS,
    "a@" * (MAX_TEXT_CHARS // 2),
    ("x@" + "a." * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS],
    "1 " * (MAX_TEXT_CHARS // 2),
    "06 " * (MAX_TEXT_CHARS // 3),
    "+" + "1" * (MAX_TEXT_CHARS - 1),
    ("00" + "1 " * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS],
    "www." * (MAX_TEXT_CHARS // 4),
    "FR76 " * (MAX_TEXT_CHARS // 5),
    ("FR76" + "A" * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS],
    "a[.]" * (MAX_TEXT_CHARS // 4),
    "https://x.fr/" + ")" * (MAX_TEXT_CHARS - 13),
    "(" * (MAX_TEXT_CHARS // 2) + ")" * (MAX_TEXT_CHARS // 2),
    ("hxxp[:]//a" * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS],
    ("a-" * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS],
    " ".join(f"s{i}.fr" for i in range(MAX_TEXT_CHARS))[:MAX_TEXT_CHARS],
    " ".join(f"0{i % 9 + 1} 12 34 {i % 100:02d} {i // 100 % 100:02d}" for i in range(MAX_TEXT_CHARS))[:MAX_TEXT_CHARS],
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_inputs_complete(text):
    assert len(text) <= MAX_TEXT_CHARS
    extraction = extract_indicators(text)
    assert isinstance(extraction, Extraction)
    assert len(extraction.found) <= MAX_INDICATORS
    classify_single(text)


# --- One indicator alone -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("https://ameli-remboursement.com/x", URL, "https://ameli-remboursement.com/x"),
        ("  ameli.fr.  ", URL, "http://ameli.fr/"),
        ("secure-ameli.dupont", URL, "http://secure-ameli.dupont/"),
        ("hxxps://evil[.]com/a", URL, "https://evil.com/a"),
        ("«https://x.fr/a»", URL, "https://x.fr/a"),
        ("1.2.3.4", URL, "http://1.2.3.4/"),
        ("06 12 34 56 78", PHONE, "+33612345678"),
        ("tel:+33612345678", PHONE, "+33612345678"),
        ("+33 (0)6 12 34 56 78", PHONE, "+33612345678"),
        ("06 1234 5678", PHONE, "+33612345678"),
        ("fr76 3000 6000 0112 3456 7890 189", IBAN, "FR7630006000011234567890189"),
        ("IBAN : FR76 3000 6000 0112 3456 7890 189", IBAN, "FR7630006000011234567890189"),
        ("mailto:Jean@Exemple.FR", EMAIL, "jean@exemple.fr"),
        ("<jean@exemple.fr>", EMAIL, "jean@exemple.fr"),
    ],
)
def test_classify_single(text, kind, value):
    item = classify_single(text)
    assert isinstance(item, Found)
    assert (item.kind, item.value) == (kind, value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "bonjour",
        "1.5",
        "12.50",
        "33700",
        "17",
        "06 12 34 56 78 et 07 12 34 56 78",
        "va sur ameli.fr",
        "FR76 3000 6000 0112 3456 7890 180",
        "http://exa mple.com",
        "javascript:alert(1)",
        "localhost",
        "http://intranet/",
    ],
)
def test_classify_single_none(text):
    assert classify_single(text) is None


# --- Properties --------------------------------------------------------------------------------------------------

_filler = st.text(alphabet="abcdefghij éèàç,;!?'\n", max_size=40)


def _iban(bban: str, country: str = "FR") -> str:
    digits = "".join(str(int(character, 36)) for character in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


@settings(max_examples=200)
@given(
    _filler,
    st.text(alphabet="0123456789", min_size=23, max_size=23),
    _filler,
    st.text(alphabet="0123456789", min_size=7, max_size=7).map("1".__add__),  # mainland: 06 1x
    _filler,
    st.sampled_from(["https://", "http://", "www.", ""]),
    st.from_regex(r"[a-z][a-z0-9\-]{1,15}", fullmatch=True),
    st.sampled_from(["fr", "com", "info"]),
    _filler,
)
def test_indicators_are_found_in_any_text(before, bban, middle, mobile, after, prefix, name, tld, end):
    iban = _iban(bban)
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    phone = "06 " + " ".join(mobile[i : i + 2] for i in range(0, 8, 2))
    host = f"{name}.{tld}"
    text = f"{before} {grouped} {middle} {phone} {after} {prefix}{host}/x {end}"
    values = {(item.kind, item.value) for item in extract_indicators(text).found}
    assert (IBAN, iban) in values
    assert (PHONE, "+336" + mobile) in values
    assert (URL, canonical_url(f"{prefix}{host}/x").url) in values


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_extraction_properties_on_any_text(text):
    try:
        extraction = extract_indicators(text)
    except InvalidInput as error:
        assert error.message in (NOT_TEXT, TEXT_TOO_LONG)
        return
    keys = [(item.kind, item.value) for item in extraction.found]
    assert len(keys) == len(set(keys)) <= MAX_INDICATORS
    for item in extraction.found:
        if item.kind is URL:
            assert canonical_url(item.value).url == item.value
        assert item.raw
    classify_single(text)
