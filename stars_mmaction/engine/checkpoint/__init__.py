"""Everything about checkpoint files, in one place.

- :mod:`.safe_load`: ``torch.load(weights_only=True)`` with the allow-list,
  and the per-file opt-in to full unpickling;
- :mod:`.reader`: each file read once (kept between a check and mmengine's
  load), errors that name the file; registered as mmengine's loader for
  local paths when this package is imported;
- :mod:`.keys`, :mod:`.keys_hook`, :mod:`.strict_pretrained`: key checks;
- :mod:`.resume`, :mod:`.resume_lr`: what ``--resume`` continues from, and
  at which learning rate;
- :mod:`.atomic_save`: checkpoints written atomically;
- :mod:`.run_checks`: the checks ``RunLifecycleHook`` runs;
- :mod:`.reference_mapping`: the published MAMP / STARS key names.
"""
from .atomic_save import (AtomicLocalBackend, CheckpointSaveError,
                          write_atomically)
from .keys import (CheckpointMismatchError, check_checkpoint_keys,
                   checkpoint_state_dict)
from .keys_hook import CheckpointKeysHook
from .reader import (forget_checkpoints, keep_checkpoint,
                     load_checkpoint_file, load_from_local_safely,
                     read_checkpoint, register_safe_local_loader)
from .reference_mapping import (CheckpointMappingError, ours_to_reference,
                                reference_to_ours)
from .resume import (find_resume_checkpoint, load_training_checkpoint,
                     resume_candidates)
from .resume_lr import (apply_configured_lr, configured_param_groups,
                        log_configured_lr)
from .run_checks import (check_config_checkpoints, check_resumed_keys,
                         check_tested_keys, init_cfg_checkpoints,
                         select_resume_checkpoint, use_atomic_saves)
from .safe_load import (ALLOWED_GLOBALS, CheckpointFileError,
                        UnsafeCheckpointError, is_trusted,
                        set_trusted_checkpoints, torch_load_safely,
                        unsafe_globals)
from .strict_pretrained import StrictPretrainedInit

# Importing the plugin makes every local checkpoint load safe.
register_safe_local_loader()

__all__ = [
    'ALLOWED_GLOBALS', 'AtomicLocalBackend', 'CheckpointFileError',
    'CheckpointMappingError', 'ours_to_reference', 'reference_to_ours',
    'CheckpointKeysHook', 'CheckpointMismatchError', 'CheckpointSaveError',
    'StrictPretrainedInit', 'UnsafeCheckpointError', 'apply_configured_lr',
    'check_checkpoint_keys', 'check_config_checkpoints',
    'check_resumed_keys', 'check_tested_keys', 'checkpoint_state_dict',
    'configured_param_groups', 'find_resume_checkpoint',
    'forget_checkpoints', 'init_cfg_checkpoints', 'is_trusted',
    'keep_checkpoint', 'load_checkpoint_file', 'load_from_local_safely',
    'load_training_checkpoint', 'log_configured_lr', 'read_checkpoint',
    'register_safe_local_loader', 'resume_candidates',
    'select_resume_checkpoint', 'set_trusted_checkpoints',
    'torch_load_safely', 'unsafe_globals', 'use_atomic_saves',
    'write_atomically'
]
