"""Report photos: decoded, checked, stripped of metadata and re-encoded before they are kept.

Files and rows stay consistent whenever the process dies. Before the commit a photo is written (and
fsynced) as `.<uuid>.jpg.tmp` in PHOTO_DIR, a name the photo route never serves, while its row already
names `<uuid>.jpg`; only after the commit succeeded does `publish` rename it (os.replace, atomic within
one directory); when the transaction fails `discard` deletes the temporary files.

Two states can survive a crash: temporary files without a row (killed before the commit) and a row
whose file still has its temporary name (killed between the commit and the rename). We accept the
second window rather than close it: renaming before the commit would show photos of reports that may
never exist, and a crash after that rename would leave served files without rows. `cleanup` (the
`flask photos cleanup` command) finishes both states: a temporary file whose row exists is renamed to
its final name, one without a row is deleted, and so is a final file without a row. It leaves alone
every file younger than the grace period, so an upload in flight (written, not yet committed) is never
touched, and it lists the folder before it reads the rows, so a photo published meanwhile is never
mistaken for an orphan (its row was committed before its final name appeared).
"""
import io
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from webapp.errors import ValidationFailed
from webapp.extensions import db
from webapp.models import ReportPhoto

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
GPS_IFD = 0x8825
TEMP_SUFFIX = ".tmp"


def _invalid(message):
    return ValidationFailed(fields={"photos": [message]})


def _open(data: bytes) -> Image.Image:
    if len(data) > current_app.config["PHOTO_MAX_BYTES"]:
        raise _invalid(_l("A photo may be at most %(mb)d MB.", mb=current_app.config["PHOTO_MAX_BYTES"] // 2**20))
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise _invalid(_l("Photos must be JPEG, PNG or WebP."))
        if image.width * image.height > MAX_PIXELS:
            raise _invalid(_l("The photo has too many pixels."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as err:
        raise _invalid(_l("This file is not a readable image.")) from err
    return image


def prepare(uploads: list[bytes]) -> list[Image.Image]:
    """Decode and check every upload, returning clean images (no metadata) ready to save."""
    if len(uploads) > current_app.config["PHOTO_MAX_COUNT"]:
        raise _invalid(_l("At most %(n)d photos.", n=current_app.config["PHOTO_MAX_COUNT"]))
    clean = []
    for data in uploads:
        image = ImageOps.exif_transpose(_open(data))
        image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        # A new image holds pixels only: no EXIF, GPS, ICC or text chunks survive.
        bare = Image.new("RGB", image.size)
        bare.paste(image)
        clean.append(bare)
    return clean


def final_name(temp_name: str) -> str | None:
    """The final file name a temporary photo file stands for (".<uuid>.jpg.tmp" -> "<uuid>.jpg"), else None."""
    if temp_name.startswith(".") and temp_name.endswith(TEMP_SUFFIX):
        return temp_name[1:-len(TEMP_SUFFIX)]
    return None


def temp_name(name: str) -> str:
    """The temporary file name under which photo `name` waits for its commit."""
    return f".{name}{TEMP_SUFFIX}"


def is_servable(name: str) -> bool:
    """True for a final photo name; hidden and temporary files are never served."""
    return not name.startswith(".") and not name.endswith(TEMP_SUFFIX)


def save(image: Image.Image) -> tuple[str, int, int]:
    """Write a clean image as JPEG under a temporary name in PHOTO_DIR; returns (final name, width, height).

    The file keeps its temporary name until `publish` renames it after the commit.
    """
    folder = folder_path()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.jpg"
    path = folder / temp_name(name)
    with open(path, "wb") as out:
        image.save(out, "JPEG", quality=85, optimize=True)
        out.flush()
        # On disk before the row that names it is committed, so a power cut never leaves a row with half a file.
        os.fsync(out.fileno())
    return name, image.width, image.height


def publish(names: list[str]) -> None:
    """Give committed photos their final names (an atomic rename each); a missing temp file is left to cleanup."""
    folder = folder_path()
    for name in names:
        try:
            os.replace(folder / temp_name(name), folder / name)
        except OSError:
            # The report is committed whatever happens here: the cleanup command finishes (or already finished)
            # a photo left under its temporary name, so the request does not fail for it.
            if not (folder / name).exists():
                current_app.logger.warning("photo %s could not be published yet", name, exc_info=True)


def discard(names: list[str]) -> None:
    """Delete the temporary files of photos whose transaction failed."""
    folder = folder_path()
    for name in names:
        (folder / temp_name(name)).unlink(missing_ok=True)


def folder_path() -> Path:
    """PHOTO_DIR as a path."""
    return Path(current_app.config["PHOTO_DIR"])


def gps_position(data: bytes) -> tuple[float, float] | None:
    """The (lat, lon) recorded in a photo's EXIF GPS tags, or None."""
    try:
        exif = _open(data).getexif()
        gps = exif.get_ifd(GPS_IFD)
        lat = _degrees(gps[2], gps.get(1, "N"), "S")
        lon = _degrees(gps[4], gps.get(3, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _degrees(dms, ref, negative_ref) -> float:
    d, m, s = (float(v) for v in dms)
    value = d + m / 60 + s / 3600
    return -value if str(ref).upper().startswith(negative_ref) else value


@dataclass
class Cleanup:
    """What a cleanup did (or would do, in a dry run): file names per action."""

    published: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    young: list[str] = field(default_factory=list)
    kept: int = 0
    missing: list[str] = field(default_factory=list)


def cleanup(older_than_s: float, dry_run: bool = False) -> Cleanup:
    """Finish or remove what crashed uploads left in PHOTO_DIR; files younger than `older_than_s` stay."""
    folder = folder_path()
    # Listing first: a final name seen here was published after its commit, so the query below sees its row.
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    rows = set(db.session.scalars(select(ReportPhoto.filename)))
    db.session.rollback()  # end the read transaction; nothing here writes to the database
    now, done = time.time(), Cleanup()
    present = set()
    for path in files:
        name, final = path.name, final_name(path.name)
        if final is None and (name.startswith(".") or not name.endswith(".jpg")):
            continue  # not a photo of ours
        present.add(final or name)
        try:
            age = now - path.stat().st_mtime
        except FileNotFoundError:
            continue  # published or discarded by a request since the listing
        if final is None and name in rows:
            done.kept += 1
        elif age < older_than_s:
            done.young.append(name)
        elif final is not None and final in rows and not (folder / final).exists():
            done.published.append(final)
            if not dry_run:
                os.replace(path, folder / final)
        else:
            done.removed.append(name)
            if not dry_run:
                path.unlink(missing_ok=True)
    done.missing = sorted(rows - present)
    return done
