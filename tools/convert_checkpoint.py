"""Convert a published MAMP or STARS checkpoint into an mmengine checkpoint.

MAMP pre-training checkpoints (``{'model': state_dict, ...}``, keys
``joints_embed.*``, ``blocks.N.*``, ``decoder_*``, ``mask_token``) become a
``STARSRecognizer`` with ``backbone.*`` and ``mamp_head.decoder.*``; STARS
stage-2 checkpoints (flat, keys ``encoder_student.*``, ``queue``,
``queue_ptr``, ``queue_id``) become ``backbone.*`` and ``contrastive_head.*``.
The converted weights are checked against a model built from ``--config``:
every key present, none unknown, every shape equal.

Example::

    python tools/convert_checkpoint.py mamp_ntu60_xsub.pth \
        checkpoints/mamp_ntu60_xsub_mmengine.pth --kind mamp
"""
import argparse
import os
import os.path as osp
import sys
from typing import Dict, Mapping, Optional, Sequence

import torch
from mmaction.registry import MODELS
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

import stars_mmaction  # noqa: F401  (registers the plugin's modules)
from stars_mmaction.engine.checkpoint import (CheckpointFileError,
                                              set_trusted_checkpoints,
                                              torch_load_safely)
from stars_mmaction.engine.checkpoint.reference_mapping import (
    REFERENCE_KINDS, CheckpointMappingError, check_against_model, detect_kind,
    reference_names_of, reference_to_ours, unwrap_reference_checkpoint)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIGS = dict(
    mamp=osp.join(ROOT, 'configs', 'stars',
                  'mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py'),
    stars=osp.join(ROOT, 'configs', 'stars',
                   'stars_4xb32-10e_ntu60-xsub-keypoint-3d.py'))


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert a published MAMP pre-training or STARS stage-2 '
        'checkpoint into an mmengine checkpoint of STARSRecognizer')
    parser.add_argument('src', help='the published checkpoint (.pth)')
    parser.add_argument('dst', help='where to write the converted checkpoint')
    parser.add_argument(
        '--kind',
        choices=('auto', ) + REFERENCE_KINDS,
        default='auto',
        help='checkpoint kind; auto tells them apart by their keys')
    parser.add_argument(
        '--config',
        help='config whose model the weights must fit; defaults to the '
        'NTU-60 xsub stage-1 config for MAMP and the stage-2 config for '
        'STARS (use the NTU-120 / PKU-MMD config for those checkpoints: '
        'their decoders have 5 blocks)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of --config, e.g. '
        'model.backbone.depth=8')
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='load SRC with full unpickling (weights_only=False, which can '
        'run code stored in the file) when it holds objects other than '
        'tensors, numpy values and argparse arguments; only for files you '
        'trust')
    return parser.parse_args(argv)


def load_reference(path: str, unsafe_load: bool = False) -> Mapping:
    """Load a published checkpoint on the CPU.

    Args:
        path (str): The checkpoint file.
        unsafe_load (bool): Allow full unpickling of this file if it needs
            it (logged). Defaults to False: tensors, numpy values and
            ``argparse.Namespace`` (MAMP saves its arguments) only.

    Returns:
        Mapping: The loaded checkpoint.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint {path} does not exist')
    set_trusted_checkpoints([path] if unsafe_load else [])
    try:
        return torch_load_safely(path, map_location='cpu',
                                 extra_globals=[argparse.Namespace])
    except CheckpointFileError as err:
        raise CheckpointMappingError(
            f'{err} (tools/convert_checkpoint.py: pass --unsafe-load to '
            'trust it)') from None
    except Exception as err:  # torch raises several types for bad files
        raise CheckpointMappingError(
            f'{path} is not a readable checkpoint ({type(err).__name__}: '
            f'{str(err).splitlines()[0][:200]})') from err
    finally:
        set_trusted_checkpoints([])


def build_target_state_dict(
        config: str,
        cfg_options: Optional[Dict] = None) -> Dict[str, torch.Tensor]:
    """The ``state_dict`` of the model of ``config`` (random weights)."""
    if not osp.isfile(config):
        raise FileNotFoundError(
            f'config {config} does not exist; name the target config with '
            '--config')
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    return MODELS.build(cfg.model).state_dict()


def convert(src: str,
            dst: str,
            kind: str = 'auto',
            config: Optional[str] = None,
            cfg_options: Optional[Dict] = None,
            unsafe_load: bool = False) -> Dict:
    """Convert ``src`` to ``dst`` and check it against ``config``'s model.

    Args:
        src (str): The published checkpoint.
        dst (str): The output mmengine checkpoint.
        kind (str): ``'auto'``, ``'mamp'`` or ``'stars'``.
            Defaults to ``'auto'``.
        config (str, optional): Target config. Defaults to the kind's
            default in ``DEFAULT_CONFIGS``.
        cfg_options (dict, optional): Overrides of the config.
            Defaults to None.
        unsafe_load (bool): See :func:`load_reference`. Defaults to False.

    Returns:
        dict: The ``meta`` written with the weights.

    Raises:
        CheckpointMappingError: On unknown, missing or wrongly shaped keys.
    """
    reference = unwrap_reference_checkpoint(load_reference(src, unsafe_load))
    if kind == 'auto':
        kind = detect_kind(reference)
    converted = reference_to_ours(reference, kind)
    config = config or DEFAULT_CONFIGS[kind]
    target = build_target_state_dict(config, cfg_options)
    check_against_model(converted, target,
                        reference_names_of(reference, kind))
    meta = dict(
        converted_from=osp.basename(src),
        reference_kind=kind,
        target_config=osp.relpath(config, ROOT)
        if osp.abspath(config).startswith(ROOT) else config)
    if osp.dirname(dst):
        os.makedirs(osp.dirname(dst), exist_ok=True)
    torch.save(dict(state_dict=converted, meta=meta), dst)
    return meta


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    try:
        meta = convert(args.src, args.dst, args.kind, args.config,
                       args.cfg_options, args.unsafe_load)
    except (CheckpointMappingError, FileNotFoundError) as err:
        sys.exit(f'error: {err}')
    print(f'converted the {meta["reference_kind"].upper()} checkpoint '
          f'{args.src} -> {args.dst} (checked against '
          f'{meta["target_config"]})')


if __name__ == '__main__':
    main()
