"""The whole kit de sensibilisation as one ZIP archive, built from the items' files."""

import io
import zipfile

from django.http import HttpResponse
from django.utils.text import slugify

LICENCE_FILE = "LICENCE.txt"


def build_kit_archive(kit_page) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for position, item in enumerate(kit_page.items.select_related("document"), start=1):
            extension = item.document.file_extension or "bin"
            name = f"{position:02d}-{slugify(item.title)}.{extension}"
            with item.document.file.open("rb") as handle:
                archive.writestr(name, handle.read())
        archive.writestr(LICENCE_FILE, f"{kit_page.title}\n\n{kit_page.licence}\n")
    return buffer.getvalue()


def kit_archive_response(kit_page) -> HttpResponse:
    response = HttpResponse(build_kit_archive(kit_page), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="kit-sensibilisation-cyberaide.zip"'
    return response
