"""A tiny NNCLR recognizer with a filled memory bank."""
from typing import Callable

import pytest
import torch
from mmaction.registry import MODELS


@pytest.fixture
def nnclr_recognizer(tiny_encoder_cfg) -> Callable:
    """Build ``STARSRecognizer`` + ``NNCLRHead`` (32-d, bank of 16) whose
    bank already holds earlier projections, as during training."""

    def build(loss_form: str = 'reference'):
        model = MODELS.build(
            dict(
                type='STARSRecognizer',
                backbone=tiny_encoder_cfg,
                contrastive_head=dict(
                    type='NNCLRHead', in_channels=32, hidden_channels=64,
                    bank_size=16, loss_form=loss_form)))
        model.init_weights()
        model.contrastive_head.memory_bank.enqueue(
            torch.nn.functional.normalize(torch.randn(16, 32), dim=1),
            torch.arange(100, 116))
        return model

    return build
