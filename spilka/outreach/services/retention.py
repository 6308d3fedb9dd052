"""Retention: personal data nobody confirmed or used is removed after a while.

Periods come from settings (env vars the lead wires up), in days:
  SPILKA_RETENTION_UNCONFIRMED_DAYS (30): unconfirmed sign-ups; import files never run
  SPILKA_DATA_REQUEST_LINK_DAYS (7): addresses kept on data-subject requests
  SPILKA_RETENTION_INACTIVE_DAYS (1095): supporters who never consented (or withdrew) and
      did nothing with the organisation for this long are deleted
  SPILKA_BOUNCE_EVENT_DAYS (180): providers' bounce and complaint reports (the supporters'
      statuses they changed stay)
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from spilka.outreach.models import (
    DataRequest,
    ImportStatus,
    InboundMailEvent,
    PendingSignup,
    Supporter,
    SupporterImport,
    SupporterStatus,
)
from spilka.outreach.services.counts import supporter_counts_rebuild


def _days(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, name, default)))


@transaction.atomic
def retention_run(*, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    unconfirmed = now - _days("SPILKA_RETENTION_UNCONFIRMED_DAYS", 30)
    requests = now - _days("SPILKA_DATA_REQUEST_LINK_DAYS", 7)
    inactive = now - _days("SPILKA_RETENTION_INACTIVE_DAYS", 1095)
    done = {}
    done["signups"] = PendingSignup.objects.filter(created_at__lt=unconfirmed).delete()[0]
    done["import_files"] = (
        SupporterImport.objects.filter(created_at__lt=unconfirmed)
        .exclude(content="")
        .exclude(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
        .update(content="", status=ImportStatus.FAILED)
    )
    done["data_requests"] = (
        DataRequest.objects.filter(created_at__lt=requests).exclude(email="").update(email="")
    )
    stale = Supporter.objects.filter(
        status__in=[SupporterStatus.NO_CONSENT, SupporterStatus.UNSUBSCRIBED],
        created_at__lt=inactive,
    ).filter(Q(last_action_at__isnull=True) | Q(last_action_at__lt=inactive))
    # Organisation by organisation, each recounted afterwards (a daily job can afford the
    # count); a supporter of another organisation gone stale meanwhile waits for tomorrow.
    organisation_ids = sorted(stale.order_by().values_list("organisation_id", flat=True).distinct())
    done["inactive_supporters"] = (
        stale.filter(organisation_id__in=organisation_ids).delete()[1].get("outreach.Supporter", 0)
    )
    for organisation_id in organisation_ids:
        supporter_counts_rebuild(organisation_id=organisation_id)
    bounces = now - _days("SPILKA_BOUNCE_EVENT_DAYS", 180)
    done["bounce_reports"] = InboundMailEvent.objects.filter(received_at__lt=bounces).delete()[0]
    return done
