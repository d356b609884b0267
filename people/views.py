from django.views.generic import DetailView

from .models import Person, Writer


class PersonDetailView(DetailView):
    model = Person
    template_name = "people/person.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        return super().get_context_data(articles=self.object.articles.published()[:20], **kwargs)


class WriterDetailView(DetailView):
    model = Writer
    template_name = "people/writer.html"
    context_object_name = "writer"

    def get_context_data(self, **kwargs):
        return super().get_context_data(articles=self.object.articles.published()[:20], **kwargs)
