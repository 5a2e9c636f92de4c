from .koleo_loss import KoLeoLoss, chunked_koleo
from .sinkhorn_knopp import sinkhorn_knopp

__all__ = ['KoLeoLoss', 'chunked_koleo', 'sinkhorn_knopp']
