"""Report photos: decoded, checked, stripped of metadata and re-encoded before they are kept."""
import io
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from webapp.errors import ValidationFailed

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
GPS_IFD = 0x8825


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


def save(image: Image.Image) -> tuple[str, int, int]:
    """Write a clean image as JPEG under PHOTO_DIR; returns (filename, width, height)."""
    folder = Path(current_app.config["PHOTO_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.jpg"
    image.save(folder / name, "JPEG", quality=85, optimize=True)
    return name, image.width, image.height


def remove(filenames: list[str]) -> None:
    """Delete stored photo files (used when the transaction that needed them fails)."""
    folder = Path(current_app.config["PHOTO_DIR"])
    for name in filenames:
        (folder / name).unlink(missing_ok=True)


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
