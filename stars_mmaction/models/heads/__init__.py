from .mamp_head import MAMPHead
from .nnclr_head import NNCLRHead

__all__ = ['MAMPHead', 'NNCLRHead']
