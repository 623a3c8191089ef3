"""HTTP status of each diagnostic error code, shared by the web pages and the API."""

HTTP_STATUS = {
    "unknown_audience": 422,
    "out_of_scope": 422,
    "unknown_question": 422,
    "unknown_choice": 422,
    "description_too_long": 422,
    "incident_not_for_audience": 422,
    "markup_not_allowed": 422,
    "question_not_current": 409,
    "question_not_in_path": 409,
    "journey_finished": 409,
    "nothing_to_undo": 409,
    "invalid_state": 409,
    "not_expected": 409,
    "stale_version": 409,
    "session_not_found": 404,
    "session_expired": 410,
    "rate_limited": 429,
    "diagnostic_unavailable": 503,
}


def status_for(code: str) -> int:
    return HTTP_STATUS.get(code, 400)
