from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/", views.PersonIndexView.as_view(), name="index"),
    path("writers/", views.WriterIndexView.as_view(), name="writers"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("writers/<slug:slug>/", views.WriterDetailView.as_view(), name="writer"),
]
