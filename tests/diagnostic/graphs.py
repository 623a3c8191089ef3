"""Small questionnaires written for the tests, and helpers to walk them."""

from cyberaide.diagnostic.engine import AUDIENCE_CODES

ALL = list(AUDIENCE_CODES)


def graph_data(questions, starts=None, out_of_scope=None):
    starts = starts or {}
    return {
        "title": "Test",
        "audiences": [
            {"code": code, "label": code.title(), "start": starts.get(code, "q1")} for code in AUDIENCE_CODES
        ],
        "questions": questions,
        **({"out_of_scope": out_of_scope} if out_of_scope else {}),
    }


def choice(code, *, next=None, outcome=None, audiences=None):
    data = {"code": code, "label": f"Réponse {code}"}
    if next:
        data["next"] = next
    if outcome:
        data["outcome"] = outcome
    if audiences:
        data["audiences"] = audiences
    return data


def question(*choices, text="Une question ?"):
    return {"text": text, "choices": list(choices)}


# Two questions, two outcomes, every audience.
SIMPLE = graph_data(
    {
        "q1": question(choice("a", next="q2"), choice("b", outcome="phishing")),
        "q2": question(choice("c", outcome="ransomware"), choice("d", outcome="phishing")),
    }
)
SIMPLE_INCIDENTS = {"phishing": ALL, "ransomware": ALL}
