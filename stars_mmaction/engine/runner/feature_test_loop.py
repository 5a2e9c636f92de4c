"""Test loops of the feature protocols (KNN, few-shot)."""
import logging
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmaction.registry import LOOPS
from mmengine.dist import (broadcast_object_list, collect_results,
                           is_main_process)
from mmengine.evaluator import Evaluator
from mmengine.logging import print_log
from mmengine.runner import TestLoop
from mmengine.runner.amp import autocast
from torch import Tensor
from torch.utils.data import DataLoader

from ..checkpoint import CheckpointKeysHook


@LOOPS.register_module()
class FeatureTestLoop(TestLoop):
    """mmengine's ``TestLoop`` that refuses to evaluate an unloaded encoder.

    mmengine loads ``tools/test.py``'s checkpoint non-strictly, so a
    checkpoint of another model would leave the encoder at random weights.
    This loop checks the loaded checkpoint against ``prefix`` (the encoder)
    and raises a :class:`CheckpointMismatchError` listing the missing and
    unexpected keys; keys of other modules (pre-training heads) are ignored.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader or dict): The evaluated split.
        evaluator (Evaluator or dict or list): Metrics.
        fp16 (bool): Whether to run in fp16. Defaults to False.
        prefix (str): The checked sub-module. Defaults to ``'backbone.'``.
        require_checkpoint (bool): Raise when no checkpoint was loaded
            (set False to evaluate a randomly initialised encoder).
            Defaults to True.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 evaluator: Union[Evaluator, Dict, List],
                 fp16: bool = False,
                 prefix: str = 'backbone.',
                 require_checkpoint: bool = True) -> None:
        super().__init__(runner, dataloader, evaluator, fp16=fp16)
        self.require_checkpoint = require_checkpoint
        self.keys_hook = CheckpointKeysHook(prefix)
        runner.register_hook(self.keys_hook, priority='VERY_HIGH')

    def check_loaded(self) -> None:
        """Raise unless a checkpoint was loaded (when required)."""
        if self.require_checkpoint and not self.keys_hook.checked:
            raise RuntimeError(
                'no checkpoint was loaded into the encoder: pass one, e.g. '
                '`python tools/test.py CONFIG CHECKPOINT`, or set '
                '`test_cfg.require_checkpoint=False` to evaluate random '
                'weights')

    def check_metrics(self) -> None:
        """Let each metric check the test split before any feature is
        extracted (e.g. few-shot shots against the samples per class)."""
        for metric in self.evaluator.metrics:
            if hasattr(metric, 'check_dataset'):
                metric.check_dataset(self.dataloader.dataset)

    def run(self) -> dict:
        """Check the checkpoint and metrics, then run the test split."""
        self.check_loaded()
        self.check_metrics()
        return super().run()


@LOOPS.register_module()
class KNNTestLoop(FeatureTestLoop):
    """Extract the training split's features, then test with a KNN metric.

    The training split (``bank_dataloader``, centre-crop pipeline, no
    shuffle) runs through the model's predict mode on every rank; the
    features are gathered in dataset order on the main rank and given to
    each metric with a ``set_bank`` method (:class:`~stars_mmaction.
    evaluation.KNNMetric`). The test split then runs as in ``TestLoop``.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader or dict): The test split.
        evaluator (Evaluator or dict or list): Metrics.
        bank_dataloader (DataLoader or dict): The training split.
        fp16 (bool): Whether to run in fp16. Defaults to False.
        prefix (str): The checked sub-module. Defaults to ``'backbone.'``.
        require_checkpoint (bool): See :class:`FeatureTestLoop`.
            Defaults to True.
        collect_device (str): ``'cpu'`` or ``'gpu'``, for gathering the bank.
            Defaults to ``'cpu'``.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 evaluator: Union[Evaluator, Dict, List],
                 bank_dataloader: Union[DataLoader, Dict],
                 fp16: bool = False,
                 prefix: str = 'backbone.',
                 require_checkpoint: bool = True,
                 collect_device: str = 'cpu') -> None:
        super().__init__(runner, dataloader, evaluator, fp16, prefix,
                         require_checkpoint)
        if isinstance(bank_dataloader, dict):
            bank_dataloader = runner.build_dataloader(bank_dataloader,
                                                      seed=runner.seed)
        self.bank_dataloader = bank_dataloader
        self.collect_device = collect_device
        if not any(hasattr(m, 'set_bank') for m in self.evaluator.metrics):
            raise ValueError('KNNTestLoop needs a metric with `set_bank`, '
                             'e.g. KNNMetric, in test_evaluator')

    @torch.no_grad()
    def extract_bank(self) -> Optional[Tuple[Tensor, Tensor]]:
        """Features and labels of the training split.

        Returns:
            Tuple[Tensor, Tensor] or None: Features (N, D) and labels (N, )
            on the main rank, None on the others.
        """
        self.runner.model.eval()
        size = len(self.bank_dataloader.dataset)
        if size == 0:
            raise ValueError('the KNN bank split (bank_dataloader) is empty')
        parts = []
        for idx, data_batch in enumerate(self.bank_dataloader):
            with autocast(enabled=self.fp16):
                outputs = self.runner.model.test_step(data_batch)
            for sample in outputs:
                parts.append((sample.feature.float().cpu(),
                              int(sample.gt_label.item())))
            if (idx + 1) % 50 == 0:
                print_log(
                    f'KNN bank: {idx + 1}/{len(self.bank_dataloader)} '
                    'batches',
                    logger='current')
        gathered = collect_results(parts, size, self.collect_device)
        if not is_main_process():
            return None
        feats = torch.stack([f for f, _ in gathered])
        labels = torch.tensor([label for _, label in gathered])
        print_log(
            f'KNN bank: {feats.shape[0]} training features of '
            f'{feats.shape[1]} dims',
            logger='current',
            level=logging.INFO)
        return feats, labels

    def run(self) -> dict:
        """Check the checkpoint, extract the bank, run the test split."""
        self.check_loaded()
        self.check_metrics()
        # k larger than the bank is refused before minutes of extraction.
        for metric in self.evaluator.metrics:
            if hasattr(metric, 'check_bank_size'):
                metric.check_bank_size(len(self.bank_dataloader.dataset))
        bank = self.extract_bank()
        # Bank errors (e.g. k larger than the bank) surface on every rank.
        error = [None]
        if bank is not None:
            for metric in self.evaluator.metrics:
                if hasattr(metric, 'set_bank'):
                    try:
                        metric.set_bank(*bank)
                    except ValueError as err:
                        error = [str(err)]
        broadcast_object_list(error)
        if error[0] is not None:
            raise ValueError(error[0])
        return super().run()
