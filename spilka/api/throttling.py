"""Rate limits: per key (``SPILKA_API_KEY_RATE``) and, for requests without a key, per
hashed client address (``SPILKA_API_ANON_RATE``). Over the limit: 429 with Retry-After."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from spilka.api.models import ApiKey
from spilka.lib.ratelimit import ip_hash


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"

    def get_rate(self) -> str:
        # Read at each request, so settings overrides (tests, benchmarks) apply.
        return settings.SPILKA_API_KEY_RATE

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiAnonRateThrottle(SimpleRateThrottle):
    scope = "api_anon"

    def get_rate(self) -> str:
        return settings.SPILKA_API_ANON_RATE

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": ip_hash(request)}
