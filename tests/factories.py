import factory
from django.contrib.auth import get_user_model

from exams.models import Certification, Question, QuestionOption, QuestionVersion, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Grace"
    last_name = factory.Sequence(lambda n: f"Hopper{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.LazyAttribute(lambda o: f"Certification {o.code}")
    question_count = 4
    duration_minutes = 10
    pass_mark = 75


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    certification = factory.SubFactory(CertificationFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.LazyAttribute(lambda o: f"Topic {o.code}")
    quota = 2


class QuestionFactory(factory.django.DjangoModelFactory):
    """An approved question with one version whose key is `answer` (default B)."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"Q-{n:05d}")
    topic = factory.SubFactory(TopicFactory)
    certification = factory.LazyAttribute(lambda o: o.topic.certification)
    status = Question.Status.APPROVED
    purpose = "exam"

    @factory.post_generation
    def answer(obj, create, extracted, **kwargs):
        key = extracted or "B"
        version = QuestionVersion.objects.create(
            question=obj,
            number=1,
            stem=f"Stem of {obj.external_id}?",
            rationale="Because.",
            reference="FitSM-1 GR1",
        )
        for label in "ABCD":
            QuestionOption.objects.create(
                version=version,
                label=label,
                text=f"{obj.external_id} option {label}",
                is_correct=label == key,
            )
        obj.current_version = version
        obj.save(update_fields=["current_version"])
