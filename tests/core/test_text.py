from hypothesis import given
from hypothesis import strategies as st

from cyberaide.core.text import contains_markup, scrub_personal_data


def test_personal_data_is_removed_and_the_rest_kept():
    text = (
        "Écrit par jean.dupont@orange.fr, rappelez le 06 12 34 56 78 ou le +33 6 12 34 56 78 ou 0033612345678. "
        "Payez sur FR76 3000 6000 0112 3456 7890 189 avec la carte 4970 1000 0000 0006. Colis 2024 à 150 euros."
    )
    scrubbed = scrub_personal_data(text)
    for secret in ["jean.dupont", "06 12 34 56 78", "+33 6", "0033612345678", "FR76", "4970 1000"]:
        assert secret not in scrubbed
    assert "[adresse e-mail retirée]" in scrubbed and "[IBAN retiré]" in scrubbed
    assert "[numéro de carte retiré]" in scrubbed and "[numéro retiré]" in scrubbed
    assert "Colis 2024 à 150 euros." in scrubbed


@given(st.from_regex(r"0[1-9]( ?\d{2}){4}", fullmatch=True), st.text(alphabet="abcdefgh ", max_size=30))
def test_any_french_phone_number_is_removed(number, words):
    assert number not in scrub_personal_data(f"{words} {number} {words}")


def test_markup_is_detected_but_not_comparisons():
    assert contains_markup("<script>alert(1)</script>")
    assert contains_markup("voir <a href=x>ici</a>")
    assert not contains_markup("il m'a demandé 3 < 4 euros, puis plus de 10 >")


def test_dates_are_written_as_in_french():
    from datetime import UTC, date, datetime

    from cyberaide.core.templatetags.french import french_date

    assert french_date(date(2026, 10, 1)) == "1er octobre 2026"
    assert french_date(date(2026, 10, 31)) == "31 octobre 2026"
    # 13:05 UTC is 14 h 05 in Paris in November.
    assert french_date(datetime(2026, 11, 25, 13, 5, tzinfo=UTC), "heure") == "25 novembre 2026 à 14 h 05"
    assert french_date(None) == ""
