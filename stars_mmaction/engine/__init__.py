from .checkpoint_fallback import (  # noqa: F401
    CheckpointFileError, check_config_checkpoints, check_resume_model,
    find_resume_checkpoint, load_checkpoint_file, load_training_checkpoint,
    select_resume_checkpoint)
from .config_variables import (  # noqa: F401
    find_unfed_variables, format_unfed_variables, variable_places)
from .hooks import *  # noqa: F401,F403
from .optimizers import *  # noqa: F401,F403
from .runner import *  # noqa: F401,F403
