from . import checkpoint, hooks, optimizers, runner
from .checkpoint import *  # noqa: F401,F403
from .hooks import *  # noqa: F401,F403
from .optimizers import *  # noqa: F401,F403
from .runner import *  # noqa: F401,F403

__all__ = (checkpoint.__all__ + hooks.__all__ + optimizers.__all__ +
           runner.__all__)
