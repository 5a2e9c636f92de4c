"""Stage-2 training drops the last partial batch, as the reference does."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

REPO = osp.dirname(osp.dirname(osp.dirname(__file__)))
STAGE2 = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs/stars/stars*_4xb*.py')))


@pytest.mark.parametrize('path', STAGE2,
                         ids=[osp.basename(p) for p in STAGE2])
def test_stage2_configs_drop_last(path):
    assert Config.fromfile(path).train_dataloader.drop_last is True


def test_built_stage2_dataloader_yields_only_full_batches(demo_ann_file):
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/stars/stars_4xb32-10e_ntu60-xsub-keypoint-3d.py'))
    init_default_scope(cfg.default_scope)
    loader_cfg = cfg.train_dataloader
    loader_cfg.update(batch_size=5, num_workers=0, persistent_workers=False)
    loader_cfg.dataset.update(ann_file=demo_ann_file, num_classes=14)
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    size = len(loader.dataset)
    assert size % 5 != 0  # there is a partial batch to drop
    batches = [len(batch['inputs']) for batch in loader]
    assert batches == [5] * (size // 5)
