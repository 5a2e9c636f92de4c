"""The models, optimisers and batches the benchmarks time.

Models and optimisers are built from the NTU-60 configs, so that the
benchmarks time what ``tools/train.py`` trains: stage 1 from
``configs/stars/mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py`` (MAMP), stage 2
from ``configs/stars/stars_4xb32-10e_ntu60-xsub-keypoint-3d.py`` (STARS:
NNCLR head, ``LayerDecayOptimWrapperConstructor`` with ``tune_ratio=0.5``,
per-parameter clipping). The stage-1 checkpoint is not loaded: weights do
not change the cost.

Variants (``variant``, :data:`VARIANTS`):

- ``'ours'``: the model as configured: fused attention and, in stage 2,
  the MLP halves of the tuned blocks recomputed in the backward pass
  (``with_cp=True, cp_scope='mlp'``).
- ``'ours_bf16'``: ours under bf16 autocast, what ``tools/train.py --amp``
  trains with on CPU.
- ``'ours_no_cp'``: ours without activation checkpointing.
- ``'baseline'``: a straightforward implementation of the same model:
  attention written out as ``softmax(q @ k^T) @ v``
  (:func:`with_written_out_attention`), no activation checkpointing.
- ``'reference'`` (stage 2 only): the reference code's stage-2 cost, i.e.
  the baseline with two identical views (the encoder runs twice and the
  symmetric loss has two terms) and a frozen first half that still computes
  gradients (left out of the optimiser, ``requires_grad`` left on).
"""
import os.path as osp
from typing import Callable, Dict, Tuple

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
STAGE1_CONFIG = osp.join(REPO_ROOT, 'configs', 'stars',
                         'mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py')
STAGE2_CONFIG = osp.join(REPO_ROOT, 'configs', 'stars',
                         'stars_4xb32-10e_ntu60-xsub-keypoint-3d.py')
# attention: 'fused' or 'written_out'; with_cp: False turns checkpointing
# off (None keeps the config's); amp: bf16 autocast; reference: two views
# and gradients through the frozen half.
VARIANTS = {
    'ours': dict(attention='fused', with_cp=None),
    'ours_bf16': dict(attention='fused', with_cp=None, amp=True),
    'ours_no_cp': dict(attention='fused', with_cp=False),
    'baseline': dict(attention='written_out', with_cp=False),
    'reference': dict(attention='written_out', with_cp=False, reference=True),
}
NUM_PERSONS = 2
# Merged into ``cfg.model`` (keys the config lacks are skipped): lets the
# smoke tests shrink the models; empty for every measured figure.
MODEL_OVERRIDES: dict = {}


def load_config(path: str, num_frames: int):
    """Load a config, resize the model to ``num_frames``, drop init_cfg.

    Also makes mmaction2 the default registry scope (as the runner does) and
    keeps mmengine's per-parameter initialisation log quiet.
    """
    from mmengine.config import Config
    from mmengine.logging import MMLogger
    from mmengine.registry import DefaultScope
    if not DefaultScope.check_instance_created('stars_benchmarks'):
        DefaultScope.get_instance('stars_benchmarks', scope_name='mmaction')
    if not MMLogger.check_instance_created('stars_benchmarks'):
        MMLogger.get_instance('stars_benchmarks', log_level='WARNING')
    cfg = Config.fromfile(path)
    cfg.model.backbone.num_frames = num_frames
    cfg.model.backbone.pop('init_cfg', None)
    if cfg.model.get('mamp_head'):
        cfg.model.mamp_head.decoder.num_frames = num_frames
    cfg.merge_from_dict(
        {
            f'model.{key}': value
            for key, value in MODEL_OVERRIDES.items()
            if cfg.model.get(key.split('.')[0]) is not None
        },
        allow_list_keys=False)
    return cfg


def check_variant(variant: str) -> dict:
    """The settings of ``variant``; refuses an unknown one."""
    if variant not in VARIANTS:
        raise ValueError(f'variant must be one of {tuple(VARIANTS)}, got '
                         f'{variant!r}')
    return VARIANTS[variant]


def build_model(cfg, variant: str):
    """Build ``cfg.model`` as ``variant`` (:data:`VARIANTS`) has it."""
    import stars_mmaction  # noqa: F401  (registers the plugin)
    from mmaction.registry import MODELS

    from reference_attention import with_written_out_attention
    settings = check_variant(variant)
    if settings['with_cp'] is False:
        cfg.model.backbone.with_cp = False
    model = MODELS.build(cfg.model)
    model.init_weights()
    if settings['attention'] == 'written_out':
        model = with_written_out_attention(model)
    return model.train()


