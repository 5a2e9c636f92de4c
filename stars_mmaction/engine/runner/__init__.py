from .feature_test_loop import FeatureTestLoop, KNNTestLoop
from .stars_runner import STARSRunner

__all__ = ['FeatureTestLoop', 'KNNTestLoop', 'STARSRunner']
