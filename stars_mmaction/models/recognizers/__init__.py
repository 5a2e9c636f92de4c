from .momentum_recognizer import MomentumSTARSRecognizer
from .stars_recognizer import STARSRecognizer

__all__ = ['MomentumSTARSRecognizer', 'STARSRecognizer']
