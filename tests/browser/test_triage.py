"""« Décrivez ce qui vous arrive » in a real browser: a victim's own words lead to the right situation, its
situation questions and the result; axe-core on the description step and the suggestions, on a phone too."""

import pytest

from cyberaide.diagnostic import engine
from cyberaide.diagnostic.graphs import graph_for_version_id

from .test_victim_journey import answer_questions, pick

pytestmark = [pytest.mark.django_db(transaction=True)]

STORY = "un faux conseiller de ma banque m'a fait valider des virements hier, mon compte est vide"
CHAT = "Parler maintenant à un policier ou un gendarme"


def test_a_fake_bank_adviser_told_in_plain_words_reaches_the_result_with_the_chat(
    page, live_server, graph_version, screenshot, axe_violations
):
    graph = graph_for_version_id(graph_version.pk)
    page.goto(live_server.url + "/diagnostic/")
    pick(page, graph.audience("particulier").label)
    page.get_by_label("Décrivez en quelques mots ce qui vous arrive").fill(STORY)
    screenshot(page, "triage-description")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Commencer").click()

    page.get_by_role("heading", level=1, name="Les situations qui ressemblent à la vôtre").wait_for()
    suggestions = page.locator(".cy-suggestion h2").all_inner_texts()
    assert len(suggestions) == 3 and suggestions[0] == "Faux conseiller bancaire"
    assert page.locator(".cy-suggestion .fr-badge").first.inner_text().lower().startswith("très probable")
    assert page.get_by_role("button", name="Aucune ne correspond : répondre aux questions").is_visible()
    screenshot(page, "triage-suggestions")
    assert axe_violations(page) == []
    page.get_by_role("button", name="C'est ma situation : Faux conseiller bancaire").click()

    # The situation questions, as a victim who entered at the incident is asked them.
    answers = {"s_money": "sent", "s_money_when": "recent", "s_device": "untouched"}
    asked = []
    state = engine.State("particulier", (), "fake_bank_adviser")
    while isinstance(step := engine.resolve(graph, state), engine.QuestionStep):
        choice = answers.get(step.question.id, engine.UNKNOWN_CHOICE)
        asked.append((step.question.id, choice))
        state = engine.answer(graph, state, step.question.id, choice)

    def chosen_from_the_description(current):
        assert current.get_by_text("Vous avez choisi, d'après votre description").is_visible()
        assert axe_violations(current) == []

    answer_questions(page, graph, "particulier", asked, screenshot, "triage-", checks=chosen_from_the_description)
    page.get_by_role("heading", level=1, name="Vous semblez être victime de : Faux conseiller bancaire").wait_for()
    assert page.get_by_text("Gravité : Critique").is_visible()
    assert page.get_by_role("heading", name=CHAT).is_visible()
    assert page.get_by_text("Situation choisie d'après votre description").is_visible()
    screenshot(page, "triage-result")


def test_the_suggestions_on_a_phone_and_a_text_that_cannot_be_read(
    browser, live_server, graph_version, screenshot, axe_violations
):
    context = browser.new_context(viewport={"width": 375, "height": 740}, bypass_csp=True, locale="fr-FR")
    phone = context.new_page()
    graph = graph_for_version_id(graph_version.pk)
    phone.goto(live_server.url + "/diagnostic/")
    pick(phone, graph.audience("entreprise").label)
    phone.get_by_label("Décrivez en quelques mots ce qui vous arrive").fill(
        "tous nos fichiers sur le serveur ont une extension bizarre et un message demande une rançon"
    )
    phone.get_by_role("button", name="Commencer").click()
    phone.get_by_role("heading", level=1, name="Les situations qui ressemblent à la vôtre").wait_for()
    assert phone.locator(".cy-suggestion h2").first.inner_text() == "Rançongiciel"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "triage-suggestions-phone")
    assert axe_violations(phone) == []

    phone.get_by_role("textbox", name="Votre description").fill("hello")
    phone.get_by_role("button", name="Analyser de nouveau").click()
    phone.get_by_role("heading", level=1, name="Nous n'avons pas pu lire votre description").wait_for()
    assert phone.get_by_text("Un seul mot ne suffit pas").is_visible()
    phone.get_by_role("button", name="Répondre aux questions").click()
    first = graph.questions[graph.audience("entreprise").start]
    phone.get_by_role("heading", level=1, name=first.text).wait_for()
    context.close()
