from .config_check_hook import ConfigVariablesCheckHook
from .memory_bank_check_hook import MemoryBankCheckHook
from .milestone_checkpoint_hook import MilestoneCheckpointHook
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .random_state_hook import RandomStateHook

__all__ = [
    'ConfigVariablesCheckHook', 'MemoryBankCheckHook',
    'MilestoneCheckpointHook', 'NonFiniteLossError', 'NonFiniteLossHook',
    'RandomStateHook'
]
