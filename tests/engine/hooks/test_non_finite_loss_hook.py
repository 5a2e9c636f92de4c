"""NonFiniteLossHook stops at the bad iteration before the optimizer step."""
from pathlib import Path

import pytest
import torch
from mmaction.registry import HOOKS
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from stars_mmaction.engine import NonFiniteLossError, NonFiniteLossHook

ROOT = Path(__file__).parents[3]


@HOOKS.register_module(force=True)
class PoisonInputsHook(Hook):
    """Set the inputs of iteration ``at`` (1-based) to NaN."""

    priority = 'LOW'

    def __init__(self, at):
        self.at = at

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter + 1 == self.at:
            for inputs in data_batch['inputs']:
                inputs.fill_(float('nan'))


def make_runner(tmp_path, ann_file, hooks):
    cfg = Config.fromfile(
        str(ROOT / 'configs/stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py'))
    cfg.model.backbone.update(embed_dims=32,
                              depth=2,
                              num_heads=2,
                              num_frames=16)
    cfg.model.mamp_head.decoder.update(embed_dims=32,
                                       decoder_embed_dims=32,
                                       num_heads=2,
                                       num_frames=16)
    cfg.param_scheduler = []
    cfg.train_dataloader.update(batch_size=8,
                                num_workers=0,
                                persistent_workers=False)
    cfg.train_dataloader.dataset.ann_file = ann_file
    cfg.train_dataloader.dataset.pipeline[1].update(clip_len=16, min_crop=8)
    cfg.train_cfg.max_epochs = 1
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook',
                                        interval=1,
                                        by_epoch=False,
                                        max_keep_ckpts=5)
    cfg.custom_hooks = hooks
    cfg.work_dir = str(tmp_path)
    cfg.randomness = dict(seed=0)
    return Runner.from_cfg(cfg)


def test_nan_loss_stops_before_the_step_and_keeps_the_checkpoint(
        tmp_path, demo_ann_file):
    runner = make_runner(
        tmp_path, demo_ann_file,
        [dict(type='NonFiniteLossHook'),
         dict(type='PoisonInputsHook', at=3)])
    with pytest.raises(NonFiniteLossError) as err:
        runner.train()
    msg = str(err.value)
    assert 'non-finite loss at iteration 3 (epoch 1, batch 3)' in msg
    assert 'loss_mamp=nan' in msg
    assert f'last checkpoint {tmp_path / "iter_2.pth"} is untouched' in msg
    # frame_dir of the samples, all 8 of the batch
    assert 'batch samples (rank 0, all 8): S' in msg
    assert not (tmp_path / 'iter_3.pth').exists()
    # the bad step never reached the optimizer: weights equal iteration 2
    saved = torch.load(tmp_path / 'iter_2.pth',
                       map_location='cpu',
                       weights_only=False)
    current = runner.model.state_dict()
    for key, value in saved['state_dict'].items():
        assert torch.equal(current[key], value), key
    assert 'parse_losses' in runner.model.__dict__  # still installed


def test_finite_losses_pass_and_lists_of_terms_are_checked():
    hook = NonFiniteLossHook()

    class FakeRunner:
        iter, epoch, work_dir = 6, 1, '/nonexistent'

    hook.check(FakeRunner(),
               dict(loss_a=torch.tensor(1.), acc=torch.tensor(
                   float('nan'))))  # non-loss terms are diagnostics: ignored
    with pytest.raises(NonFiniteLossError,
                       match=r'iteration 7 \(epoch 2, batch 0\): '
                       r'loss_b=inf\n  training stopped before the optimizer '
                       'step; no checkpoint was saved yet'):
        hook.check(
            FakeRunner(),
            dict(loss_a=torch.tensor(1.),
                 loss_b=[torch.tensor(1.),
                         torch.tensor(float('inf'))]))


def test_a_cut_list_of_samples_says_so():
    from mmaction.structures import ActionDataSample
    hook = NonFiniteLossHook(max_samples=3)
    samples = [ActionDataSample(metainfo=dict(frame_dir=f'S{i:03d}'))
               for i in range(16)]
    hook.before_train_iter(None, 4, dict(data_samples=samples))

    class FakeRunner:
        iter, epoch, work_dir = 4, 0, '/nonexistent'

    with pytest.raises(NonFiniteLossError,
                       match=r'batch samples \(rank 0, first 3 of 16 '
                       r'\(max_samples\)\): S000, S001, S002\n'):
        hook.check(FakeRunner(), dict(loss_a=torch.tensor(float('nan'))))
