from .koleo_loss import KoLeoLoss
from .sinkhorn_knopp import sinkhorn_knopp

__all__ = ['KoLeoLoss', 'sinkhorn_knopp']
