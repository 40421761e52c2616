"""The examiner's CMS dashboard: work waiting in the exam engine."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from accounts.roles import is_examiner

from .models import Question, Sitting


class ExamWorkPanel(Component):
    """Questions waiting for a second examiner (never one's own) and today's sittings."""

    name = "exam_work"
    template_name = "exams/admin/work_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        today = timezone.localdate()
        waiting = (
            Question.objects.filter(status=Question.Status.IN_REVIEW)
            .exclude(author=request.user)
            .select_related("certification", "topic", "current_version")
            .order_by("updated_at")
        )
        sittings = (
            Sitting.objects.filter(opens_at__date__lte=today, closes_at__date__gte=today)
            .exclude(kind=Sitting.Kind.ON_DEMAND)
            .select_related("certification")
            .order_by("opens_at")
        )
        return {"waiting": waiting[:10], "waiting_count": waiting.count(), "sittings": sittings[:10]}


def exam_panels(request, panels):
    if is_examiner(request.user):
        panels.append(ExamWorkPanel())
