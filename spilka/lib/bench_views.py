"""A bare Django view for bench/sign.py to compare against (only when SPILKA_BENCH_ENDPOINTS)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")
