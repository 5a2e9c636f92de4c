from .mamp_decoder import MAMPDecoder

__all__ = ['MAMPDecoder']
