"""Uploaded photos: validated on the way in, served as responsive renditions.

Each upload becomes a WebP and a fallback (JPEG, or PNG when it has transparency) at
a few widths, so a phone downloads a small file and nothing shifts while it loads.
"""

from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
RENDITION_WIDTHS = (480, 800, 1200)


def validate_image_upload(file) -> None:
    """Accept only real JPEG, PNG or WebP images of a sensible size."""
    if file.size > settings.IMAGE_UPLOAD_MAX_BYTES:
        raise ValidationError(
            "This file is %(size)s. Please upload an image of at most %(limit)s.",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.IMAGE_UPLOAD_MAX_BYTES),
            },
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            "This file is not an image we can read. Please upload a JPEG, PNG or WebP photo.",
            code="not_an_image",
        ) from exc
    finally:
        file.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            "%(format)s images are not accepted. Please upload a JPEG, PNG or WebP photo.",
            params={"format": image_format or "This kind of"},
            code="format",
        )
    if width * height > settings.IMAGE_UPLOAD_MAX_PIXELS:
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels, too large to process. "
            "Please resize it to at most %(limit)s megapixels (for example 6000 × 4000).",
            params={
                "width": width,
                "height": height,
                "limit": settings.IMAGE_UPLOAD_MAX_PIXELS // 1_000_000,
            },
            code="too_many_pixels",
        )
    if width < settings.IMAGE_UPLOAD_MIN_WIDTH:
        raise ValidationError(
            "This image is only %(width)s pixels wide. Please upload one at least "
            "%(minimum)s pixels wide so it looks sharp on every screen.",
            params={"width": width, "minimum": settings.IMAGE_UPLOAD_MIN_WIDTH},
            code="too_small",
        )


def build_renditions(field_file: FieldFile) -> list[dict]:
    """Write the WebP and fallback renditions of an uploaded image; return what was written."""
    field_file.open("rb")
    try:
        with Image.open(field_file) as original:
            image = ImageOps.exif_transpose(original)
            image.load()
    finally:
        field_file.close()
    has_alpha = image.mode in {"RGBA", "LA"} or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    stem = PurePosixPath(field_file.name).stem
    widths = [width for width in RENDITION_WIDTHS if width < image.width]
    widths.append(min(image.width, RENDITION_WIDTHS[-1]))
    widths = sorted(set(widths))
    renditions = []
    for width in widths:
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        renditions.append(
            {
                "width": width,
                "height": height,
                "webp": _save(resized, f"{stem}-{width}.webp", "WEBP", quality=80, method=4),
                "fallback": _save_fallback(resized, f"{stem}-{width}", has_alpha),
            }
        )
    return renditions


def _save_fallback(image: Image.Image, name: str, has_alpha: bool) -> str:
    if has_alpha:
        return _save(image, f"{name}.png", "PNG", optimize=True)
    return _save(image, f"{name}.jpg", "JPEG", quality=82, optimize=True, progressive=True)


def _save(image: Image.Image, name: str, image_format: str, **options) -> str:
    buffer = BytesIO()
    image.save(buffer, image_format, **options)
    return default_storage.save(f"renditions/{name}", ContentFile(buffer.getvalue()))


def delete_renditions(renditions: list[dict]) -> None:
    for rendition in renditions:
        for key in ("webp", "fallback"):
            default_storage.delete(rendition[key])


@dataclass(frozen=True)
class Picture:
    """What a template needs to draw one responsive image (see includes/picture.html)."""

    src: str
    alt: str
    width: int
    height: int
    webp_srcset: str = ""
    fallback_srcset: str = ""
    is_illustration: bool = False

    @classmethod
    def from_renditions(cls, renditions: list[dict], alt: str) -> "Picture":
        largest = renditions[-1]
        return cls(
            src=default_storage.url(largest["fallback"]),
            alt=alt,
            width=largest["width"],
            height=largest["height"],
            webp_srcset=_srcset(renditions, "webp"),
            fallback_srcset=_srcset(renditions, "fallback"),
        )


def _srcset(renditions: list[dict], key: str) -> str:
    return ", ".join(f"{default_storage.url(r[key])} {r['width']}w" for r in renditions)


def refresh_renditions(instance) -> None:
    """Rebuild an instance's renditions after its image was uploaded, replaced or removed."""
    previous = instance.image_renditions
    instance.image_renditions = build_renditions(instance.image) if instance.image else []
    instance.save(update_fields=["image_renditions"])
    delete_renditions(previous)
