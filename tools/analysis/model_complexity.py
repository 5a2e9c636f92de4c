"""Parameters and MACs of each stage's model (supplementary Table 11).

Counts with ``mmengine.analysis`` (``parameter_count``, ``FlopAnalyzer``,
whose "flops" are multiply-accumulates) on one training sample of the
config's clip shape (2 persons), and scales the MACs to a training batch
(the paper's Table 11 counts a batch of 32: STARS 606.1 G = 32 samples x 2
encoder passes, the reference running the encoder on both of its identical
views; ours runs it once).

Parameters are reported with and without the positional embeddings
(``pos_embed``, ``temp_embed`` and the decoder's two): the published counts
leave those 4 tensors out.

The masked (stage-1) forward is counted part by part (patch embedding on
all tokens, encoder blocks on the kept tokens, decoder), because tracing the
random masking turns its token count into a tensor.

Example::

    python tools/analysis/model_complexity.py --out work_dirs/complexity.md
"""
import argparse
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.analysis import FlopAnalyzer, parameter_count
from mmengine.analysis.jit_handles import get_shape
from mmengine.config import Config
from mmengine.registry import init_default_scope

import stars_mmaction  # noqa: F401  (registers the plugin's modules)

CONFIG_DIR = osp.join(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))), 'configs', 'stars')
DEFAULT_CONFIGS = [
    osp.join(CONFIG_DIR, 'mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py'),
    osp.join(CONFIG_DIR, 'mamp_4xb32-400e_ntu120-xsub-keypoint-3d.py'),
    osp.join(CONFIG_DIR, 'stars_4xb32-10e_ntu60-xsub-keypoint-3d.py'),
]
# Supplementary Table 11 (MAMP: the 5-block decoder of NTU-120 / PKU-MMD).
PUBLISHED = {
    'mamp_4xb32-400e_ntu120-xsub-keypoint-3d': (10.34, 250.4),
    'stars_4xb32-10e_ntu60-xsub-keypoint-3d': (8.43, 606.1),
}
POSITIONAL = ('pos_embed', 'temp_embed')


def build_model(config: str) -> nn.Module:
    """The config's model with random weights (no checkpoint loading)."""
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model_cfg = cfg.model
    if 'init_cfg' in model_cfg.get('backbone', {}):
        model_cfg.backbone.init_cfg = None
    for head in ('mamp_head', 'contrastive_head'):
        if model_cfg.get(head) and 'init_cfg' in model_cfg[head]:
            model_cfg[head].init_cfg = None
    return MODELS.build(model_cfg)


def count_parameters(model: nn.Module) -> Dict[str, int]:
    """All parameters, and those that are not positional embeddings."""
    total = parameter_count(model)['']
    positional = sum(p.numel() for n, p in model.named_parameters()
                     if n.endswith(POSITIONAL))
    return dict(total=total, without_positional=total - positional)


def sdpa_macs(inputs: list, outputs: list) -> int:
    """MACs of ``scaled_dot_product_attention``: ``q k^T`` and ``a v``."""
    q, k, v = (get_shape(x) for x in inputs[:3])
    batch = 1
    for size in q[:-2]:
        batch *= size
    return batch * q[-2] * k[-2] * (q[-1] + v[-1])


def _macs(module: nn.Module, inputs: tuple,
          count_attention: bool = False) -> int:
    analyzer = FlopAnalyzer(module, inputs)
    if count_attention:
        analyzer.set_op_handle('aten::scaled_dot_product_attention',
                               sdpa_macs)
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    return int(analyzer.total())


class _Call(nn.Module):
    """Expose ``fn(*inputs)`` of ``owner`` as a module for tracing."""

    def __init__(self, owner: nn.Module, fn) -> None:
        super().__init__()
        self.owner = owner
        self.fn = fn

    def forward(self, *inputs):
        return self.fn(*inputs)


def masked_training_macs(model: nn.Module, x: torch.Tensor,
                         count_attention: bool = False) -> int:
    """MACs of the masked-prediction forward, part by part.

    Args:
        model (nn.Module): A ``STARSRecognizer`` with a ``mamp_head``.
        x (Tensor): Clips (N, M, T, V, C).
        count_attention (bool): Count the attention products. Defaults to
            False.

    Returns:
        int: MACs of patch embedding + encoder on kept tokens + decoder.
    """
    backbone = model.backbone
    seqs = x.flatten(0, 1)
    with torch.no_grad():
        kept, _, ids_restore = backbone(x, mask=True)
    embed = _macs(_Call(backbone, backbone.embed_tokens), (seqs, ),
                  count_attention)

    def encode(tokens):
        for block in backbone.blocks:
            tokens = block(tokens)
        return backbone.norm(tokens)

    blocks = _macs(_Call(backbone, encode), (torch.randn_like(kept), ),
                   count_attention)
    t, v = x.shape[2] // model.mamp_head.t_patch_size, x.shape[3]
    decoder = _macs(
        _Call(model.mamp_head,
              lambda k, r: model.mamp_head.decoder(k, r, (t, v))),
        (kept, ids_restore), count_attention)
    return embed + blocks + decoder


