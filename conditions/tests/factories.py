import factory

from conditions.models import Cause, Condition


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    name = factory.Sequence(lambda n: f"Back condition {n}")
    slug = factory.Sequence(lambda n: f"back-condition-{n}")
    summary = "A short summary of the condition."
    body = "What it is and how it feels."
    acupuncture_help = "How acupuncture can help."
    is_published = True


class CauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cause

    condition = factory.SubFactory(ConditionFactory)
    text = factory.Sequence(lambda n: f"Cause {n}")
    order = factory.Sequence(int)
