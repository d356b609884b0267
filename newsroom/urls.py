from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("search/", views.search, name="search"),
    path("renewal-tracker/", views.RenewalTrackerView.as_view(), name="renewal-tracker"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
    path("shows/", include("shows.urls")),
    path("", include("people.urls")),
    path("", include("articles.urls")),
    # Last: the site's own pages, one word each (/about/, /standards/...), by editors.
    re_path(r"^(?P<url>[a-z0-9]+(?:-[a-z0-9]+)*/)$", views.page, name="page"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
