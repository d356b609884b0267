from django import forms

from .models import Network, StatusChange


class ShowFilterForm(forms.Form):
    """The show index's filters. A value that is not a real choice is ignored, not fatal."""

    network = forms.ModelChoiceField(
        Network.objects.all(), to_field_name="slug", required=False, empty_label="Any network"
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *StatusChange.Status.choices], required=False
    )

    def filters(self):
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def apply(self, shows):
        """``shows`` (annotated with_current_status) narrowed to the valid choices."""
        chosen = self.filters()
        if "network" in chosen:
            shows = shows.filter(network=chosen["network"])
        if "status" in chosen:
            shows = shows.filter(current_status=chosen["status"])
        return shows
