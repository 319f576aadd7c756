from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clinic.images import build_renditions, validate_image_upload
from clinic.models import Practitioner
from clinic.tests.factories import image_upload


def test_a_real_jpeg_png_or_webp_is_accepted():
    for image_format in ("JPEG", "PNG", "WEBP"):
        validate_image_upload(image_upload(image_format=image_format))


def test_a_file_that_is_not_an_image_is_refused_clearly():
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'not an image'; ?>")
    with pytest.raises(ValidationError, match="not an image we can read"):
        validate_image_upload(fake)


def test_a_gif_is_refused_with_the_formats_we_take():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(image_upload("anim.gif", image_format="GIF"))
    assert "GIF images are not accepted" in error.value.messages[0]
    assert "JPEG, PNG or WebP" in error.value.messages[0]


def test_a_small_image_is_refused_with_the_minimum_width(settings):
    with pytest.raises(ValidationError, match=r"only 300 pixels wide.*at least 960"):
        validate_image_upload(image_upload(size=(300, 200)))


def test_a_huge_file_is_refused_with_the_limit(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="Please upload an image of at most 1000"):
        validate_image_upload(image_upload())


def test_too_many_pixels_are_refused_before_decoding(settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match="1600 × 1200 pixels, too large"):
        validate_image_upload(image_upload())


@pytest.mark.django_db
def test_renditions_are_webp_and_jpeg_at_three_widths():
    practitioner = Practitioner.objects.create(name="A", image=image_upload(size=(1600, 1200)))
    renditions = build_renditions(practitioner.image)
    assert [(r["width"], r["height"]) for r in renditions] == [(480, 360), (800, 600), (1200, 900)]
    for rendition in renditions:
        with default_storage.open(rendition["webp"]) as webp:
            assert Image.open(webp).format == "WEBP"
        with default_storage.open(rendition["fallback"]) as fallback:
            image = Image.open(fallback)
            assert image.format == "JPEG"
            assert image.width == rendition["width"]


@pytest.mark.django_db
def test_a_transparent_png_keeps_a_png_fallback_and_small_images_are_not_enlarged():
    upload = image_upload("logo.png", size=(1000, 500), image_format="PNG", mode="RGBA")
    practitioner = Practitioner.objects.create(name="A", image=upload)
    renditions = build_renditions(practitioner.image)
    assert [r["width"] for r in renditions] == [480, 800, 1000]
    assert all(r["fallback"].endswith(".png") for r in renditions)


@pytest.mark.django_db
def test_a_sideways_phone_photo_is_turned_upright():
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    Image.new("RGB", (1600, 1200)).save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue())
    practitioner = Practitioner.objects.create(name="A", image=upload)
    largest = build_renditions(practitioner.image)[-1]
    assert (largest["width"], largest["height"]) == (1200, 1600)