def make_batch(batch: int,
               num_clips: int,
               num_frames: int,
               num_joints: int = 25) -> Tuple:
    """Random clips (B, num_clips, 2, T, V, 3) and their data samples."""
    import torch
    from mmaction.structures import ActionDataSample
    inputs = torch.randn(batch, 1, NUM_PERSONS, num_frames, num_joints, 3)
    inputs = inputs.expand(-1, num_clips, -1, -1, -1, -1).contiguous()
    samples = []
    for i in range(batch):
        sample = ActionDataSample().set_gt_label(i % 60)
        sample.set_metainfo(dict(sample_idx=i))
        samples.append(sample)
    return inputs, samples


def build_training(stage: int, variant: str, batch: int,
                   num_frames: int) -> Dict:
    """Model, optimiser wrapper and batch of one training iteration.

    Args:
        stage (int): 1 (MAMP) or 2 (STARS tuning).
        variant (str): One of :data:`VARIANTS` (``'reference'`` only in
            stage 2).
        batch (int): Samples per iteration.
        num_frames (int): Frames per clip (120 is the reference size).

    Returns:
        dict: ``model``, ``optim_wrapper``, ``inputs``, ``data_samples``.
    """
    from mmengine.optim import build_optim_wrapper
    if stage not in (1, 2):
        raise ValueError(f'stage must be 1 or 2, got {stage}')
    reference = check_variant(variant).get('reference', False)
    if stage == 1 and reference:
        raise ValueError("variant='reference' is a stage-2 variant")
    cfg = load_config(STAGE1_CONFIG if stage == 1 else STAGE2_CONFIG,
                      num_frames)
    model = build_model(cfg, variant)
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    num_clips = 1
    if reference:
        num_clips = 2
        for param in model.backbone.parameters():
            param.requires_grad_(True)
    inputs, samples = make_batch(batch, num_clips, num_frames)
    return dict(model=model,
                optim_wrapper=optim_wrapper,
                inputs=inputs,
                data_samples=samples)


def training_step(stage: int, variant: str, batch: int,
                  num_frames: int) -> Tuple[Callable[[], None], Dict, Dict]:
    """One training iteration of stage 1 or 2, ready to be timed.

    Args:
        stage (int): 1 (MAMP) or 2 (STARS tuning).
        variant (str): One of :data:`VARIANTS` (``'reference'`` only in
            stage 2).
        batch (int): Samples per iteration.
        num_frames (int): Frames per clip (120 is the reference size).

    Returns:
        tuple: The step function, a JSON-able dict describing the set-up,
        and :func:`build_training`'s dict.
    """
    import torch
    built = build_training(stage, variant, batch, num_frames)
    settings = VARIANTS[variant]
    model, optim_wrapper = built['model'], built['optim_wrapper']
    inputs, samples = built['inputs'], built['data_samples']
    trained = sum(p.numel() for group in optim_wrapper.param_groups
                  for p in group['params'])
    with_grad = sum(p.numel() for p in model.parameters() if p.requires_grad)

    def step() -> None:
        # What model.train_step does around the forward pass.
        with optim_wrapper.optim_context(model), torch.autocast(
                'cpu', torch.bfloat16, enabled=settings.get('amp', False)):
            losses = model(inputs, samples, mode='loss')
        loss = sum(v for k, v in losses.items() if k.startswith('loss'))
        optim_wrapper.update_params(loss)
        if settings.get('reference'):
            # The reference never steps the frozen half; drop its gradients.
            model.zero_grad(set_to_none=True)

    setup = dict(stage=stage,
                 variant=variant,
                 with_cp=getattr(model.backbone, 'with_cp', False),
                 amp=settings.get('amp', False),
                 num_clips=inputs.shape[1],
                 num_frames=num_frames,
                 params_trained=trained,
                 params_with_grad=with_grad)
    return step, setup, built


def encoder(variant: str, num_frames: int):
    """The stage-2 encoder alone, every parameter trained, no checkpointing
    (the figure is about the kernels' efficiency)."""
    cfg = load_config(STAGE2_CONFIG, num_frames)
    cfg.model.backbone.with_cp = False
    cfg.model.backbone.tune_ratio = 1.0
    return build_model(cfg, variant).backbone


def feature_model(variant: str, num_frames: int):
    """The stage-2 recognizer in eval mode, for feature extraction."""
    cfg = load_config(STAGE2_CONFIG, num_frames)
    return build_model(cfg, variant).eval()
