"""Who may see or change campaigns and their actions: one helper per resource.

Split by concept; everything is re-exported here so callers write
``from spilka.campaigns import access`` and ``access.petition_get_for_user(...)``.
"""

from spilka.campaigns.access.campaigns import *  # noqa: F403
from spilka.campaigns.access.legislation import *  # noqa: F403
from spilka.campaigns.access.resolutions import *  # noqa: F403
from spilka.campaigns.access.statements import *  # noqa: F403
