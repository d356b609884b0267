"""Forms of the editors' desk that everything else builds on."""

from django import forms

from .text import clean_text


class CleanTextModelForm(forms.ModelForm):
    """Text typed into the desk is cleaned before it is validated, exactly as saving
    would clean it (people.text): so a length limit, a required field or a unique name
    is checked against what will be stored. Otherwise a name pasted in decomposed form
    ("Cafe" + a combining accent) would pass the form as new and then collide with
    "Café" in the database, and a headline that grows in Unicode NFC would pass the
    form's length check and fail the model's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        data = self.data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if isinstance(field, forms.CharField) and key in data:
                multiline = isinstance(field.widget, forms.Textarea)
                data.setlist(key, [clean_text(v, multiline=multiline) for v in data.getlist(key)])
        self.data = data
