"""Two-factor sign-in for the editors' desk: a code from an authenticator app (TOTP).

Built on django-otp's TOTP devices. Any staff member can turn it on from the
desk ("Two-factor sign-in" at the top right); TWO_FACTOR_REQUIRED_FOR_EDITORS
makes it compulsory for everyone who may publish. After the password, someone
with a device on is asked for a code before the desk opens; an editor who must
have one and has not is sent to set it up first.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.services import is_editor

DEVICE_NAME = "Authenticator app"

OK = "ok"
NEEDS_CODE = "needs_code"
NEEDS_SETUP = "needs_setup"


def required_for(user):
    return settings.TWO_FACTOR_REQUIRED_FOR_EDITORS and is_editor(user)


def state(request):
    """Where a signed-in staff member stands: OK, NEEDS_CODE or NEEDS_SETUP."""
    user = request.user
    if user.is_verified():
        return OK
    if user_has_device(user):
        return NEEDS_CODE
    return NEEDS_SETUP if required_for(user) else OK


def next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else default


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        allowed, details = self.device.verify_is_allowed()
        if not allowed:
            wait = details.get("locked_until")
            seconds = max(1, round((wait - timezone.now()).total_seconds())) if wait else 60
            raise forms.ValidationError(
                "Too many wrong codes in a row. Wait %(seconds)d seconds, then type the "
                "newest code.",
                code="throttled",
                params={"seconds": seconds},
            )
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code is not right. Codes change every 30 seconds: try the newest one.",
                code="invalid",
            )
        return code


def verify(site, request):
    """After the password: the code, for someone with two-factor sign-in on."""
    if state(request) != NEEDS_CODE:
        return redirect(next_url(request, reverse("admin:index")))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(next_url(request, reverse("admin:index")))
    return TemplateResponse(
        request,
        "admin/two_factor/verify.html",
        {
            **site.each_context(request),
            "title": "Two-factor sign-in",
            "form": form,
            "next": next_url(request, ""),
        },
    )


def setup(site, request):
    """Turn two-factor sign-in on (scan, then confirm with a code) or off."""
    if state(request) == NEEDS_CODE:
        return redirect(f"{reverse('admin:two_factor_verify')}?next={request.path}")
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed:
        form = CodeForm(request.POST or None, device=confirmed)
        if request.method == "POST" and not required_for(user) and form.is_valid():
            TOTPDevice.objects.filter(user=user).delete()
            messages.success(request, "Two-factor sign-in is off. Your password alone signs in.")
            return redirect("admin:two_factor")
        return _setup_page(site, request, form=form, device=confirmed)

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(
            request, "Two-factor sign-in is on. From now on you will be asked for a code."
        )
        return redirect(next_url(request, reverse("admin:index")))
    return _setup_page(site, request, form=form, device=device)


def _setup_page(site, request, *, form, device):
    qr = segno.make(device.config_url, error="m")
    return TemplateResponse(
        request,
        "admin/two_factor/setup.html",
        {
            **site.each_context(request),
            "title": "Two-factor sign-in",
            "form": form,
            "device": device,
            "qr_code": qr.svg_inline(scale=4, dark="#111", title="QR code to scan"),
            "secret": " ".join(_chunks(_base32(device), 4)),
            "required": required_for(request.user),
            "next": next_url(request, ""),
        },
    )


def _base32(device):
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def _chunks(text, size):
    return [text[i : i + size] for i in range(0, len(text), size)]


def cancel(site, request):
    """Sign out from the code page (the desk's own log out needs a finished sign-in)."""
    logout(request)
    return redirect("admin:login")
