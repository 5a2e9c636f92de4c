from .stars_recognizer import STARSRecognizer

__all__ = ['STARSRecognizer']
