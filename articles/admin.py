import json
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError, connection, models, transaction
from django.db.models import Q
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from taggit.managers import TaggableManager
from taggit.models import Tag as TaggitTag
from taggit.utils import edit_string_for_tags

from images.admin import chosen_picture
from people.admin import ForgivingChangeList
from people.forms import CleanTextModelForm
from people.models import Writer
from people.text import clean_text, record_number
from shows.models import Show

from . import previews, revisions, services
from . import search as story_search
from .forms import TagListField
from .markdown import check_body, render_markdown
from .models import (
    Article,
    Byline,
    Correction,
    Explainer,
    NewsStory,
    RenewalNews,
    Review,
    StoryDraft,
    Tag,
)
from .services import Action


class BylineInline(admin.TabularInline):
    model = Byline
    form = CleanTextModelForm
    extra = 0
    min_num = 1
    autocomplete_fields = ["writer"]
    fields = ["writer", "position"]
    verbose_name = "writer"
    verbose_name_plural = "Byline (in the order readers see it)"

    classes = ["byline-inline"]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_min", True)  # every story has at least one writer
        return super().get_formset(request, obj, **kwargs)


def signed_in_writer(request):
    """The byline a new story starts with: the person writing it, if they have one."""
    writer = getattr(request.user, "writer", None)
    return [{"writer": writer.pk, "position": 0}] if writer is not None else []


def edit_token(article):
    return article.updated_at.isoformat() if article.pk else ""


