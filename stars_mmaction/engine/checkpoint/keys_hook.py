"""Check every checkpoint the runner loads against one sub-module."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from .keys import check_checkpoint_keys, checkpoint_state_dict


class CheckpointKeysHook(Hook):
    """Check every checkpoint the runner loads against a sub-module.

    Args:
        prefix (str): Name of the sub-module followed by a dot.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.checked = False

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Raise unless ``checkpoint`` holds exactly the sub-module's keys.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The loaded checkpoint.
        """
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        module = model.get_submodule(self.prefix.rstrip('.'))
        check_checkpoint_keys(
            module.state_dict(),
            checkpoint_state_dict(checkpoint),
            self.prefix,
            source=f"checkpoint {getattr(runner, '_load_from', '')}")
        self.checked = True
