from . import roles as r


def roles(request):
    user = getattr(request, "user", None)
    return {
        "roles": {
            "learner": r.is_learner(user),
            "trainer": r.is_trainer(user),
            "ato_admin": r.is_ato_admin(user),
            "examiner": r.is_examiner(user),
        }
    }