class ArticleAdminForm(CleanTextModelForm):
    """The story form, with the workflow buttons and a guard against stale saves."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # The unpublished changes the form was loaded with, if any (drafts of live stories).
    draft_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Whether readers could see the story when the form was loaded: a save of such a form
    # keeps its changes off the site unless "Publish changes" is pressed.
    was_live = forms.CharField(widget=forms.HiddenInput, required=False)
    # The revision loaded into the form to be restored, if one was.
    restored_from = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overwrite = forms.BooleanField(
        required=False, label="Save my version over the newer one", widget=forms.CheckboxInput
    )
    schedule_at = forms.SplitDateTimeField(
        required=False, label="Publish at", widget=AdminSplitDateTime
    )
    note = forms.CharField(
        required=False,
        label="Note to the writer",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    mark_updated = forms.BooleanField(
        required=False,
        label="Mark as updated",
        help_text="Tick when this change matters to readers (new facts, not a typo): the "
        "story shows “Updated” with the time you save, and feeds and search engines are "
        "told. A correction or update note below does this by itself.",
    )
    # The newest fact change the form showed: "Still right" vouches for those, not for a
    # change that arrives while the form is open.
    facts_seen_until = forms.CharField(widget=forms.HiddenInput, required=False)
    facts_still_right = forms.BooleanField(
        required=False,
        label="Still right",
        help_text="Tick when you have read the story against the changes above and it needs "
        "no update: it leaves the desk's list until its shows' facts change again.",
    )

    request = None  # set by ArticleAdminBase.get_form
    facts_seen = None  # likewise: the newest fact change shown, if any
    loaded = None  # likewise: work loaded into the form (see ArticleAdminBase.loaded)
    outcome = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether readers could see the story when this form was filled in: what is done
        # "since publication" (marks, notes) needs it, whatever a workflow button does.
        self.was_public = self.instance.pk is not None and self.instance.is_public
        self.fields["edit_token"].initial = edit_token(self.instance)
        changes = services.pending_changes(self.instance) if self.was_public else None
        self.fields["draft_token"].initial = draft_token(changes)
        self.fields["was_live"].initial = "1" if self.was_public else ""
        if not self.is_bound and self.loaded is not None:
            complete = self.loaded.source != "revision"
            self.initial.update(initial_from(self, self.loaded.data, complete))
            self.initial["restored_from"] = self.loaded.revision
            if self.loaded.source == "autosave" and self.instance.pk:
                # Saved as the form it came from: if the story was saved by anyone since,
                # the save is refused as stale (with the text kept), never written over.
                for token in ("edit_token", "draft_token"):
                    self.fields[token].initial = self.loaded.data.get(token, "")
        if "facts_seen_until" in self.fields and self.facts_seen:
            self.fields["facts_seen_until"].initial = self.facts_seen.isoformat()
        if self.instance.is_scheduled:
            self.fields["schedule_at"].initial = timezone.localtime(self.instance.publish_at)

    def clean_facts_seen_until(self):
        """The newest change the form showed, as a time; never later than now (a forged
        far-future time must not keep the story off the desk's list for good)."""
        seen = time_from(self.cleaned_data.get("facts_seen_until"))
        return min(seen, timezone.now()) if seen else None

    def clean(self):
        cleaned = super().clean()
        if getattr(self.request, "database_busy", False):
            raise ValidationError(
                "The newsroom's database was busy with other saves for too long, so nothing "
                "was saved. Your text is still here: press Save again.",
                code="busy",
            )
        self.refuse_stale_save(cleaned)
        action = self.data.get("_workflow")
        if action:
            try:
                self.outcome = services.transition(
                    article=self.instance,
                    user=self.request.user,
                    action=action,
                    when=cleaned.get("schedule_at"),
                    note=cleaned.get("note", ""),
                )
            except ValidationError as error:
                self.add_error("schedule_at" if action == Action.SCHEDULE else None, error)
        return cleaned

    @property
    def keeps_off_site(self):
        """A save of a live story keeps the changes off the site (a draft of changes)
        unless the editor chose "Publish changes" or a workflow button."""
        data = self.data
        return (
            self.was_public
            and data.get("was_live") == "1"
            and "_publish_changes" not in data
            and not data.get("_workflow")
        )

    def refuse_stale_save(self, cleaned):
        """Someone saved this story (or changes to it) after this form was loaded: keep
        their work and ours."""
        if not self.instance.pk or cleaned.get("overwrite"):
            return
        changes = services.pending_changes(self.instance) if self.was_public else None
        if cleaned.get("edit_token") == edit_token(self.instance) and (
            not self.was_public or cleaned.get("draft_token") == draft_token(changes)
        ):
            return
        latest = self.instance.history.order_by("-history_date").first()
        saver, saved_at = getattr(latest, "history_user", None), self.instance.updated_at
        if changes is not None and cleaned.get("draft_token") != draft_token(changes):
            saver, saved_at = changes.saved_by, changes.saved_at
        when = timezone.localtime(saved_at).strftime("%d %b %Y at %H:%M:%S")
        if saver is not None and saver == self.request.user:
            raise ValidationError(
                f"You changed this story on {when}, after this form was loaded (Save pressed "
                "twice, or the story open in another tab). That save was kept; nothing was "
                "saved now, and this text is still here. Open the story again to carry on "
                "from your last save, or tick “Save my version over the newer one” and save.",
                code="stale",
            )
        name = services.display_name(saver, "Someone")
        raise ValidationError(
            f"{name} changed this story on {when}, after you opened it. Nothing was saved, "
            "and your text is still here. Compare it with their version in the history, "
            "or tick “Save my version over the newer one” and save again.",
            code="stale",
        )


class CorrectionForm(CleanTextModelForm):
    """A note is written once: readers may have read it, so a saved note is not rewritten
    (an editor adds another, or removes it; its history keeps both)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for field in self.fields.values():
                field.disabled = True


class CorrectionInline(admin.StackedInline):
    """Corrections, clarifications and updates of a published story: each listed on it
    with its date, and the story marked updated (services.noted)."""

    model = Correction
    form = CorrectionForm
    extra = 0
    fields = ["kind", "text", "noted_at"]
    readonly_fields = ["noted_at"]
    verbose_name = "correction or update"
    verbose_name_plural = (
        "Corrections and updates (on the story, newest first, linked from its top)"
    )
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 70})}
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            # Too long a note is refused with its length, never cut short by the browser.
            field.widget.attrs.pop("maxlength", None)
        return field


class EstimatedCountPaginator(Paginator):
    """The desk's story list counts its rows, unless PostgreSQL's planner expects
    EXACT_BELOW or more: then its estimate serves (a count of 100,000 stories, or of the
    100,000 that mention a common word, reads them all). The estimate is the planner's
    plan of the list, which costs a millisecond."""

    EXACT_BELOW = 10_000

    @cached_property
    def count(self):
        if connection.vendor == "postgresql":
            plan = self.object_list.order_by().values("pk").explain(format="JSON")
            estimate = json.loads(plan)[0]["Plan"]["Plan Rows"]
            if estimate >= self.EXACT_BELOW:
                return int(estimate)
        return super().count


class StoryChangeList(ForgivingChangeList):
    """The story list: without the stories' text, which it never shows, and without the
    dates to drill into while searching (the first and last date, and every year, of
    what a common word matches read every match)."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.query:
            self.date_hierarchy = None

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer("body", "body_html")


class RecentFilter(admin.SimpleListFilter):
    """Records to narrow the list by: those with a story in the last 60 days, the
    busiest first (at most 30), rather than every one the site has ever had. Any can
    still be asked for by its number (``?show=12``), as the links of its page do.
    ``stories`` is the path from a record to its stories, ``field`` the story's to it."""

    LENGTH = 30
    model = stories = field = label_field = None

    def lookups(self, request, model_admin):
        since = timezone.now() - timedelta(days=60)
        recent = (
            self.model.objects.filter(**{f"{self.stories}__publish_at__gte": since})
            .annotate(story_count=models.Count(self.stories))
            .order_by("-story_count", self.label_field)
            .values_list("pk", self.label_field)[: self.LENGTH]
        )
        return [(str(pk), label) for pk, label in recent]

    def queryset(self, request, queryset):
        number = record_number(self.value())
        return queryset if number is None else queryset.filter(**{self.field: number})


class RecentShowsFilter(RecentFilter):
    title = "show"
    parameter_name = "show"
    model, stories, field, label_field = Show, "articles", "shows", "title"


class RecentWritersFilter(RecentFilter):
    title = "writer"
    parameter_name = "writer"
    model, stories, field, label_field = Writer, "articles", "writers", "name"


class FactsChangedFilter(admin.SimpleListFilter):
    title = "facts"
    parameter_name = "facts"

    def lookups(self, request, model_admin):
        stale = Article.objects.with_stale_facts().values("pk")
        count = model_admin.get_queryset(request).filter(pk__in=stale).count()
        return [("changed", f"Changed since last checked ({count})")]

    def queryset(self, request, queryset):
        if self.value() == "changed":
            return queryset.filter(pk__in=Article.objects.with_stale_facts().values("pk"))
        return queryset


STORY = ("Story", {"fields": ["title", "slug", "dek", "body"]})
PUBLISHING = ("Publishing", {"fields": ["status", "publish_at", "featured", "editor_note"]})
COVERAGE = ("What it covers", {"fields": ["show", "shows", "people", "tags", "related"]})
HERO = ("Hero image", {"fields": ["hero", "chosen_hero"]})
SEO = ("Search engines and shares", {"fields": ["seo_title", "seo_description"]})


class ArticleAdminBase(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/change_form.html"
    object_history_template = "admin/articles/history.html"
    list_display = ["title", "state", "publish_at", "byline_names", "show_titles", "last_saved"]
    list_filter = ["status", FactsChangedFilter, RecentShowsFilter, RecentWritersFilter]
    search_fields = ["title", "dek", "body", "slug"]  # searched by get_search_results
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "show", "shows", "people", "related", "season", "status_change", "hero",
    ]  # fmt: skip
    inlines = [BylineInline]
    list_per_page = 50
    paginator = EstimatedCountPaginator
    show_full_result_count = False  # one count, not two
    fieldsets = [STORY, PUBLISHING, COVERAGE, HERO, SEO]
    formfield_overrides = {TaggableManager: {"form_class": TagListField}}
    actions = [
        "submit_for_review", "publish_now", "schedule", "unpublish", "send_back",
        "mark_as_updated", "mark_facts_checked",
    ]  # fmt: skip

    class Media:
        css = {"all": ["admin/newsroom-editor.css"]}
        js = ["admin/newsroom-editor.js"]

    @property
    def story_kind(self):
        """The kind of story this admin makes (its proxy model's); news for the list of all."""
        return getattr(self.model, "KIND", Article.Kind.NEWS)

    # Who may do what -------------------------------------------------------------
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and services.is_editor(request.user)

    def has_publish_permission(self, request):
        return services.is_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = ["status", "publish_at", "editor_note", "chosen_hero", "dates", "facts_to_check"]
        if not services.is_editor(request.user):
            fields.append("featured")
        return fields

    # After publication: honest dates, corrections, facts that changed ------------------
    def get_fieldsets(self, request, obj=None):
        """For editors, a published story's form has "Since publication" after
        "Publishing": the dates readers see, "Mark as updated" and the facts to check."""
        fieldsets = super().get_fieldsets(request, obj)
        if not (self.after_publication(request, obj) and services.is_editor(request.user)):
            return fieldsets
        fields = ["dates", "mark_updated"]
        if self.fact_changes(obj):
            fields += ["facts_to_check", "facts_still_right", "facts_seen_until"]
        after = next(
            (i + 1 for i, (name, _) in enumerate(fieldsets) if name == "Publishing"),
            len(fieldsets),
        )
        return [*fieldsets[:after], ("Since publication", {"fields": fields}), *fieldsets[after:]]

    def get_inlines(self, request, obj):
        if self.after_publication(request, obj):
            return [*self.inlines, CorrectionInline]
        return self.inlines

    @staticmethod
    def after_publication(request, obj):
        """Whether the form has the parts for a published story. A save keeps to the form
        as it was loaded: a scheduled story that came out while it was open is saved
        without them (its form had none), never refused for their absence."""
        if request.method == "POST":
            return obj is not None and "corrections-TOTAL_FORMS" in request.POST
        return obj is not None and obj.is_public

    @staticmethod
    def fact_changes(obj):
        """What changed in the story's shows since it was last checked (once a request)."""
        if not hasattr(obj, "_fact_changes"):
            stale = services.with_fact_changes(Article.objects.with_stale_facts().filter(pk=obj.pk))
            obj._fact_changes = stale[0].fact_changes if stale else []
        return obj._fact_changes

    @admin.display(description="Dates readers see")
    def dates(self, obj):
        published = timezone.localtime(obj.publish_at).strftime("%d %b %Y %H:%M")
        if not obj.was_updated:
            return format_html("Published {}. Never marked as updated.", published)
        updated = timezone.localtime(obj.modified_at).strftime("%d %b %Y %H:%M")
        return format_html("Published {}. Updated {}.", published, updated)

    @admin.display(description="Facts changed since it was checked")
    def facts_to_check(self, obj):
        return format_html(
            '<ul class="fact-changes">{}</ul>',
            format_html_join(
                "",
                "<li>{}: {} <span class='quiet'>({})</span></li>",
                (
                    (
                        change.show.title,
                        change.summary,
                        timezone.localtime(change.changed_at).strftime("%d %b %Y %H:%M"),
                    )
                    for change in self.fact_changes(obj)
                ),
            ),
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        changes = self.fact_changes(obj) if obj is not None and obj.is_public else []
        seen = max((change.changed_at for change in changes), default=None)
        attrs = {"request": request, "facts_seen": seen, "loaded": self.loaded(request, obj)}
        return type(form.__name__, (form,), attrs)

    # Work loaded into the form: an autosave, unpublished changes, a revision ------------
    def loaded(self, request, obj):
        """What the form shows instead of the story as saved, on a GET: the revision asked
        for (?revision=N), the signed-in person's autosave (?recover=1), or else a live
        story's unpublished changes. Worked out once a request."""
        if request.method != "GET":
            return None
        if not hasattr(request, "_story_loaded"):
            request._story_loaded = self._loaded(request, obj)
        return request._story_loaded

    def _loaded(self, request, obj):
        kind = self.story_kind
        if request.GET.get("recover"):
            autosave = services.autosave_of(user=request.user, article=obj, story_kind=kind)
            if autosave is not None:
                when = timezone.localtime(autosave.saved_at).strftime("%d %b %Y at %H:%M:%S")
                return Loaded(
                    as_query_dict(autosave.data),
                    f"Recovered the work autosaved on {when}. Nothing is saved until you "
                    "press a save button.",
                    source="autosave",
                )
        if obj is None:
            return None
        revision = record_number(request.GET.get("revision"))
        if revision is not None:
            record = obj.history.filter(history_id=revision).select_related("history_user")
            record = record.first()
            if record is not None:
                return Loaded(
                    revision_data(record),
                    f"Loaded the revision of {_describe(record)} into the form. Nothing has "
                    "changed yet: review it, then save. The byline stays as it is now.",
                    revision=record.history_id,
                    source="revision",
                )
        changes = services.pending_changes(obj) if obj.is_public else None
        if changes is not None:
            name = services.display_name(changes.saved_by, "someone")
            when = timezone.localtime(changes.saved_at).strftime("%d %b %Y at %H:%M")
            return Loaded(
                as_query_dict(changes.data),
                f"This form shows the unpublished changes {name} saved on {when}. Readers "
                "still see the published version.",
                source="changes",
            )
        return None

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        loaded = self.loaded(request, obj)
        if loaded is not None and f"{prefix}-TOTAL_FORMS" in loaded.data:
            kwargs["data"] = loaded.data  # the byline and notes as they were being edited
        elif (
            getattr(obj, "pk", None) is None and request.method == "GET" and inline.model is Byline
        ):
            kwargs["initial"] = signed_in_writer(request)
        return kwargs

    @admin.display(description="Chosen picture")
    def chosen_hero(self, obj):
        return chosen_picture(obj.hero if obj else None, "16:9")

    # Saving at the same time ---------------------------------------------------------
    def get_object(self, request, object_id, from_field=None):
        """On a save, lock the story's row first: the stale-save check and the write then
        happen in one transaction, and a second save of the same story waits for the
        first, sees it, and is refused as stale instead of overwriting it. (SQLite locks
        the whole database for the transaction instead: see DATABASES in settings.)"""
        if request.method == "POST" and connection.in_atomic_block:
            try:
                pk = self.model._meta.pk.to_python(object_id)
            except ValidationError:
                pk = None
            if pk is not None:
                list(Article.objects.select_for_update().filter(pk=pk).values_list("pk"))
        return super().get_object(request, object_id, from_field)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OperationalError as error:
            if not database_busy(error):
                raise
        # Waited too long for other saves: show the form again, with everything typed and
        # a message, outside any transaction (reading needs no lock).
        request.database_busy = True
        return self._changeform_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        stories = super().get_queryset(request).select_related("show").with_byline()
        return services.visible_to(request.user, stories.prefetch_related("shows"))

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    def get_search_results(self, request, queryset, search_term):
        """The list's search: the words of the headline, standfirst and body through the
        story search index (a LIKE over 100,000 bodies reads them all), and any part of
        the headline or the address (on PostgreSQL through their trigram indexes)."""
        term = clean_text(search_term, multiline=False)[:200]
        if not term:
            return queryset, False
        found = story_search.matches(term) | Q(title__icontains=term) | Q(slug__icontains=term)
        return queryset.filter(found), False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":  # room to write: 30 lines, the live preview beside it
            field.widget.attrs.update(rows=30, cols=80)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "related":  # "Also read" offers, and accepts, only what one may see
            kwargs["queryset"] = services.visible_to(request.user, Article.objects.all())
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # List columns ------------------------------------------------------------------
    @admin.display(description="Status", ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            when = timezone.localtime(obj.publish_at).strftime("%d %b %Y %H:%M")
            return format_html("Scheduled for {}", when)
        return obj.get_status_display()

    @admin.display(description="Last saved", ordering="updated_at")
    def last_saved(self, obj):
        """Any save: not the date readers see, which only "Mark as updated" moves."""
        return obj.updated_at

    @admin.display(description="Byline")
    def byline_names(self, obj):
        return ", ".join(writer.name for writer in obj.byline)

    @admin.display(description="Shows")
    def show_titles(self, obj):
        return ", ".join(show.title for show in obj.shows.all())

    # Saving --------------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        if change and form.keeps_off_site:
            request._kept_off_site = True
            return  # kept as unpublished changes in save_related, with the lists
        if not change:
            obj.created_by = request.user
        restored = form.cleaned_data.get("restored_from")
        record = obj.history.filter(history_id=restored).first() if restored else None
        if record is not None:
            obj._change_reason = f"Restored the revision of {_describe(record)}"[:100]
        elif form.was_public and not form.outcome:
            obj._change_reason = "Published changes"
        since_publication = form.was_public and obj.is_public
        if since_publication and form.cleaned_data.get("mark_updated"):
            services.mark_updated(article=obj)
            obj._change_reason = "Marked as updated"
        if since_publication and form.cleaned_data.get("facts_still_right"):
            services.mark_facts_checked(article=obj, when=form.cleaned_data["facts_seen_until"])
            obj._change_reason = "Facts checked: still right"
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        article = form.instance
        notes = formset.save(commit=False)
        for note in formset.deleted_objects:
            note.delete()
        if not form.was_public:  # the form had no notes: only a forged request sends some
            return
        # A note added since this form was loaded is not added again (Save pressed twice,
        # then forced); the same words in an older note are a new note.
        loaded = time_from(form.cleaned_data.get("edit_token"))
        since = (
            article.corrections.filter(noted_at__gt=loaded) if loaded else Correction.objects.none()
        )
        existing = set(since.values_list("kind", "text"))
        added = []
        for note in notes:
            if note.pk is None:
                if (note.kind, note.text) in existing:
                    continue
                note.created_by, note.noted_at = request.user, timezone.now()
                added.append(note)
            note.save()
        if added and article.is_public:
            services.noted(article=article, notes=added)
        elif added:
            self.message_user(
                request,
                "The note is kept, but the story is no longer public: readers will see it "
                "if it is published again.",
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        article, kind = form.instance, self.story_kind
        services.forget_autosave(
            user=request.user, article=article if change else None, story_kind=kind
        )
        if change and form.keeps_off_site:
            bylines = next((f for f in formsets if f.model is Byline), None)
            services.save_changes(
                article=article,
                user=request.user,
                data=request.POST,
                snapshot=revisions.snapshot_of_form(form, bylines),
            )
            return
        super().save_related(request, form, formsets, change)
        article.include_main_show()
        revisions.record_relations(article)
        services.discard_changes(article=article)  # now in the story, or ended with it
        if form.outcome:
            self.message_user(request, form.outcome.message, messages.SUCCESS)
            for warning in form.outcome.warnings:
                self.message_user(request, warning, messages.WARNING)
            services.notify_later(
                article=article,
                action=request.POST["_workflow"],
                by=request.user,
                failed=lambda: self.message_user(
                    request,
                    "The email telling the others could not be sent; the story moved all "
                    "the same. Tell them yourself this time.",
                    messages.WARNING,
                ),
            )

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_kept_off_site", False):
            return [{"changed": {"fields": ["unpublished changes"]}}]
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "_kept_off_site", False):  # the headline readers still see
            obj = type(obj).objects.get(pk=obj.pk)
        return super().log_change(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        """Stay on the story after any save, as Ghost and WordPress do."""
        if "_workflow" not in request.POST:
            self.message_user(request, f"Saved “{obj}” as a draft.", messages.SUCCESS)
        return redirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    def response_change(self, request, obj):
        if "_workflow" in request.POST:
            pass
        elif getattr(request, "_kept_off_site", False):
            self.message_user(
                request,
                "Saved as unpublished changes. Readers still see the published version: "
                "preview the changes, then press “Publish changes”.",
                messages.SUCCESS,
            )
        elif "_publish_changes" in request.POST:
            self.message_user(request, "Changes published. Readers see them now.", messages.SUCCESS)
        else:
            self.message_user(request, f"Saved “{obj}”.", messages.SUCCESS)
        return redirect(request.path)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        kind = self.story_kind
        article = obj or Article(kind=kind)
        can_change = obj is None or self.has_change_permission(request, obj)
        may_preview = obj is not None and services.can_see(request.user, obj)
        is_editor = services.is_editor(request.user)
        changes = services.pending_changes(obj) if obj is not None and obj.is_public else None
        loaded = self.loaded(request, obj)
        autosave = None  # work never saved (a save of one's own throws the autosave away)
        if request.method == "GET" and can_change and getattr(loaded, "source", "") != "autosave":
            autosave = services.autosave_of(user=request.user, article=obj, story_kind=kind)
        url = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        context.update(
            workflow_actions=[
                (action, Action.LABELS[action])
                for action in services.available_actions(request.user, article)
            ]
            if can_change
            else [],
            can_change=can_change,
            editor_view=is_editor,
            status_words=status_in_words(article, changes),
            pending_changes=changes,
            loaded=loaded,
            autosave=autosave,
            also_editing=self.also_editing(request, obj),
            time_zone=timezone.get_current_timezone_name(),
            save_label=save_label(article),
            can_publish_changes=obj is not None and obj.is_public and is_editor and can_change,
            preview_url=reverse("articles:preview", args=[obj.pk]) if may_preview else "",
            share_url=request.build_absolute_uri(previews.share_url(obj)) if may_preview else "",
            share_expires=previews.expires_at() if may_preview else None,
            markdown_preview_url=reverse("admin:articles_markdown_preview"),
            autosave_url=reverse(f"{url}_autosave", args=[obj.pk])
            if obj
            else reverse(f"{url}_autosave_new"),
            tag_suggest_url=reverse("admin:articles_tag_suggest"),
            site_css=static("css/site.css"),
            card_image=(article.shared_image or {}).get("url", "") if obj is not None else "",
            site_domain=settings.SITE_DOMAIN,
            url_prefix=f"/{article.section}/",
            show_delete=obj is not None and self.has_delete_permission(request, obj),
        )
        context.update(
            show_save_and_add_another=False,
            show_save_and_continue=False,
            show_delete_link=False,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Bulk actions -----------------------------------------------------------------
    def _bulk(self, request, queryset, action, when=None, note=""):
        done, refused, dropped = 0, [], []
        for article in queryset:
            try:
                with transaction.atomic():
                    # The story as it is now, locked until saved: a save made meanwhile
                    # from the story form is kept, never written over with the list's copy.
                    current = self.model.objects.select_for_update().get(pk=article.pk)
                    outcome = services.apply(
                        article=current, user=request.user, action=action, when=when, note=note
                    )
                done += 1
                if action in (Action.UNPUBLISH, Action.SEND_BACK):
                    dropped += outcome.warnings
            except (PermissionDenied, ValidationError) as error:
                reason = "; ".join(getattr(error, "messages", [str(error)]))
                refused.append(f"“{article.title}”: {reason}")
        if done:
            self.message_user(
                request,
                f"{Action.DONE[action].capitalize()}: {done} stor{'y' if done == 1 else 'ies'}.",
            )
        for line in refused:
            self.message_user(request, f"Not {Action.DONE[action]}: {line}", messages.ERROR)
        for line in dropped:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description="Submit for review")
    def submit_for_review(self, request, queryset):
        self._bulk(request, queryset, Action.SUBMIT)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._bulk(request, queryset, Action.PUBLISH)

    @admin.action(description="Unpublish", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._bulk(request, queryset, Action.UNPUBLISH)

    @admin.action(description="Schedule…", permissions=["publish"])
    def schedule(self, request, queryset):
        return self._ask(request, queryset, Action.SCHEDULE, ScheduleForm)

    @admin.action(description="Send back to draft with a note…", permissions=["publish"])
    def send_back(self, request, queryset):
        return self._ask(request, queryset, Action.SEND_BACK, SendBackForm)

    @admin.action(description="Mark as updated (readers see this time)", permissions=["publish"])
    def mark_as_updated(self, request, queryset):
        self._mark(request, queryset, services.mark_updated, "revised_at", "Marked as updated")

    @admin.action(description="Facts checked: still right", permissions=["publish"])
    def mark_facts_checked(self, request, queryset):
        self._mark(
            request, queryset, services.mark_facts_checked, "facts_checked_at", "Facts checked"
        )

    def _mark(self, request, queryset, mark, field, done):
        """Mark the public stories among those chosen (others have nothing to mark). Only
        that date is written, so a form open on one of them can still be saved."""
        marked = 0
        for article in queryset:
            if article.is_public:
                mark(article=article)
                article._change_reason = done
                article.save(update_fields=[field])
                marked += 1
        skipped = len(queryset) - marked
        if marked:
            self.message_user(request, f"{done}: {marked} stor{'y' if marked == 1 else 'ies'}.")
        if skipped:
            self.message_user(
                request,
                f"Not marked: {skipped} not yet public (nothing to mark before publication).",
                messages.WARNING,
            )

    def _ask(self, request, queryset, action, form_class):
        """Actions that need a time or a note ask for it on a page of their own."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._bulk(request, queryset, action, **form.cleaned_data)
            return None
        return TemplateResponse(
            request,
            "admin/articles/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": Action.LABELS[action],
                "opts": self.opts,
                "form": form,
                "articles": queryset,
                "action": request.POST["action"],
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "media": self.media + form.media,
            },
        )

    # Revisions, autosaves and who is editing ---------------------------------------------
    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"

        def desk(view, name, route, post=True):
            view = self.admin_site.admin_view(require_POST(view) if post else view)
            return path(route, view, name=f"{prefix}_{name}")

        return [
            desk(self.compare_view, "compare", "<int:object_id>/history/compare/", post=False),
            desk(self.autosave_view, "autosave", "<int:object_id>/autosave/"),
            desk(self.autosave_view, "autosave_new", "autosave/"),
            desk(
                self.discard_autosave_view, "discard_autosave", "<int:object_id>/autosave/discard/"
            ),
            desk(self.discard_autosave_view, "discard_autosave_new", "autosave/discard/"),
            desk(self.leave_view, "leave", "<int:object_id>/leave/"),
            desk(self.discard_changes_view, "discard_changes", "<int:object_id>/changes/discard/"),
            desk(
                self.revoke_share_links_view, "revoke_share_links", "<int:object_id>/share/revoke/"
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def also_editing(request, obj):
        """Who else has the story open; opening its form says one has it open too."""
        if obj is None:
            return []
        if request.method == "GET" and services.can_edit(request.user, obj):
            return services.here(article=obj, user=request.user)
        return services.also_editing(article=obj, user=request.user)

    def _change_url(self, article=None):
        url = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        return reverse(f"{url}_change", args=[article.pk]) if article else reverse(f"{url}_add")

    def _article_or_404(self, request, object_id):
        """A story whose revisions the user may read: earlier versions can hold what was
        cut before publication, so editors read any story's, writers their own stories'."""
        article = self.get_object(request, str(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such story.")
        if not services.can_see(request.user, article):
            raise Http404("No such story.")
        return article

    def _editable_or_403(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def autosave_view(self, request, object_id=None):
        """The open form, every few seconds: keep it as the person's autosave (never the
        story), and say who else has the story open. ``_autosave=ping`` only says one is
        still there."""
        kind = self.story_kind
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            article = None
        else:
            try:
                article = self._editable_or_403(request, object_id)
            except Http404:
                return JsonResponse({"error": "This story is not there any more."}, status=404)
        answer = {}
        if request.POST.get("_autosave") != "ping":
            draft = services.autosave(
                user=request.user, data=request.POST, article=article, story_kind=kind
            )
            answer["saved_at"] = timezone.localtime(draft.saved_at).strftime("%H:%M:%S")
        if article is not None:
            others = services.here(article=article, user=request.user)
            answer["also_editing"] = [services.display_name(p.user, "Someone") for p in others]
        return JsonResponse(answer)

    def leave_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        services.left(article=article, user=request.user)
        return JsonResponse({})

    def discard_autosave_view(self, request, object_id=None):
        kind = self.story_kind
        article = self._article_or_404(request, object_id) if object_id else None
        services.forget_autosave(user=request.user, article=article, story_kind=kind)
        self.message_user(request, "The autosaved work was thrown away.")
        return redirect(self._change_url(article))

    def discard_changes_view(self, request, object_id):
        article = self._editable_or_403(request, object_id)
        services.discard_changes(article=article, user=request.user)
        self.message_user(
            request, "The unpublished changes were thrown away; the story is as readers see it."
        )
        return redirect(self._change_url(article))

    def revoke_share_links_view(self, request, object_id):
        article = self._editable_or_403(request, object_id)
        previews.revoke(article=article)
        self.message_user(
            request,
            "Every share link made until now stopped working. The link on this page is new.",
        )
        return redirect(self._change_url(article))

    def history_view(self, request, object_id, extra_context=None):
        article = self._article_or_404(request, object_id)
        records = revisions.name_events(
            article.history.select_related("history_user").order_by("-history_date", "-history_id")
        )
        entries = [
            {
                "when": record.history_date,
                "who": record.history_user,
                "event": record.event,
                "detail": record.detail,
                "status": record.get_status_display(),
                "title": record.title,
                "record": record,
            }
            for record in records
        ]
        for draft in article.drafts.select_related("saved_by"):
            mine = draft.saved_by_id == request.user.pk
            if draft.kind == StoryDraft.Kind.AUTOSAVE and not (
                mine or services.is_editor(request.user)
            ):
                continue
            event, detail = DRAFT_EVENTS[draft.kind]
            entries.append(
                {
                    "when": draft.saved_at,
                    "who": draft.saved_by,
                    "event": event,
                    "detail": detail,
                    "title": draft.data.get("title", [""])[0] if draft.data.get("title") else "",
                    "draft": draft,
                    "recoverable": mine and draft.kind == StoryDraft.Kind.AUTOSAVE,
                }
            )
        entries.sort(key=lambda entry: entry["when"], reverse=True)
        changes_first = any(
            e.get("draft") and e["draft"].kind == StoryDraft.Kind.CHANGES for e in entries
        )
        return TemplateResponse(
            request,
            self.object_history_template,
            {
                **self.admin_site.each_context(request),
                "title": f"History of “{article.title}”",
                "opts": self.opts,
                "object": article,
                "entries": entries,
                "has_revisions": bool(records),
                "newest": records[0].history_id if records else None,
                # Compared at first: unpublished changes with the story as it is, else the
                # two newest revisions.
                "changes_first": changes_first,
                "older_default": (
                    records[0].history_id
                    if changes_first and records
                    else records[1].history_id
                    if len(records) > 1
                    else None
                ),
                "can_restore": self.has_change_permission(request, article),
            },
        )

    def _version(self, article, token):
        """One side of a comparison: a revision's number, "live" or "changes"."""
        if token == "live":
            return revisions.snapshot_of(article), "the story as saved now", None
        if token == "changes":
            changes = services.pending_changes(article)
            if changes is None or not changes.snapshot:
                raise Http404("This story has no unpublished changes.")
            when = timezone.localtime(changes.saved_at).strftime("%d %b %Y %H:%M:%S")
            who = services.display_name(changes.saved_by, "unknown")
            return changes.snapshot, f"the unpublished changes of {when} by {who}", changes.saved_at
        try:
            record = article.history.select_related("history_user").get(history_id=int(token))
        except (ValueError, article.history.model.DoesNotExist) as error:
            raise Http404("Pick two revisions of this story to compare.") from error
        return revisions.snapshot_of_record(record), _describe(record), record.history_date

    def compare_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        older, older_name, older_at = self._version(article, request.GET.get("a", ""))
        newer, newer_name, newer_at = self._version(article, request.GET.get("b", ""))
        if older_at and newer_at and older_at > newer_at:
            older, older_name, newer, newer_name = newer, newer_name, older, older_name
        rows, unknown = revisions.differences(older, newer)
        return TemplateResponse(
            request,
            "admin/articles/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Compare versions of “{article.title}”",
                "opts": self.opts,
                "object": article,
                "older_name": older_name,
                "newer_name": newer_name,
                "rows": rows,
                "unknown": unknown,
            },
        )


def time_from(text):
    """A time a form carried back (ISO 8601), or None if it is missing or not a time."""
    try:
        return parse_datetime(text or "")
    except ValueError:
        return None


def database_busy(error):
    """SQLite's answer when another save held the database longer than the timeout."""
    return "database is locked" in str(error) or "database table is locked" in str(error)


def _describe(revision):
    name = services.display_name(revision.history_user, "unknown")
    return f"{timezone.localtime(revision.history_date):%d %b %Y %H:%M:%S} by {name}"


class ScheduleForm(forms.Form):
    when = forms.SplitDateTimeField(label="Publish at", widget=AdminSplitDateTime)


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="Note to the writer", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# How the history lists work not (yet) on the story.
DRAFT_EVENTS = {
    StoryDraft.Kind.AUTOSAVE: ("Autosaved", "not saved to the story"),
    StoryDraft.Kind.CHANGES: ("Unpublished changes saved", "not on the site yet"),
}


def status_in_words(article, changes):
    """The story's state, as the publish panel says it."""
    if article.pk is None:
        return "New story, not saved yet"
    if article.is_scheduled:
        when = timezone.localtime(article.publish_at)
        zone = timezone.get_current_timezone_name()
        return f"Scheduled for {when:%d %b %Y at %H:%M} {when:%Z} ({zone})"
    if article.is_public:
        when = timezone.localtime(article.publish_at).strftime("%d %b %Y at %H:%M")
        if changes is not None:
            return f"Published {when}, with unpublished changes"
        return f"Published {when}"
    return article.get_status_display()


def save_label(article):
    if article.pk is not None and article.is_public:
        return "Save draft of changes"
    if article.status == Article.Status.DRAFT:
        return "Save draft"
    return "Save"


def draft_token(changes):
    return changes.saved_at.isoformat() if changes is not None else ""


# What is never loaded into a form from saved work: the form's own bookkeeping.
NOT_LOADED = {
    "edit_token", "draft_token", "was_live", "restored_from", "overwrite", "facts_seen_until",
}  # fmt: skip


def initial_from(form, data, complete=True):
    """The values ``data`` gives the fields of ``form``, as initial values: what a reload
    shows when it loads an autosave, unpublished changes or a revision. ``data`` is a
    form as posted (``complete``: a list it leaves out was emptied), or what a revision
    recorded (a list it leaves out is unknown and keeps the story's own value)."""
    initial = {}
    for name, field in form.fields.items():
        widget, key = field.widget, form.add_prefix(name)
        if name in NOT_LOADED or field.disabled or widget.value_omitted_from_data(data, {}, key):
            continue
        if not complete and key not in data:
            continue
        initial[name] = widget.value_from_datadict(data, {}, key)
    return initial


def as_query_dict(data):
    """Saved form data ({name: [values]}) as the QueryDict a form reads."""
    query = QueryDict(mutable=True)
    for name, values in (data or {}).items():
        query.setlist(name, [str(value) for value in values])
    return query


def revision_data(record):
    """A revision as the form would post it: its text, choices and lists (the byline
    stays as it is: it is shown in the comparison, and changed in the form)."""
    data = QueryDict(mutable=True)
    for name in [field for field, _ in revisions.TEXT_FIELDS]:
        data[name] = getattr(record, name) or ""
    data["rating"] = "" if record.rating is None else str(record.rating)
    for name in ["show", "season", "status_change", "hero"]:
        data[name] = str(getattr(record, f"{name}_id") or "")
    if record.featured:
        data["featured"] = "on"
    relations = record.relations or {}
    for name in ["shows", "people", "related"]:
        if name in relations:
            data.setlist(name, [str(pk) for pk, _ in relations[name]])
    if "tags" in relations:
        data["tags"] = edit_string_for_tags([Tag(name=name) for name in relations["tags"]])
    return data


class Loaded:
    """Work loaded into the story form instead of the story as saved."""

    def __init__(self, data, notice, revision=None, source=""):
        self.data, self.notice, self.revision, self.source = data, notice, revision, source


@admin.register(Article)
class ArticleAdmin(ArticleAdminBase):
    """Every story in one list; each opens in the admin of its kind."""

    list_display = ["title", "kind", "state", "publish_at", "byline_names", "show_titles"]
    list_filter = ["status", "kind", FactsChangedFilter, RecentShowsFilter, RecentWritersFilter]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        urls = super().get_urls()
        return [
            path(
                "markdown-preview/",
                self.admin_site.admin_view(require_POST(markdown_preview)),
                name="articles_markdown_preview",
            ),
            *urls,
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        model = KIND_ADMINS[article.kind]
        return redirect(
            reverse(f"admin:articles_{model._meta.model_name}_change", args=[article.pk])
        )


def markdown_preview(request):
    """The live preview beside the body field: the site's own pipeline, for staff only
    (admin_view lets no one else in)."""
    text = request.POST.get("body", "")
    try:
        check_body(text)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"html": render_markdown(text)})


@admin.register(Review)
class ReviewAdmin(ArticleAdminBase):
    list_display = ["title", "state", "rating", "publish_at", "byline_names", "show_titles"]
    fieldsets = [
        STORY,
        ("The review", {"fields": ["show", "season", "rating", "verdict", "watch_if", "skip_if"]}),
        PUBLISHING,
        ("Also covers", {"fields": ["shows", "people", "tags", "related"]}),
        HERO,
        SEO,
    ]


@admin.register(Explainer)
class ExplainerAdmin(ArticleAdminBase):
    pass


@admin.register(RenewalNews)
class RenewalNewsAdmin(ArticleAdminBase):
    fieldsets = [
        STORY,
        ("The renewal", {"fields": ["show", "status_change"]}),
        PUBLISHING,
        ("Also covers", {"fields": ["shows", "people", "tags", "related"]}),
        HERO,
        SEO,
    ]


@admin.register(NewsStory)
class NewsStoryAdmin(ArticleAdminBase):
    pass


KIND_ADMINS = {
    Article.Kind.REVIEW: Review,
    Article.Kind.EXPLAINER: Explainer,
    Article.Kind.RENEWAL: RenewalNews,
    Article.Kind.NEWS: NewsStory,
}


# Stories use articles.Tag (ASCII slugs); taggit's own tag table is not used.
admin.site.unregister(TaggitTag)


class TagForm(CleanTextModelForm):
    def clean_name(self):
        name = self.cleaned_data["name"]
        same = Tag.objects.filter(folded=name.casefold()).exclude(pk=self.instance.pk).first()
        if same is not None:
            raise ValidationError(
                "There is a tag “%(name)s” already (tags ignore case). Use it, or rename "
                "this one differently.",
                code="tag_exists",
                params={"name": same.name},
            )
        return name


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug", "stories"]
    search_fields = ["name"]
    readonly_fields = ["slug"]
    fields = ["name", "slug"]
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(story_count=models.Count("articles_taggedarticle_items"))
        )

    @admin.display(description="Stories", ordering="story_count")
    def stories(self, obj):
        return obj.story_count

    def has_merge_permission(self, request):
        return services.is_editor(request.user)

    @admin.action(description="Merge the selected tags into one…", permissions=["merge"])
    def merge_tags(self, request, queryset):
        tags = list(queryset.order_by("name"))
        if len(tags) < 2:
            self.message_user(request, "Pick two tags or more to merge.", messages.WARNING)
            return None
        form = MergeTagsForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_valid():
            kept = form.cleaned_data["into"]
            merged = services.merge_tags(into=kept, tags=[tag for tag in tags if tag != kept])
            self.message_user(
                request,
                f"Merged {', '.join(f'“{name}”' for name in merged)} into “{kept.name}”: "
                "their stories keep every tag, and the old tag pages redirect.",
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge tags",
                "submit_label": "Merge",
                "opts": self.opts,
                "form": form,
                "action": request.POST["action"],
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            },
        )

    def get_urls(self):
        return [
            path(
                "suggest/",
                self.admin_site.admin_view(self.suggest_view),
                name="articles_tag_suggest",
            ),
            *super().get_urls(),
        ]

    def suggest_view(self, request):
        """Tags whose names start with (then contain) what is being typed, whatever the
        case, for the story form's tag field: anyone on the desk may see tag names."""
        if not self.has_view_permission(request):  # a staff account with no role
            raise PermissionDenied
        term = clean_text(request.GET.get("q", ""), multiline=False)[:100]
        if not term:
            return JsonResponse({"tags": []})
        term = term.casefold()
        starts = list(
            Tag.objects.filter(folded__startswith=term).values_list("name", flat=True)[:10]
        )
        more = Tag.objects.filter(folded__contains=term).exclude(name__in=starts)
        names = starts + list(more.values_list("name", flat=True)[: 10 - len(starts)])
        return JsonResponse({"tags": names})


class MergeTagsForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this tag",
        help_text="The other tags are removed; their stories get this one, and their pages "
        "and feeds redirect to its.",
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Tag.objects.filter(pk__in=[tag.pk for tag in tags])
