from .memory_bank_check_hook import MemoryBankCheckHook
from .milestone_checkpoint_hook import MilestoneCheckpointHook
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .random_state_hook import RandomStateHook
from .run_lifecycle_hook import RunLifecycleHook

__all__ = [
    'MemoryBankCheckHook', 'MilestoneCheckpointHook', 'NonFiniteLossError',
    'NonFiniteLossHook', 'RandomStateHook', 'RunLifecycleHook'
]
