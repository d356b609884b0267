from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from articles.services import is_editor, visible_to

QUEUE_LENGTH = 10


class NewsroomAdminSite(admin.AdminSite):
    """The editors' desk: the usual admin, with the newsroom's queues on its front page."""

    site_header = "Newsroom"
    site_title = "Newsroom editors' desk"
    index_title = "Editors' desk"
    index_template = "admin/newsroom_index.html"

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), **self.queues(request)})

    def queues(self, request):
        user = request.user
        now = timezone.now()
        stories = visible_to(user, Article.objects.select_related("created_by").with_byline())
        mine = Q(created_by=user) | Q(bylines__writer__user=user)
        return {
            "is_editor": is_editor(user),
            "in_review": stories.filter(status=Article.Status.IN_REVIEW).order_by("updated_at")[
                :QUEUE_LENGTH
            ],
            "scheduled": stories.filter(
                status=Article.Status.PUBLISHED, publish_at__gt=now
            ).order_by("publish_at")[:QUEUE_LENGTH],
            "my_drafts": stories.filter(mine, status=Article.Status.DRAFT)
            .distinct()
            .order_by("-updated_at")[:QUEUE_LENGTH],
            "recently_published": stories.published().order_by("-publish_at")[:QUEUE_LENGTH],
        }
