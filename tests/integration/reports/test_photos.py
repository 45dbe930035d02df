"""Report photos: formats, limits, metadata stripping, GPS reading, and no files left on failure."""
import io

import pytest
from PIL import Image, PngImagePlugin
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Report, ReportPhoto

GPS_IFD = 0x8825
GOOD = {"lat": "37.05", "lon": "127.05", "category": "safety", "title": "깨진 가로등", "description": "위험합니다."}


def _image(fmt="JPEG", size=(64, 48), mode="RGB", **save_args) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 1).save(buffer, fmt, **save_args)
    return buffer.getvalue()


def _gps_jpeg(lat=(37.0, 3.0, 0.0), lat_ref="N", lon=(127.0, 3.0, 0.0), lon_ref="E") -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0132] = "2026:05:01 10:00:00"  # DateTime
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: lat_ref, 2: lat, 3: lon_ref, 4: lon})
    data = _image(exif=exif)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture really has GPS
    return data


@pytest.fixture
def signed_in(client, resident, sign_in):
    return sign_in(client, resident)


def _post(client, *photos, data=GOOD, url="/api/v1/reports"):
    form = {**data, "photos": [(io.BytesIO(p), f"photo{i}.bin") for i, p in enumerate(photos)]}
    return client.post(url, data=form, content_type="multipart/form-data")


def _files(folder):
    return sorted(folder.iterdir()) if folder.exists() else []


def _stored(folder):
    [path] = _files(folder)
    return Image.open(path)


def _reports():
    return db.session.scalar(select(func.count(Report.id)))


def test_jpeg_png_and_webp_are_accepted(client, signed_in, photo_dir):
    response = _post(client, _image("JPEG"), _image("PNG"), _image("WEBP"))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert len(response.get_json()["properties"]["photos"]) == 3
    stored = _files(photo_dir)
    assert len(stored) == 3
    for path in stored:
        with Image.open(path) as image:
            assert image.format == "JPEG" and image.size == (64, 48)
    rows = db.session.scalars(select(ReportPhoto).order_by(ReportPhoto.position)).all()
    assert [r.position for r in rows] == [0, 1, 2] and {r.filename for r in rows} == {p.name for p in stored}


def test_stored_photo_is_served(client, signed_in, photo_dir):
    url = _post(client, _image()).get_json()["properties"]["photos"][0]
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert client.get("/reports/photos/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_jpeg_with_exif_and_gps_is_stored_without_any_metadata(client, signed_in, photo_dir):
    assert _post(client, _gps_jpeg()).status_code == 201
    stored = _stored(photo_dir)
    assert len(stored.getexif()) == 0
    assert stored.getexif().get_ifd(GPS_IFD) == {}
    assert "exif" not in stored.info
    raw = _files(photo_dir)[0].read_bytes()
    assert b"Exif" not in raw and b"SecretCam" not in raw


def test_png_text_chunks_are_not_kept(client, signed_in, photo_dir):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "my home address")
    assert _post(client, _image("PNG", pnginfo=info)).status_code == 201
    assert b"my home address" not in _files(photo_dir)[0].read_bytes()


def test_exif_orientation_is_applied_before_stripping(client, signed_in, photo_dir):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    assert _post(client, _image(size=(40, 20), exif=exif)).status_code == 201
    assert _stored(photo_dir).size == (20, 40)


def test_large_photo_is_scaled_down(client, signed_in, photo_dir):
    assert _post(client, _image("PNG", size=(3000, 300))).status_code == 201
    assert _stored(photo_dir).size == (2048, 205)


def _rejected(response, photo_dir):
    assert response.status_code == 422, response.get_data(as_text=True)
    assert list(response.get_json()["error"]["fields"]) == ["photos"]
    assert _files(photo_dir) == [] and _reports() == 0


def test_more_than_three_photos_is_422(client, signed_in, photo_dir):
    _rejected(_post(client, *[_image() for _ in range(4)]), photo_dir)


def test_non_image_bytes_are_422(client, signed_in, photo_dir):
    _rejected(_post(client, b"MZ\x90\x00 this is not a picture at all"), photo_dir)


