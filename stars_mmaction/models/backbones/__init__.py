from .mamp_encoder import MAMPEncoder

__all__ = ['MAMPEncoder']
