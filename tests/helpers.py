import html


def text_of(response) -> str:
    """The page as a reader sees it: entities decoded (Django escapes apostrophes as &#x27;)."""
    return html.unescape(response.content.decode())