def test_gif_is_422(client, signed_in, photo_dir):
    _rejected(_post(client, _image("GIF", mode="P")), photo_dir)


def test_truncated_jpeg_is_422(client, signed_in, photo_dir):
    _rejected(_post(client, _image(size=(200, 200))[:300]), photo_dir)


def test_photo_over_the_byte_limit_is_422(client, app, signed_in, photo_dir, monkeypatch):
    photo = _image("PNG", size=(120, 120))
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", len(photo) - 1)
    _rejected(_post(client, photo), photo_dir)
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", len(photo))
    assert _post(client, photo).status_code == 201


def test_photo_with_too_many_pixels_is_422(client, signed_in, photo_dir):
    _rejected(_post(client, _image("PNG", size=(7000, 6000), mode="1")), photo_dir)


def test_request_over_max_content_length_is_413_envelope(client, app, signed_in, photo_dir, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2000)
    response = _post(client, _image("PNG", size=(300, 300), mode="1") + b"\0" * 5000)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
    assert _files(photo_dir) == [] and _reports() == 0


def test_invalid_second_photo_leaves_no_files(client, signed_in, photo_dir):
    _rejected(_post(client, _image(), b"not an image"), photo_dir)


def test_place_outside_every_municipality_leaves_no_files(client, signed_in, photo_dir):
    response = _post(client, _image(), data={**GOOD, "lon": "128.5"})
    assert response.status_code == 422 and _files(photo_dir) == [] and _reports() == 0


def test_failing_save_of_a_later_photo_removes_the_earlier_ones(client, signed_in, photo_dir, monkeypatch):
    from webapp.reports import photos

    real_save, calls = photos.save, []

    def save_then_fail(image):
        calls.append(image)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(image)

    monkeypatch.setattr(photos, "save", save_then_fail)
    response = _post(client, _image(), _image())
    assert response.status_code == 500 and len(calls) == 2
    assert _files(photo_dir) == [] and _reports() == 0


def test_failing_commit_leaves_no_files(client, signed_in, photo_dir, monkeypatch):
    def broken_commit():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    response = _post(client, _image(), _image())
    monkeypatch.undo()
    assert response.status_code == 500
    assert _files(photo_dir) == [] and _reports() == 0


def test_photo_location_reads_the_gps_position(client, places, photo_dir):
    response = client.post("/api/v1/photo-location", content_type="multipart/form-data",
                           data={"photo": (io.BytesIO(_gps_jpeg()), "gps.jpg")})
    body = response.get_json()
    assert body["found"] is True
    assert body["lat"] == pytest.approx(37.05, abs=1e-9) and body["lon"] == pytest.approx(127.05, abs=1e-9)
    assert _files(photo_dir) == []  # nothing is stored


def test_photo_location_south_and_west_are_negative(client, places):
    photo = _gps_jpeg(lat=(33.0, 30.0, 36.0), lat_ref="S", lon=(70.0, 40.0, 12.0), lon_ref="W")
    body = client.post("/api/v1/photo-location", content_type="multipart/form-data",
                       data={"photo": (io.BytesIO(photo), "gps.jpg")}).get_json()
    assert body["lat"] == pytest.approx(-33.51) and body["lon"] == pytest.approx(-70.67)


def test_photo_location_without_gps_says_not_found(client, places):
    body = client.post("/api/v1/photo-location", content_type="multipart/form-data",
                       data={"photo": (io.BytesIO(_image()), "plain.jpg")}).get_json()
    assert body == {"found": False}


def test_photo_location_errors(client, places):
    missing = client.post("/api/v1/photo-location", content_type="multipart/form-data", data={})
    assert missing.status_code == 422 and list(missing.get_json()["error"]["fields"]) == ["photo"]
    junk = client.post("/api/v1/photo-location", content_type="multipart/form-data",
                       data={"photo": (io.BytesIO(b"junk"), "x.jpg")})
    assert junk.status_code == 422 and list(junk.get_json()["error"]["fields"]) == ["photo"]
