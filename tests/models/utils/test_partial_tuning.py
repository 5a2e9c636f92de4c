"""Partial tuning happens in the model, before DDP wraps it."""
import os
import socket

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

from stars_mmaction.models.utils.partial_tuning import (freeze_untuned_layers,
                                                        is_layer_tuned,
                                                        num_tuned_blocks)

WORLD = 2
STAGE2 = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'configs',
                      'stars', 'stars_4xb32-10e_ntu60-xsub-keypoint-3d.py')
# depth 4, tune_ratio 0.5, alpha 0.45, lr 1e-3: blocks 2 and 3 train at
# 1e-3 * 0.45^2 and 1e-3 * 0.45, the final norm and the head at 1e-3.
LR_BLOCK2, LR_BLOCK3, LR_TOP = 2.025e-4, 4.5e-4, 1e-3


@pytest.mark.parametrize('depth,ratio,expected', [(8, 0.5, 4), (8, 0.3, 2),
                                                  (8, 0.0625, 1), (4, 0, 0),
                                                  (5, 0.5, 3), (8, 1, 8)])
def test_num_tuned_blocks_rounds_half_up(depth, ratio, expected):
    assert num_tuned_blocks(depth, ratio) == expected


def test_is_layer_tuned_rule():
    # depth 4: layer 0 = embeddings, 1-4 = blocks 0-3, 5 = final norm
    assert [is_layer_tuned(i, 4, 2) for i in range(6)] == \
        [False, False, False, True, True, True]
    assert [is_layer_tuned(i, 4, 0) for i in range(6)] == [False] * 6
    assert [is_layer_tuned(i, 4, 4) for i in range(6)] == [True] * 6


def test_freeze_untuned_layers_names_what_it_froze():
    layers = nn.ModuleList(nn.Linear(2, 2) for _ in range(4))
    frozen = freeze_untuned_layers(list(layers.named_parameters()),
                                   lambda name: int(name.split('.')[0]), 2, 1)
    assert frozen == ['0.weight', '0.bias', '1.weight', '1.bias']
    assert [p.requires_grad for p in layers.parameters()] == \
        [False] * 4 + [True] * 4


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def build_stage2():
    """The stage-2 config's model, optimizer and DDP wrapper, shrunk."""
    from mmengine.config import Config
    from mmengine.model import MMDistributedDataParallel
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import MODELS, init_default_scope

    import stars_mmaction  # noqa: F401
    init_default_scope('mmaction')
    cfg = Config.fromfile(STAGE2)
    cfg.model.backbone.update(embed_dims=16,
                              depth=4,
                              num_heads=2,
                              num_frames=8,
                              num_joints=5,
                              init_cfg=None)
    cfg.model.contrastive_head.update(in_channels=16,
                                      hidden_channels=32,
                                      bank_size=16)
    assert 'find_unused_parameters' not in cfg.model_wrapper_cfg
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    wrapper_cfg = dict(cfg.model_wrapper_cfg)
    wrapper_cfg.pop('type')
    ddp = MMDistributedDataParallel(model, device_ids=None, **wrapper_cfg)
    return model, ddp, build_optim_wrapper(ddp, cfg.optim_wrapper)


def batch(rank, step):
    from mmaction.structures import ActionDataSample
    g = torch.Generator().manual_seed(10 * step + rank)
    inputs = torch.randn(2, 1, 1, 8, 5, 3, generator=g)
    samples = []
    for i in range(2):
        sample = ActionDataSample()
        sample.set_metainfo(dict(sample_idx=100 * step + 2 * rank + i))
        samples.append(sample)
    return dict(inputs=list(inputs), data_samples=samples)


def worker(rank, port, out_dir):
    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=WORLD)
    try:
        model, ddp, optim_wrapper = build_stage2()
        registered = ddp._get_ddp_logging_data()
        for step in range(2):  # a second step fails if DDP waits for grads
            ddp.train_step(batch(rank, step), optim_wrapper)
        torch.save(
            dict(num_tensors=registered['num_parameter_tensors'],
                 size_bytes=registered['total_parameter_size_bytes'],
                 find_unused=registered['find_unused_parameters'],
                 trainable=[(n, p.numel())
                            for n, p in model.named_parameters()
                            if p.requires_grad],
                 frozen=[
                     n for n, p in model.named_parameters()
                     if not p.requires_grad
                 ],
                 lrs={
                     g['param_name']: g['lr']
                     for g in optim_wrapper.optimizer.param_groups
                 },
                 params={
                     n: p.detach().clone()
                     for n, p in model.named_parameters()
                 }), os.path.join(out_dir, f'rank{rank}.pt'))
    finally:
        dist.destroy_process_group()


def test_frozen_layers_are_not_in_ddps_reducer(tmp_path):
    mp.start_processes(worker,
                       args=(free_port(), str(tmp_path)),
                       nprocs=WORLD,
                       join=True,
                       start_method='spawn')
    results = [torch.load(tmp_path / f'rank{r}.pt') for r in range(WORLD)]
    res = results[0]
    trainable = dict(res['trainable'])
    # DDP's reducer holds exactly the trainable tensors, no frozen one
    assert not res['find_unused']
    assert res['num_tensors'] == len(trainable)
    assert res['size_bytes'] == 4 * sum(trainable.values())
    assert {
        'backbone.pos_embed', 'backbone.temp_embed',
        'backbone.joints_embed.proj.weight', 'backbone.blocks.1.mlp.fc2.bias'
    } <= set(res['frozen'])
    assert not any(
        n.startswith(('backbone.blocks.2', 'backbone.blocks.3',
                      'backbone.norm', 'contrastive_head'))
        for n in res['frozen'])
    # the layer-wise learning rates, one group per trainable tensor
    lrs = res['lrs']
    assert set(lrs) == set(trainable)
    assert lrs['backbone.blocks.2.attn.qkv.weight'] == pytest.approx(LR_BLOCK2,
                                                                     rel=1e-12)
    assert lrs['backbone.blocks.3.mlp.fc1.bias'] == pytest.approx(LR_BLOCK3,
                                                                  rel=1e-12)
    for name, lr in lrs.items():
        if name.startswith(('backbone.norm', 'contrastive_head')):
            assert lr == LR_TOP, name
        else:
            assert lr in (pytest.approx(LR_BLOCK2, rel=1e-12),
                          pytest.approx(LR_BLOCK3, rel=1e-12)), name
    # two synchronised steps: the ranks hold the same weights
    for name, value in res['params'].items():
        torch.testing.assert_close(results[1]['params'][name], value)
