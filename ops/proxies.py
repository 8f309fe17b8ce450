"""Who the client is when the site runs behind reverse proxies (settings.TRUSTED_PROXY_COUNT)."""

from django.conf import settings


def client_ip(request):
    """The client's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        # Each trusted proxy appends the address it saw; anything further left is client-made.
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR")
