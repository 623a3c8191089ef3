"""Extraction on the corpus of real-looking French SMS and e-mails written for the tests (tests/antiscam/data/
messages.yaml): every indicator a message holds is found, nothing else, and invalid IBANs are named as such."""

from pathlib import Path

import pytest
import yaml

from cyberaide.antiscam.extract import Kind, classify_single, extract_indicators

CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "messages.yaml").read_text(encoding="utf-8"))


def expected_values(entry):
    """The canonical values of the message's indicators, and the phone numbers in ranges not in service (the
    corpus uses the blocks reserved for fiction: they are named as not valid rather than found)."""
    values, unallocated = set(), set()
    for item in entry.get("expected", []):
        found = classify_single(item["raw"])
        if found is None and item["kind"] == "phone":
            # Written the French way, it is named as not valid; a foreign one is left out.
            if not item["raw"].startswith("+") or item["raw"].startswith("+33"):
                unallocated.add(item["raw"])
            continue
        assert found is not None, f"{entry['id']}: {item['raw']!r} is not readable alone"
        values.add((found.kind.value, found.value))
    return values, unallocated


@pytest.mark.parametrize("entry", CORPUS, ids=[entry["id"] for entry in CORPUS])
def test_every_indicator_of_the_message_is_found_and_nothing_else(entry):
    extraction = extract_indicators(entry["text"])
    found = {(item.kind.value, item.value) for item in extraction.found}
    expected, unallocated = expected_values(entry)
    assert found == expected
    invalid = {item["raw"] for item in entry.get("expected_invalid", [])}
    assert invalid <= {item.raw for item in extraction.rejected if item.kind == Kind.IBAN}
    assert unallocated <= {item.raw for item in extraction.rejected if item.kind == Kind.PHONE}


def test_the_corpus_is_varied_enough_to_mean_something():
    kinds = {item["kind"] for entry in CORPUS for item in entry.get("expected", [])}
    assert kinds == {"url", "phone", "email", "iban"}
    assert sum(not entry["scam"] for entry in CORPUS) >= 30
