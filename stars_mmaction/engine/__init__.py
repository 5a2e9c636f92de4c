from . import checkpoint, hooks, optimizers, runner
from .checkpoint import *  # noqa: F401,F403
from .config_variables import (  # noqa: F401
    find_unfed_variables, format_unfed_variables, variable_places)
from .hooks import *  # noqa: F401,F403
from .optimizers import *  # noqa: F401,F403
from .runner import *  # noqa: F401,F403

__all__ = (checkpoint.__all__ + hooks.__all__ + optimizers.__all__ +
           runner.__all__)
