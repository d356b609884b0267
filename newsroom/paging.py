"""Deep pages that cost what the first does."""

from django.core.paginator import Paginator
from django.db.models import QuerySet


class DeepPaginator(Paginator):
    """Pages of stories whose ids are found first, then the page's rows by id (a deferred
    join): page 1,000 of a section reads 19,980 entries of an index and 20 stories, where
    OFFSET read 19,980 stories with their pictures and shows and threw them away."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not bottom or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)