def training_macs(model: nn.Module, x: torch.Tensor,
                  count_attention: bool = False) -> int:
    """MACs of one training forward (the loss) of ``x`` (N, clips, ...)."""
    if getattr(model, 'mamp_head', None) is not None:
        if getattr(model, 'contrastive_head', None) is not None:
            raise ValueError('counting MAMP + contrastive models is not '
                             'supported; count each stage separately')
        return masked_training_macs(model, x.flatten(0, 1),
                                    count_attention)
    samples = []
    for i in range(x.shape[0]):
        sample = ActionDataSample()
        sample.set_metainfo(dict(sample_idx=i))
        samples.append(sample)

    def loss(inputs):
        losses = model.loss(inputs, samples)
        return sum(v for k, v in losses.items() if k.startswith('loss'))

    return _macs(_Call(model, loss), (x, ), count_attention)


def complexity(config: str,
               batch_size: int = 32,
               count_attention: bool = False) -> Dict:
    """Parameters and MACs of ``config``'s model.

    Args:
        config (str): A stage-1 or stage-2 config.
        batch_size (int): Training batch the MACs are scaled to.
            Defaults to 32 (Table 11).
        count_attention (bool): Also count the attention products
            (``scaled_dot_product_attention``, which FlopAnalyzer skips by
            default, as Table 11 does). Defaults to False.

    Returns:
        dict: ``params``, ``params_without_positional``,
        ``encoder_macs`` (one sample's unmasked encoder forward),
        ``train_macs`` (one sample's training forward) and
        ``train_macs_batch``.
    """
    model = build_model(config)
    backbone = model.backbone
    # Two samples (BatchNorm in training needs more than one); per-sample
    # numbers divide by 2.
    x = torch.randn(2, 1, 2, backbone.num_frames, backbone.num_joints,
                    backbone.in_channels)
    params = count_parameters(model)
    model.train()
    train = training_macs(model, x, count_attention) / 2
    encoder = _macs(backbone.eval(), (x[:, 0], ), count_attention) / 2
    return dict(
        config=config,
        params=params['total'],
        params_without_positional=params['without_positional'],
        encoder_macs=encoder,
        train_macs=train,
        train_macs_batch=train * batch_size)


def markdown(rows: List[Dict], batch_size: int,
             count_attention: bool = False) -> str:
    """Table of the results next to the published numbers."""
    lines = [
        '| config | params (M) | params w/o pos. emb. (M) | paper params '
        f'(M) | encoder MACs / sample (G) | train MACs / sample (G) | train '
        f'MACs / batch {batch_size} (G) | paper MACs (G) |',
        '|---|---|---|---|---|---|---|---|'
    ]
    for r in rows:
        name = osp.splitext(osp.basename(r['config']))[0]
        paper = PUBLISHED.get(name, (None, None))
        lines.append(
            f"| {name} | {r['params'] / 1e6:.3f} | "
            f"{r['params_without_positional'] / 1e6:.3f} | "
            f"{paper[0] if paper[0] else '–'} | "
            f"{r['encoder_macs'] / 1e9:.2f} | {r['train_macs'] / 1e9:.2f} | "
            f"{r['train_macs_batch'] / 1e9:.1f} | "
            f"{paper[1] if paper[1] else '–'} |")
    lines += [
        '', 'Published counts leave out the 4 positional-embedding tensors. '
        'STARS: the paper counts two encoder passes per sample (the '
        'reference encodes both identical views), i.e. '
        f'{batch_size} x 2 x encoder MACs; ours encodes once.',
        '', 'Attention products (q k^T, a v) are ' +
        ('counted.' if count_attention else 'not counted '
         '(FlopAnalyzer skips scaled_dot_product_attention; Table 11 '
         'matches that convention). Use --count-attention to add them.')
    ]
    return '\n'.join(lines) + '\n'


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Parameters and MACs of stage-1 / stage-2 models')
    parser.add_argument('configs', nargs='*', default=DEFAULT_CONFIGS,
                        help='configs (default: MAMP NTU-60, MAMP NTU-120 '
                        '(5-block decoder), STARS NTU-60)')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument(
        '--count-attention', action='store_true',
        help='also count the attention products (Table 11 does not)')
    parser.add_argument('--out', help='also write the Markdown table here')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> List[Dict]:
    args = parse_args(argv)
    rows = [
        complexity(c, args.batch_size, args.count_attention)
        for c in args.configs
    ]
    table = markdown(rows, args.batch_size, args.count_attention)
    print(table)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(table)
    return rows


if __name__ == '__main__':
    main()
