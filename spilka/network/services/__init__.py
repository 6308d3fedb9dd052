"""Writes to the network directory, split by concept. Each validates, writes and records an
audit row.

Everything is re-exported here so callers write ``from spilka.network import services`` and
``services.person_create(...)``; modules inside this package import each other directly.
"""

from spilka.network.services.consents import *  # noqa: F403
from spilka.network.services.organisations import *  # noqa: F403
from spilka.network.services.people import *  # noqa: F403
from spilka.network.services.relationships import *  # noqa: F403
from spilka.network.services.role_grants import *  # noqa: F403
from spilka.network.services.working_groups import *  # noqa: F403
