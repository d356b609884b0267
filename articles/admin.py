import difflib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, models, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html, format_html_join
from django.views.decorators.http import require_POST
from taggit.managers import TaggableManager
from taggit.models import Tag as TaggitTag

from images.admin import chosen_picture
from people.admin import ForgivingDates
from people.forms import CleanTextModelForm

from . import previews, services
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

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_min", True)  # every story has at least one writer
        return super().get_formset(request, obj, **kwargs)


def edit_token(article):
    return article.updated_at.isoformat() if article.pk else ""


class ArticleAdminForm(CleanTextModelForm):
    """The story form, with the workflow buttons and a guard against stale saves."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
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
    outcome = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether readers could see the story when this form was filled in: what is done
        # "since publication" (marks, notes) needs it, whatever a workflow button does.
        self.was_public = self.instance.pk is not None and self.instance.is_public
        self.fields["edit_token"].initial = edit_token(self.instance)
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

    def refuse_stale_save(self, cleaned):
        """Someone saved this story after this form was loaded: keep their work and ours."""
        if not self.instance.pk or cleaned.get("overwrite"):
            return
        if cleaned.get("edit_token") == edit_token(self.instance):
            return
        latest = self.instance.history.order_by("-history_date").first()
        saver = getattr(latest, "history_user", None)
        when = timezone.localtime(self.instance.updated_at).strftime("%d %b %Y at %H:%M:%S")
        if saver is not None and saver == self.request.user:
            raise ValidationError(
                f"You changed this story on {when}, after this form was loaded (Save pressed "
                "twice, or the story open in another tab). That save was kept; nothing was "
                "saved now, and this text is still here. Open the story again to carry on "
                "from your last save, or tick “Save my version over the newer one” and save.",
                code="stale",
            )
        name = display_name(saver, "Someone")
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
SEO = ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]})
DIFF_FIELDS = [("title", "Headline"), ("dek", "Standfirst"), ("body", "Body")]
RESTORED_FIELDS = [
    "title", "dek", "body", "seo_title", "seo_description", "verdict", "watch_if",
    "skip_if", "rating",
]  # fmt: skip


class ArticleAdminBase(ForgivingDates, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/change_form.html"
    object_history_template = "admin/articles/history.html"
    list_display = ["title", "state", "publish_at", "byline_names", "show_titles", "last_saved"]
    list_filter = ["status", FactsChangedFilter, "shows", "writers"]
    search_fields = ["title", "dek", "body", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "show", "shows", "people", "related", "season", "status_change", "hero",
    ]  # fmt: skip
    inlines = [BylineInline]
    list_per_page = 50
    save_on_top = True
    fieldsets = [STORY, PUBLISHING, COVERAGE, HERO, SEO]
    formfield_overrides = {TaggableManager: {"form_class": TagListField}}
    actions = [
        "submit_for_review", "publish_now", "schedule", "unpublish", "send_back",
        "mark_as_updated", "mark_facts_checked",
    ]  # fmt: skip

    class Media:
        css = {"all": ["admin/newsroom-editor.css"]}
        js = ["admin/newsroom-editor.js"]

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
        return type(form.__name__, (form,), {"request": request, "facts_seen": seen})

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
        if not change:
            obj.created_by = request.user
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
        super().save_related(request, form, formsets, change)
        form.instance.include_main_show()
        if form.outcome:
            self.message_user(request, form.outcome.message, messages.SUCCESS)
            for warning in form.outcome.warnings:
                self.message_user(request, warning, messages.WARNING)

    def response_add(self, request, obj, post_url_continue=None):
        if "_workflow" in request.POST:  # stay on the story after a workflow button
            return redirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
            )
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_workflow" in request.POST:
            return redirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or Article(kind=getattr(self.model, "KIND", Article.Kind.NEWS))
        can_change = obj is None or self.has_change_permission(request, obj)
        may_preview = obj is not None and services.can_see(request.user, obj)
        context.update(
            workflow_actions=[
                (action, Action.LABELS[action])
                for action in services.available_actions(request.user, article)
            ]
            if can_change
            else [],
            editor_view=services.is_editor(request.user),
            preview_url=reverse("articles:preview", args=[obj.pk]) if may_preview else "",
            share_url=request.build_absolute_uri(previews.share_url(obj)) if may_preview else "",
            markdown_preview_url=reverse("admin:articles_markdown_preview"),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Bulk actions -----------------------------------------------------------------
    def _bulk(self, request, queryset, action, when=None, note=""):
        done, refused = 0, []
        for article in queryset:
            try:
                with transaction.atomic():
                    # The story as it is now, locked until saved: a save made meanwhile
                    # from the story form is kept, never written over with the list's copy.
                    current = self.model.objects.select_for_update().get(pk=article.pk)
                    services.apply(
                        article=current, user=request.user, action=action, when=when, note=note
                    )
                done += 1
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

    # Revisions: history, compare, restore ----------------------------------------------
    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<int:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            path(
                "<int:object_id>/history/<int:history_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name=f"{prefix}_restore",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, object_id):
        """A story whose revisions the user may read: earlier versions can hold what was
        cut before publication, so editors read any story's, writers their own stories'."""
        article = self.get_object(request, str(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such story.")
        if not services.can_see(request.user, article):
            raise Http404("No such story.")
        return article

    def history_view(self, request, object_id, extra_context=None):
        article = self._article_or_404(request, object_id)
        revisions = article.history.select_related("history_user").order_by("-history_date")
        return TemplateResponse(
            request,
            self.object_history_template,
            {
                **self.admin_site.each_context(request),
                "title": f"Revisions of “{article.title}”",
                "opts": self.opts,
                "object": article,
                "revisions": revisions,
                "can_restore": self.has_change_permission(request, article),
            },
        )

    def compare_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        history = article.history.select_related("history_user")
        try:
            older = history.get(history_id=int(request.GET.get("a", "")))
            newer = history.get(history_id=int(request.GET.get("b", "")))
        except (ValueError, article.history.model.DoesNotExist) as error:
            raise Http404("Pick two revisions of this story to compare.") from error
        if older.history_date > newer.history_date:
            older, newer = newer, older
        differ = difflib.HtmlDiff(wrapcolumn=60)
        diffs = [
            (
                label,
                getattr(older, name) != getattr(newer, name),
                differ.make_table(
                    (getattr(older, name) or "").splitlines(),
                    (getattr(newer, name) or "").splitlines(),
                    fromdesc=escape(_describe(older)),  # HtmlDiff writes these as HTML
                    todesc=escape(_describe(newer)),
                    context=name == "body",
                    numlines=3,
                ),
            )
            for name, label in DIFF_FIELDS
        ]
        return TemplateResponse(
            request,
            "admin/articles/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Compare revisions of “{article.title}”",
                "opts": self.opts,
                "object": article,
                "older": older,
                "newer": newer,
                "diffs": diffs,
            },
        )

    def restore_view(self, request, object_id, history_id):
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.history, history_id=history_id)
        for name in RESTORED_FIELDS:
            setattr(article, name, getattr(revision, name))
        try:
            article.full_clean()  # the same checks as a save from the form, publishing's too
        except ValidationError as error:
            self.message_user(
                request,
                f"Not restored: {' '.join(error.messages)} The story is unchanged.",
                messages.ERROR,
            )
            return redirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[article.pk]
                )
            )
        article._change_reason = f"Restored the revision of {_describe(revision)}"
        article.save()
        self.message_user(
            request,
            f"Restored the text of {_describe(revision)}. Status and publish time are unchanged.",
        )
        return redirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[article.pk])
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


def display_name(user, default):
    return (user.get_full_name() or user.get_username()) if user else default


def _describe(revision):
    name = display_name(revision.history_user, "unknown")
    return f"{timezone.localtime(revision.history_date):%d %b %Y %H:%M:%S} by {name}"


class ScheduleForm(forms.Form):
    when = forms.SplitDateTimeField(label="Publish at", widget=AdminSplitDateTime)


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="Note to the writer", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Article)
class ArticleAdmin(ArticleAdminBase):
    """Every story in one list; each opens in the admin of its kind."""

    list_display = ["title", "kind", "state", "publish_at", "byline_names", "show_titles"]
    list_filter = ["status", "kind", FactsChangedFilter, "shows", "writers"]

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


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["name", "slug"]
    search_fields = ["name"]
    readonly_fields = ["slug"]
    fields = ["name", "slug"]
