"""What the feature metrics keep of each prediction."""
from typing import Dict


def feature_record(data_sample: Dict, metric: str) -> Dict:
    """The pooled feature and the label of one prediction.

    Args:
        data_sample (dict): A model output with ``feature`` and ``gt_label``.
        metric (str): Name of the metric asking, for the error message.

    Returns:
        dict: ``feature`` (float32, CPU) and ``label`` (int).
    """
    if 'feature' not in data_sample:
        raise KeyError(
            f'{metric} needs `feature` in the predictions: use a model whose '
            'predict mode returns the pooled encoder feature, e.g. '
            'STARSRecognizer')
    return dict(feature=data_sample['feature'].float().cpu(),
                label=int(data_sample['gt_label'].item()))
