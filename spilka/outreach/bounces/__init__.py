"""Inbound bounce and complaint webhooks: how mail providers tell Spilka an address failed.

One module per format (``generic``, ``mailgun``, ``postmark``), each turning an
authenticated request into :class:`~spilka.outreach.bounces.events.MailEvent` values;
``views`` is the one endpoint, ``/hooks/mail/<provider>/``; the writes happen in
``spilka.outreach.services.bounces``. Documented in docs/api.md ("Inbound bounce and complaint webhooks").
"""
