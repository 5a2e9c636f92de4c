from .dino_head import DINOHead
from .finetune_head import FinetuneHead
from .linear_head import BNLinearHead
from .mamp_head import MAMPHead
from .moco_head import MoCoHead
from .nnclr_head import NNCLRHead

__all__ = [
    'BNLinearHead', 'DINOHead', 'FinetuneHead', 'MAMPHead', 'MoCoHead',
    'NNCLRHead'
]
