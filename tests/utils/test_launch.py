import pytest
import torch
from mmengine.config import Config

from stars_mmaction.utils import enable_amp, select_dist_backend


def test_gloo_replaces_nccl_without_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    cfg = select_dist_backend(Config(dict(env_cfg=dict(
        dist_cfg=dict(backend='nccl')))))
    assert cfg.env_cfg.dist_cfg.backend == 'gloo'
    cfg = select_dist_backend(Config(dict(env_cfg=dict(
        dist_cfg=dict(backend='mpi')))))
    assert cfg.env_cfg.dist_cfg.backend == 'mpi'


def test_nccl_kept_on_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = select_dist_backend(Config(dict(env_cfg=dict(
        dist_cfg=dict(backend='nccl')))))
    assert cfg.env_cfg.dist_cfg.backend == 'nccl'


def test_amp_on_cpu_is_bf16(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    cfg = enable_amp(Config(dict(optim_wrapper=dict(
        type='ParamwiseClipOptimWrapper', optimizer=dict(type='AdamW')))))
    assert cfg.optim_wrapper.type == 'BF16AutocastOptimWrapper'
    with pytest.raises(ValueError, match='float16'):
        enable_amp(Config(dict(optim_wrapper=dict(type='OptimWrapper'))),
                   'float16')


def test_amp_on_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = enable_amp(Config(dict(optim_wrapper=dict(type='OptimWrapper'))))
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.loss_scale == 'dynamic'
    per_param = Config(dict(optim_wrapper=dict(
        type='ParamwiseClipOptimWrapper',
        clip_grad=dict(max_norm=3, per_parameter=True))))
    assert enable_amp(per_param).optim_wrapper.type == \
        'BF16AutocastOptimWrapper'
    with pytest.raises(ValueError, match="'MyWrapper'"):
        enable_amp(Config(dict(optim_wrapper=dict(type='MyWrapper'))))
