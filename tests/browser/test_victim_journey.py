"""From the home page to a result in a real browser, with and without JavaScript, and an accessibility scan."""

import re

import pytest
from django.urls import reverse

from cyberaide.diagnostic.graphs import graph_for_version_id

from ..diagnostic.paths import journey_to, two_step_path

pytestmark = [pytest.mark.django_db(transaction=True)]


def pick(page, label):
    """Click the label, as a person does (the DSFR draws the radio button over it); « Oui » is not « Oui, une
    somme importante »."""
    page.locator("label.fr-label", has_text=re.compile(rf"^\s*{re.escape(label)}(\s|$)")).first.click()


def answer_questions(page, graph, audience, answers, screenshot=None, prefix="", checks=None):
    """Answer each question as a person does, by its label; ``checks`` is called on the first situation question."""
    situation_seen = False
    for index, (question_id, choice_code) in enumerate(answers):
        question = graph.question_for(audience, question_id)
        page.get_by_role("heading", level=1, name=question.text).wait_for()
        if screenshot and index == 0:
            screenshot(page, f"{prefix}question")
        if question_id not in graph.questions and not situation_seen:
            situation_seen = True
            if screenshot:
                screenshot(page, f"{prefix}situation-question")
            if checks:
                checks(page)
        pick(page, question.choice_for(audience, choice_code).label)
        page.get_by_role("button", name="Continuer").click()


def walk_to_result(
    page, live_server, graph, audience, incident, screenshot=None, prefix="", situation=None, path=None
):
    """From the home page to the result of ``incident``, answering the situation questions from ``situation``
    (« Je ne sais pas » where it says nothing)."""
    page.goto(live_server.url + reverse("core:home"))
    page.get_by_role("link", name="Vous êtes victime").click()
    pick(page, graph.audience(audience).label)
    page.get_by_role("button", name="Commencer").click()
    answers = journey_to(graph, audience, incident, situation, path=path)
    answer_questions(page, graph, audience, answers, screenshot, prefix)
    page.get_by_role("heading", level=1, name="Vous semblez être victime de").wait_for()


def test_journey_with_javascript(page, live_server, graph_version, screenshot, axe_violations):
    graph = graph_for_version_id(graph_version.pk)
    page.goto(live_server.url + reverse("core:home"))
    assert axe_violations(page) == []
    screenshot(page, "js-home")
    walk_to_result(page, live_server, graph, "particulier", "fake_bank_adviser", screenshot, "js-")
    assert page.get_by_role("heading", name="Que faire maintenant ?").is_visible()
    assert page.get_by_role("heading", name="Les services officiels à contacter").is_visible()
    screenshot(page, "js-result")
    assert axe_violations(page) == []


def test_journey_without_javascript(browser, live_server, graph_version, screenshot, axe_violations):
    graph = graph_for_version_id(graph_version.pk)
    context = browser.new_context(java_script_enabled=False, bypass_csp=True, locale="fr-FR")
    page = context.new_page()
    walk_to_result(page, live_server, graph, "entreprise", "ransomware", screenshot, "nojs-")
    assert "Rançongiciel" in page.content() or "rançongiciel" in page.content()
    screenshot(page, "nojs-result")
    context.close()


def test_back_button_and_changing_an_answer(page, live_server, graph_version):
    graph = graph_for_version_id(graph_version.pk)
    steps = two_step_path(graph, "particulier")
    page.goto(live_server.url + reverse("diagnostic:start"))
    pick(page, graph.audience("particulier").label)
    page.get_by_role("button", name="Commencer").click()
    first = graph.questions[steps[0][0]]
    pick(page, first.choice_for("particulier", steps[0][1]).label)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", level=1, name=graph.questions[steps[1][0]].text).wait_for()
    page.go_back()
    page.get_by_role("heading", level=1, name=first.text).wait_for()
    page.get_by_role("link", name="Question précédente").wait_for()


def test_question_page_accessibility(page, live_server, graph_version, axe_violations):
    page.goto(live_server.url + reverse("diagnostic:start"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Commencer").click()  # no answer: the error state is checked too
    assert axe_violations(page) == []
    pick(page, "Un particulier")
    page.get_by_role("button", name="Commencer").click()
    page.keyboard.press("Tab")
    assert axe_violations(page) == []
