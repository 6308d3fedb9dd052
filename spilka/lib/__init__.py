"""Pieces several Spilka apps share: env settings, translated text, audit log, mail, access."""
