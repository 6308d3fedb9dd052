"""Reads for campaign pages, split by concept and re-exported here."""

from spilka.campaigns.selectors.campaigns import *  # noqa: F403
from spilka.campaigns.selectors.resolutions import *  # noqa: F403
from spilka.campaigns.selectors.statements import *  # noqa: F403
