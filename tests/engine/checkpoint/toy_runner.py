"""A seconds-fast Runner (linear model, random vectors) for lifecycle tests."""
import itertools

import torch
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch import nn
from torch.utils.data import Dataset


@MODELS.register_module(force=True)
class ToyLinearModel(BaseModel):
    """``loss = mean(linear(x) ** 2)``."""

    def __init__(self, in_features=4, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.linear = nn.Linear(in_features, 2)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(inputs)
        if mode == 'loss':
            return dict(loss=(out**2).mean())
        return out


@DATASETS.register_module(force=True)
class ToyVectors(Dataset):
    """Eight fixed random vectors."""

    def __init__(self, in_features=4):
        self.data = torch.randn(8, in_features,
                                generator=torch.Generator().manual_seed(0))

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        return dict(inputs=self.data[idx])


_RUNS = itertools.count()


def toy_cfg(work_dir, max_epochs=2, lr=0.1, **overrides):
    """Config of a toy run with the plugin's lifecycle hook."""
    cfg = dict(
        default_scope='mmaction',
        model=dict(type='ToyLinearModel'),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=dict(type='ToyVectors'),
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='default_collate'),
            batch_size=4,
            num_workers=0),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=lr)),
        default_hooks=dict(
            run_lifecycle=dict(type='RunLifecycleHook'),
            checkpoint=dict(type='CheckpointHook', interval=1),
            logger=dict(type='LoggerHook', interval=1)),
        randomness=dict(seed=0),
        env_cfg=dict(dist_cfg=dict(backend='gloo')),
        log_level='WARNING',
        experiment_name=f'toy_{next(_RUNS)}')
    cfg.update(overrides)
    return Config(cfg)


def train_toy(work_dir, **kwargs):
    """Train a toy run; return the runner."""
    runner = Runner.from_cfg(toy_cfg(work_dir, **kwargs))
    runner.train()
    return runner
