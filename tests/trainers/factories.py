from datetime import timedelta

import factory
from django.db.models import Max
from django.utils import timezone

from certificates.codes import code_generate
from certificates.models import Certificate
from tests.factories import CertificationFactory, UserFactory
from trainers.models import Organisation, TrainerProfile


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Training Org {n}")
    slug = factory.Sequence(lambda n: f"training-org-{n}")
    kind = Organisation.Kind.ATO
    country = "DE"
    contact_email = factory.Sequence(lambda n: f"office{n}@org.example")


class TrainerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainerProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda o: o.user.printed_name)
    slug = factory.Sequence(lambda n: f"trainer-{n}")
    languages = "en"


class CertificateFactory(factory.django.DjangoModelFactory):
    """A valid certificate row (as certificates issues it after a passed exam)."""

    class Meta:
        model = Certificate

    code = factory.LazyFunction(code_generate)
    user = factory.SubFactory(UserFactory)
    certification = factory.SubFactory(CertificationFactory)
    holder_name = factory.LazyAttribute(lambda o: o.user.printed_name)
    holder_family_name = factory.LazyAttribute(lambda o: o.user.last_name)
    certification_name = factory.LazyAttribute(lambda o: o.certification.name)
    issued_at = factory.LazyFunction(timezone.now)
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    # Its own bit of the revocation status list, after every bit already handed out.
    status_index = factory.LazyFunction(
        lambda: (Certificate.objects.aggregate(highest=Max("status_index"))["highest"] or 0) + 1
    )
