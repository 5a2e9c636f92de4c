from .config_check_hook import ConfigVariablesCheckHook
from .cosine_momentum_hook import CosineMomentumHook, cosine_momentum
from .memory_bank_check_hook import MemoryBankCheckHook
from .milestone_checkpoint_hook import MilestoneCheckpointHook
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .random_state_hook import RandomStateHook
from .run_lifecycle_hook import RunLifecycleHook

__all__ = [
    'ConfigVariablesCheckHook', 'CosineMomentumHook', 'cosine_momentum',
    'MemoryBankCheckHook', 'MilestoneCheckpointHook', 'NonFiniteLossError',
    'NonFiniteLossHook', 'RandomStateHook', 'RunLifecycleHook'
]
