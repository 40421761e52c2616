"""The examiner's CMS dashboard: accreditation applications waiting for a decision."""

from wagtail.admin.ui.components import Component

from accounts.roles import is_examiner

from . import selectors


class AccreditationApplicationsPanel(Component):
    """The count of applications awaiting a decision and the oldest ones, each linked to its
    decision screen."""

    name = "accreditation_applications"
    template_name = "trainers/admin/applications_panel.html"
    order = 55

    def get_context_data(self, parent_context):
        waiting = selectors.accreditation_applications_waiting()
        return {"applications": list(waiting[:10]), "applications_count": waiting.count()}


def training_panels(request, panels):
    if is_examiner(request.user):
        panels.append(AccreditationApplicationsPanel())
