"""The situation questions in a real browser: the same story gets the chat or not depending on what the victim
lost, and an organisation gets what fits an organisation. axe-core on the new question pages and the results."""

import pytest

from cyberaide.diagnostic.graphs import graph_for_version_id

from .test_victim_journey import walk_to_result

pytestmark = [pytest.mark.django_db(transaction=True)]

CHAT = "Parler maintenant à un policier ou un gendarme"
NO_PROVIDER = "un prestataire informatique ne peut pas vous aider"


def service_titles(page) -> list[str]:
    return page.locator(
        "#services ~ .fr-card .fr-card__title, section:has(#services) .fr-card__title"
    ).all_inner_texts()


def test_a_card_given_to_a_fake_bank_adviser_yesterday_gets_the_chat_and_the_bank_first(
    page, live_server, graph_version, screenshot, axe_violations
):
    graph = graph_for_version_id(graph_version.pk)
    seen = []

    def on_the_first_situation_question(current):
        assert current.get_by_text("Nous avons reconnu votre situation").is_visible()
        seen.append(axe_violations(current))

    from .test_victim_journey import answer_questions, pick

    page.goto(live_server.url + "/diagnostic/")
    pick(page, graph.audience("particulier").label)
    page.get_by_role("button", name="Commencer").click()
    answers = [
        ("p_affected", "money"),
        ("p_money", "bank_adviser"),  # "… vous a fait valider une opération ou remettre votre carte"
        ("s_money_when", "recent"),  # yesterday
        ("s_device", "untouched"),
    ]
    answer_questions(page, graph, "particulier", answers, screenshot, "card-", checks=on_the_first_situation_question)
    page.get_by_role("heading", level=1, name="Vous semblez être victime de").wait_for()
    assert seen == [[]]  # no serious or critical violation on the situation question
    assert page.get_by_text("Gravité : Critique").is_visible()
    assert page.get_by_text("De l'argent est parti il y a moins de 48 heures").is_visible()
    assert page.get_by_role("heading", name=CHAT).is_visible()
    titles = service_titles(page)
    assert titles[0] == "Votre banque"
    assert NO_PROVIDER in page.locator("#prestataires").inner_text()
    assert page.locator("ol.cy-steps li").first.inner_text().startswith("Appelez votre banque maintenant")
    screenshot(page, "card-result")
    assert axe_violations(page) == []


def test_the_same_call_without_any_money_lost_gets_no_chat(page, live_server, graph_version, screenshot):
    graph = graph_for_version_id(graph_version.pk)
    by_phone = [("p_affected", "message"), ("p_message_channel", "call"), ("p_call", "bank_adviser")]
    walk_to_result(
        page,
        live_server,
        graph,
        "particulier",
        "fake_bank_adviser",
        situation={"s_money": "none", "s_device": "untouched"},
        path=by_phone,
    )
    assert page.get_by_text("Gravité : Faible").is_visible()
    assert page.get_by_role("heading", name=CHAT).count() == 0
    assert NO_PROVIDER in page.locator("#prestataires").inner_text()
    screenshot(page, "call-without-loss-result")


def test_a_company_stopped_by_ransomware(page, live_server, graph_version, screenshot, axe_violations):
    graph = graph_for_version_id(graph_version.pk)
    walk_to_result(
        page,
        live_server,
        graph,
        "entreprise",
        "ransomware",
        screenshot,
        "company-",
        situation={"s_activity": "stopped", "s_others_data": "not_exposed"},
    )
    assert page.get_by_role("heading", name=CHAT).is_visible()
    titles = service_titles(page)
    assert any(title.startswith("CSIRT régional") for title in titles)
    assert not any(title.startswith("THESEE") for title in titles)
    assert page.get_by_role("button", name="Voir les prestataires proches").is_visible()
    assert page.get_by_text("L'activité de la structure est arrêtée").is_visible()
    screenshot(page, "company-result")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 740})
    screenshot(page, "company-result-phone")
