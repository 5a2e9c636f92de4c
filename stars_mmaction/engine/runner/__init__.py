from .checkpoint_keys import (CheckpointMismatchError, check_checkpoint_keys,
                              checkpoint_state_dict)
from .feature_test_loop import (CheckpointKeysHook, FeatureTestLoop,
                                KNNTestLoop)
from .strict_pretrained_init import StrictPretrainedInit

__all__ = [
    'CheckpointKeysHook', 'CheckpointMismatchError', 'FeatureTestLoop',
    'KNNTestLoop', 'StrictPretrainedInit', 'check_checkpoint_keys',
    'checkpoint_state_dict'
]
