"""Role predicates: the one place views, templates and services ask who someone is.

Every account is a learner. Trainer, ATO admin and examiner are Django groups
created by a data migration (accounts/migrations/0002_roles.py)."""

TRAINER = "Trainers"
ATO_ADMIN = "ATO admins"
EXAMINER = "Examiners"
ROLE_GROUPS = (TRAINER, ATO_ADMIN, EXAMINER)


def _group_names(user):
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_group_names = cached
    return cached


def is_learner(user):
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def is_trainer(user):
    return TRAINER in _group_names(user)


def is_ato_admin(user):
    return ATO_ADMIN in _group_names(user)


def is_examiner(user):
    return EXAMINER in _group_names(user) or bool(getattr(user, "is_superuser", False))


def is_invigilator(user):
    """Trainers and examiners may watch sittings they are assigned to."""
    return is_trainer(user) or is_examiner(user)


def roles_of(user):
    roles = []
    if is_learner(user):
        roles.append("learner")
    if is_trainer(user):
        roles.append("trainer")
    if is_ato_admin(user):
        roles.append("ato_admin")
    if is_examiner(user):
        roles.append("examiner")
    return roles


def role_add(user, group_name):
    from django.contrib.auth.models import Group

    if group_name not in ROLE_GROUPS:
        raise ValueError(f"Unknown role group {group_name!r}.")
    group, _ = Group.objects.get_or_create(name=group_name)
    user.groups.add(group)
    user.__dict__.pop("_role_group_names", None)
