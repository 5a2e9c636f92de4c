from .finetune_head import FinetuneHead
from .linear_head import BNLinearHead
from .mamp_head import MAMPHead
from .nnclr_head import NNCLRHead

__all__ = ['BNLinearHead', 'FinetuneHead', 'MAMPHead', 'NNCLRHead']
