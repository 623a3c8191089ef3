"""The whole kit de sensibilisation as one ZIP archive, built from the items' files.

The archive is built once for a given content of the kit (its fingerprint names the file) and kept under
MEDIA_ROOT/kit/, so that a crowd of downloads does not rebuild it each time.
"""

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.utils.text import slugify

LICENCE_FILE = "LICENCE.txt"
ARCHIVE_NAME = "kit-sensibilisation-cyberaide.zip"


def write_kit_archive(kit_page, target) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for position, item in enumerate(kit_page.items.select_related("document"), start=1):
            extension = item.document.file_extension or "bin"
            name = f"{position:02d}-{slugify(item.title)}.{extension}"
            with item.document.file.open("rb") as source, archive.open(name, "w") as destination:
                while chunk := source.read(1024 * 1024):
                    destination.write(chunk)
        archive.writestr(LICENCE_FILE, f"{kit_page.title}\n\n{kit_page.licence}\n")


def kit_fingerprint(kit_page) -> str:
    """Changes whenever the title, the licence, an item or one of its files changes."""
    digest = hashlib.sha256(f"{kit_page.title}\n{kit_page.licence}".encode())
    for item in kit_page.items.select_related("document"):
        document = item.document
        digest.update(f"\n{item.title}\n{document.file.name}\n{document.get_file_hash()}".encode())
    return digest.hexdigest()[:20]


def kit_archive_path(kit_page) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "kit"
    path = folder / f"kit-{kit_page.pk}-{kit_fingerprint(kit_page)}.zip"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed: a download at the same moment never reads half an archive.
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as target:
            write_kit_archive(kit_page, target)
        os.replace(temporary, path)
    return path


def kit_archive_response(kit_page) -> FileResponse:
    return FileResponse(
        kit_archive_path(kit_page).open("rb"),
        as_attachment=True,
        filename=ARCHIVE_NAME,
        content_type="application/zip",
    )
