"""Test helpers for two-factor authentication: codes as an app shows them, verified clients."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from spilka.accounts import services


def current_step(device: TOTPDevice) -> int:
    """The device's current time step, as django_otp computes it."""
    return (int(time.time()) - device.t0) // device.step + device.drift


def token(device: TOTPDevice, step: int | None = None) -> str:
    """The code an authenticator app shows for ``step`` (default: now)."""
    device.refresh_from_db()
    value = hotp(device.bin_key, current_step(device) if step is None else step, device.digits)
    return f"{value:0{device.digits}d}"


def wrong_token(device: TOTPDevice) -> str:
    """A code that no step inside the device's tolerance accepts."""
    now = current_step(device)
    valid = {token(device, now + offset) for offset in range(-2, 3)}
    candidate = 123456
    while f"{candidate:06d}" in valid:
        candidate = (candidate + 1) % 1_000_000
    return f"{candidate:06d}"


def enrol(user) -> TOTPDevice:
    """A confirmed device for ``user``, set up through the services."""
    device = services.totp_device_start(user=user)
    assert services.totp_device_confirm(device=device, token=token(device))
    device.refresh_from_db()
    return device


def confirmed_device(user) -> TOTPDevice:
    """``user``'s confirmed device, or a new one made directly (no audit row, no codes):
    fixtures that only need a verified session must not change what tests count."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    )


def mark_verified(client: Client, user) -> Client:
    """Sign ``client`` in as ``user`` with a second factor verified in its session, as
    ``django_otp.login`` does after a right code (admins and treasurers need one)."""
    device = confirmed_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def verified_client(user) -> Client:
    """A client signed in as ``user`` with a verified second factor in its session."""
    return mark_verified(Client(), user)
