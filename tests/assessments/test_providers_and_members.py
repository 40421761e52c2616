import pytest
from django.core import mail

from accounts.models import AuditEntry
from assessments import errors, services
from assessments.models import ProviderInvitation, ProviderMembership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROLE = ProviderMembership.Role


def test_any_signed_in_person_registers_a_provider_and_becomes_its_sms_owner(owner):
    provider = services.provider_register(
        name="Blue Cloud GmbH", country="de", website="https://blue.example", actor=owner
    )
    assert provider.slug == "blue-cloud-gmbh" and provider.country == "DE"
    assert ProviderMembership.objects.get(provider=provider).role == ROLE.SMS_OWNER
    assert AuditEntry.objects.filter(action="provider.registered").exists()


def test_a_taken_address_is_refused_at_its_field(owner, provider):
    with pytest.raises(errors.InvalidInput) as exc:
        services.provider_register(name="Acme IT Services", country="DE", actor=owner)
    assert exc.value.field == "slug"


def test_an_invitation_is_e_mailed_with_its_link(provider, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.provider_invite(
            provider=provider, email="New@Colleague.example", role=ROLE.ASSESSOR, actor=owner
        )
    assert invitation.email == "new@colleague.example"
    message = mail.outbox[-1]
    assert message.to == ["new@colleague.example"]
    assert f"/assessments/invitations/{invitation.token}/" in message.body
    assert "Acme IT Services" in message.subject
    assert message.alternatives and "Assessor" in message.alternatives[0][0]


def test_only_the_owner_invites(provider, assessor):
    with pytest.raises(errors.NotAllowed):
        services.provider_invite(provider=provider, email="x@y.example", role=ROLE.VIEWER, actor=assessor)


def test_accepting_needs_the_invited_address(provider, owner, outsider):
    invitation = services.provider_invite(
        provider=provider, email="invited@colleague.example", role=ROLE.VIEWER, actor=owner
    )
    with pytest.raises(errors.NotAllowed):
        services.provider_invitation_accept(token=invitation.token, user=outsider)
    invited = UserFactory(email="invited@colleague.example")
    membership = services.provider_invitation_accept(token=invitation.token, user=invited)
    assert membership.role == ROLE.VIEWER
    assert ProviderInvitation.objects.get().status == "accepted"
    with pytest.raises(errors.InvalidTransition):
        services.provider_invitation_accept(token=invitation.token, user=invited)


def test_a_withdrawn_invitation_cannot_be_accepted(provider, owner):
    invitation = services.provider_invite(
        provider=provider, email="late@colleague.example", role=ROLE.VIEWER, actor=owner
    )
    services.provider_invitation_withdraw(invitation=invitation, actor=owner)
    with pytest.raises(errors.InvalidTransition):
        services.provider_invitation_accept(
            token=invitation.token, user=UserFactory(email="late@colleague.example")
        )


def test_the_owner_changes_roles_and_removes_members(provider, owner, viewer):
    membership = ProviderMembership.objects.get(provider=provider, user=viewer)
    services.membership_role_set(membership=membership, role=ROLE.ASSESSOR, actor=owner)
    assert ProviderMembership.objects.get(pk=membership.pk).role == ROLE.ASSESSOR
    services.membership_remove(membership=membership, actor=owner)
    assert not ProviderMembership.objects.filter(pk=membership.pk).exists()


def test_the_last_owner_is_never_demoted_or_removed(provider, owner, assessor):
    own = ProviderMembership.objects.get(provider=provider, user=owner)
    with pytest.raises(errors.InvalidTransition):
        services.membership_role_set(membership=own, role=ROLE.VIEWER, actor=owner)
    with pytest.raises(errors.InvalidTransition):
        services.membership_remove(membership=own, actor=owner)
    other = ProviderMembership.objects.get(provider=provider, user=assessor)
    services.membership_role_set(membership=other, role=ROLE.SMS_OWNER, actor=owner)
    services.membership_remove(membership=own, actor=owner)
    assert list(
        ProviderMembership.objects.filter(provider=provider, role=ROLE.SMS_OWNER).values_list(
            "user", flat=True
        )
    ) == [assessor.pk]


def test_members_other_than_owners_do_not_manage_members(provider, assessor, viewer):
    with pytest.raises(errors.NotAllowed):
        services.membership_remove(membership=ProviderMembership.objects.get(user=viewer), actor=assessor)
