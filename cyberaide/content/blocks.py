"""The blocks an editor can put in the body of a content page, each rendered by its own DSFR template."""

from django.utils.html import strip_tags
from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        label = "Intertitre"
        icon = "title"
        template = "content/blocks/heading.html"
        max_length = 120


class StepsBlock(blocks.ListBlock):
    """What to do, in order: rendered as a numbered list."""

    def __init__(self, **kwargs):
        super().__init__(blocks.CharBlock(label="Étape", max_length=300), **kwargs)

    class Meta:
        label = "Étapes à suivre"
        icon = "list-ol"
        template = "content/blocks/steps.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=120)
    text = blocks.TextBlock(label="Texte", max_length=600)

    class Meta:
        label = "Mise en avant"
        icon = "pick"
        template = "content/blocks/callout.html"


class WarningBlock(blocks.TextBlock):
    class Meta:
        label = "Avertissement"
        icon = "warning"
        template = "content/blocks/warning.html"
        max_length = 600


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="Paragraphe", features=RICH_TEXT_FEATURES, template="content/blocks/paragraph.html"
    )
    steps = StepsBlock()
    callout = CalloutBlock()
    warning = WarningBlock()


def body_text(body) -> str:
    """The readable text of a body, for the search index."""
    parts = []
    for child in body:
        value = child.value
        if child.block_type == "paragraph":
            parts.append(strip_tags(value.source))
        elif child.block_type == "steps":
            parts.extend(str(step) for step in value)
        elif child.block_type == "callout":
            parts.extend([value["title"], value["text"]])
        else:
            parts.append(str(value))
    return "\n".join(parts)
