"""Who is asking: the client's address, believing a proxy's headers only when there is one.

With TRUSTED_PROXIES = N, the last N entries of X-Forwarded-For were added by our own
proxies, and the entry before them is the client. Anything further left came from the
client itself and proves nothing. With no proxy, the address is the connection's own.
"""

from django.conf import settings


def client_ip(request):
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
