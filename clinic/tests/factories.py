import datetime
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clinic.models import ClinicProfile, Closure, OpeningHours, Page, Practitioner


class ClinicProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicProfile

    name = "Acupuncture Balanced Health"
    intro = "We treat back pain with acupuncture."
    phone = "+1 555-0100"
    email = "hello@balancedhealth.example"
    street_address = "100 Example Avenue"
    locality = "Springfield"
    region = "MD"
    postal_code = "21000"


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(17)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    start_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
    end_date = factory.SelfAttribute("start_date")
    reason = "Staff training"


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner

    name = factory.Sequence(lambda n: f"Jordan Lee {n}")
    credentials = "L.Ac."
    bio = "Treats back pain with care."


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "Some **text**."
    is_published = True


def image_upload(
    name: str = "photo.jpg",
    size: tuple[int, int] = (1600, 1200),
    image_format: str = "JPEG",
    mode: str = "RGB",
) -> SimpleUploadedFile:
    """A real image made with Pillow, as a browser would upload it."""
    buffer = BytesIO()
    Image.new(mode, size, (40, 120, 110) if mode == "RGB" else (40, 120, 110, 128)).save(
        buffer, image_format
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")
