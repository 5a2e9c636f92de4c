"""End to end: tools/convert_checkpoint.py on synthetic published checkpoints.

The synthetic checkpoints have the reference's key names, layout and shapes:
they are made from our model by the inverse renaming, with random values.
"""
import argparse
import importlib.util
import os.path as osp

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.config import Config

from stars_mmaction.engine.checkpoint.reference_mapping import ours_to_reference

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
TOOL = osp.join(ROOT, 'tools', 'convert_checkpoint.py')
MAMP_CONFIG = osp.join(ROOT, 'configs', 'stars',
                       'mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py')
DIMS, HEADS, FRAMES, BANK = 32, 2, 16, 12
ENCODER_OPTIONS = {
    'model.backbone.embed_dims': DIMS,
    'model.backbone.depth': 2,
    'model.backbone.num_heads': HEADS,
    'model.backbone.num_frames': FRAMES,
}
MAMP_OPTIONS = dict(
    ENCODER_OPTIONS, **{
        'model.mamp_head.decoder.embed_dims': DIMS,
        'model.mamp_head.decoder.decoder_embed_dims': DIMS,
        'model.mamp_head.decoder.depth': 1,
        'model.mamp_head.decoder.num_heads': HEADS,
        'model.mamp_head.decoder.num_frames': FRAMES,
    })
# The stage-2 model (STARSRecognizer + MAMPEncoder + NNCLRHead), tiny.
STARS_MODEL = dict(
    type='STARSRecognizer',
    backbone=dict(
        type='MAMPEncoder',
        embed_dims=DIMS,
        depth=2,
        num_heads=HEADS,
        num_frames=FRAMES),
    contrastive_head=dict(
        type='NNCLRHead', in_channels=DIMS, hidden_channels=24,
        bank_size=BANK))


def load_tool():
    spec = importlib.util.spec_from_file_location('convert_checkpoint', TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cli_options(options):
    return ['--cfg-options'] + [f'{k}={v}' for k, v in options.items()]


@pytest.fixture
def stars_config(tmp_path):
    path = tmp_path / 'stars_tiny.py'
    path.write_text(f'model = {STARS_MODEL!r}\n')
    return str(path)


def build_model(config, options):
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(options)
    return MODELS.build(cfg.model)


def randomised_state_dict(model):
    """Random values of the right dtype for every entry of the model."""
    out = {}
    for key, value in model.state_dict().items():
        if value.dtype.is_floating_point:
            out[key] = torch.randn_like(value)
        else:
            out[key] = torch.randint_like(value, 0, BANK)
    return out


class NotATensor:
    """An arbitrary pickled object, refused by weights_only loading."""


# --------------------------------------------------------------------------
# A minimal re-implementation of the reference MAMP encoder forward
# (maoyunyao/MAMP, model/transformer.py), with its parameter names: the
# attention is written out as softmax(q k^T * scale) v.
class RefAttention(nn.Module):

    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads)**-0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads,
                                  C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


class RefMLP(nn.Module):

    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class RefBlock(nn.Module):

    def __init__(self, dim, num_heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = RefAttention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = RefMLP(dim, dim * 4)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class RefSkeleEmbed(nn.Module):

    def __init__(self, dim_in, dim_feat, t_patch_size):
        super().__init__()
        self.proj = nn.Conv2d(
            dim_in,
            dim_feat,
            kernel_size=[t_patch_size, 1],
            stride=[t_patch_size, 1])

    def forward(self, x):
        x = torch.einsum('ntsc->ncts', x)
        return torch.einsum('ncts->ntsc', self.proj(x))


class RefMAMPEncoder(nn.Module):
    """Reference encoder; forward(x (N, C, T, V, M)) -> (N, M, TP, VP, D)."""

    def __init__(self, dim_feat, depth, num_heads, num_frames, num_joints=25,
                 t_patch_size=4):
        super().__init__()
        self.joints_embed = RefSkeleEmbed(3, dim_feat, t_patch_size)
        self.blocks = nn.ModuleList(
            [RefBlock(dim_feat, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim_feat)
        self.temp_embed = nn.Parameter(
            torch.zeros(1, num_frames // t_patch_size, 1, dim_feat))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1, num_joints, dim_feat))

    def forward(self, x):
        N, C, T, V, M = x.shape
        x = x.permute(0, 4, 2, 3, 1).contiguous().view(N * M, T, V, C)
        x = self.joints_embed(x)
        NM, TP, VP, _ = x.shape
        x = x + self.pos_embed[:, :, :VP, :] + self.temp_embed[:, :TP, :, :]
        x = x.reshape(NM, TP * VP, -1)
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x)
        return x.reshape(N, M, TP, VP, -1)


# --------------------------------------------------------------------------
@pytest.fixture(scope='module')
def tool():
    return load_tool()


@pytest.fixture
def mamp_source(tmp_path):
    """A synthetic published MAMP checkpoint and the model it came from."""
    torch.manual_seed(0)
    model = build_model(MAMP_CONFIG, MAMP_OPTIONS)
    model.load_state_dict(randomised_state_dict(model))
    reference = ours_to_reference(model.state_dict(), 'mamp')
    path = tmp_path / 'mamp_ntu60_xsub.pth'
    # What MAMP's main_pretrain.py saves: the weights under 'model', the
    # optimizer state, the epoch and the argparse arguments.
    torch.save(
        dict(
            model=reference,
            optimizer={},
            epoch=399,
            args=argparse.Namespace(mask_ratio=0.9)), path)
    return path, reference, model


@pytest.fixture
def stars_source(tmp_path):
    """A synthetic published STARS stage-2 checkpoint (flat state dict)."""
    torch.manual_seed(1)
    model = MODELS.build(STARS_MODEL)
    model.load_state_dict(randomised_state_dict(model))
    reference = ours_to_reference(model.state_dict(), 'stars')
    path = tmp_path / 'stars_ntu60_xsub.pth'
    torch.save(reference, path)
    return path, reference, model


def test_reference_key_names_of_synthetic_checkpoints(mamp_source,
                                                      stars_source):
    _, mamp, _ = mamp_source
    assert mamp['joints_embed.proj.weight'].shape == (DIMS, 3, 4, 1)
    assert mamp['pos_embed'].shape == (1, 1, 25, DIMS)
    assert mamp['temp_embed'].shape == (1, FRAMES // 4, 1, DIMS)
    assert mamp['mask_token'].shape == (1, 1, DIMS)
    assert mamp['decoder_pred.weight'].shape == (4 * 3, DIMS)
    assert {'blocks.1.attn.qkv.weight', 'norm.bias',
            'decoder_blocks.0.mlp.fc2.bias', 'decoder_norm.weight',
            'decoder_pos_embed', 'decoder_temp_embed',
            'decoder_embed.weight'} <= set(mamp)
    _, stars, _ = stars_source
    assert stars['queue'].shape == (DIMS, BANK)
    assert stars['queue_ptr'].shape == (1, )
    assert stars['queue_id'].shape == (BANK, )
    assert stars['encoder_student.head.predictor.0.weight'].shape == (24,
                                                                       DIMS)
    assert 'encoder_student.head.projector.0.running_var' in stars
    assert not any(k.startswith(('backbone', 'contrastive_head'))
                   for k in stars)


def test_mamp_converts_and_loads_strictly(tool, mamp_source, tmp_path):
    src, reference, source_model = mamp_source
    dst = tmp_path / 'out' / 'mamp_mmengine.pth'
    tool.main([str(src), str(dst), '--config', MAMP_CONFIG] +
              cli_options(MAMP_OPTIONS))
    ckpt = torch.load(dst, map_location='cpu', weights_only=True)
    assert ckpt['meta']['reference_kind'] == 'mamp'
    assert ckpt['meta']['target_config'] == osp.relpath(MAMP_CONFIG, ROOT)
    model = build_model(MAMP_CONFIG, MAMP_OPTIONS)
    result = model.load_state_dict(ckpt['state_dict'], strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert torch.equal(model.backbone.blocks[1].attn.qkv.weight,
                       reference['blocks.1.attn.qkv.weight'])
    assert torch.equal(model.mamp_head.decoder.mask_token,
                       reference['mask_token'])

    x = torch.randn(2, 2, FRAMES, 25, 3)
    model.eval()
    source_model.eval()
    with torch.no_grad():
        torch.testing.assert_close(model.backbone(x), source_model.backbone(x))


def test_encoder_matches_reference_forward(tool, mamp_source, tmp_path):
    """Equal weights: our encoder gives the reference's output."""
    src, reference, _ = mamp_source
    dst = tmp_path / 'mamp_mmengine.pth'
    tool.main([str(src), str(dst), '--kind', 'mamp', '--config',
               MAMP_CONFIG] + cli_options(MAMP_OPTIONS))
    ours = build_model(MAMP_CONFIG, MAMP_OPTIONS)
    ours.load_state_dict(
        torch.load(dst, map_location='cpu', weights_only=True)['state_dict'])
    ref = RefMAMPEncoder(DIMS, depth=2, num_heads=HEADS, num_frames=FRAMES)
    encoder_keys = set(ref.state_dict())
    ref.load_state_dict({k: reference[k]
                         for k in encoder_keys}, strict=True)
    ours.eval()
    ref.eval()
    x = torch.randn(3, 2, FRAMES, 25, 3)  # (N, M, T, V, C), ours
    with torch.no_grad():
        out_ours = ours.backbone(x)  # (N, M, D, T', V)
        out_ref = ref(x.permute(0, 4, 2, 3, 1))  # input (N, C, T, V, M)
    assert out_ref.shape == (3, 2, FRAMES // 4, 25, DIMS)
    torch.testing.assert_close(
        out_ours, out_ref.permute(0, 1, 4, 2, 3), rtol=1e-5, atol=1e-5)
    # The pooled feature the KNN protocol uses matches the reference's
    # mean over persons and tokens.
    with torch.no_grad():
        pooled = ours.extract_feat(x[:, None])[:, 0]
    torch.testing.assert_close(
        pooled, out_ref.mean(dim=(1, 2, 3)), rtol=1e-5, atol=1e-5)


def test_stars_converts_with_queue_transposed(tool, stars_source,
                                              stars_config, tmp_path):
    src, reference, source_model = stars_source
    dst = tmp_path / 'stars_mmaction.pth'
    tool.main([str(src), str(dst), '--config', stars_config])  # kind auto
    ckpt = torch.load(dst, map_location='cpu', weights_only=True)
    assert ckpt['meta']['reference_kind'] == 'stars'
    model = MODELS.build(STARS_MODEL)
    result = model.load_state_dict(ckpt['state_dict'], strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    bank = model.contrastive_head.memory_bank
    assert torch.equal(bank.bank, reference['queue'].t())
    assert bank.ptr.shape == () and int(bank.ptr) == int(
        reference['queue_ptr'][0])
    assert torch.equal(bank.sample_idx, reference['queue_id'])
    assert torch.equal(bank.label, torch.full((BANK, ), -1))
    head = model.contrastive_head
    assert torch.equal(head.projector[0].running_mean,
                       reference['encoder_student.head.projector.0.'
                                 'running_mean'])
    assert torch.equal(head.predictor[3].weight,
                       reference['encoder_student.head.predictor.3.weight'])
    x = torch.randn(2, 1, 2, FRAMES, 25, 3)
    model.eval()
    source_model.eval()
    with torch.no_grad():
        torch.testing.assert_close(
            model.extract_feat(x), source_model.extract_feat(x))


def test_wrong_shape_is_refused_naming_the_key(tool, mamp_source, tmp_path):
    src, reference, _ = mamp_source
    reference['blocks.0.attn.qkv.weight'] = torch.zeros(3 * DIMS, DIMS + 1)
    torch.save(dict(model=reference), src)
    dst = tmp_path / 'bad.pth'
    with pytest.raises(SystemExit) as err:
        tool.main([str(src), str(dst), '--config', MAMP_CONFIG] +
                  cli_options(MAMP_OPTIONS))
    message = str(err.value)
    assert 'backbone.blocks.0.attn.qkv.weight (reference ' \
           'blocks.0.attn.qkv.weight): checkpoint (96, 33), model ' \
           '(96, 32)' in message
    assert not dst.exists()


def test_full_size_default_config_refuses_tiny_checkpoint(tool, mamp_source,
                                                          tmp_path):
    src, _, _ = mamp_source
    with pytest.raises(SystemExit) as err:
        tool.main([str(src), str(tmp_path / 'x.pth')])
    message = str(err.value)
    assert 'shape mismatch' in message and 'backbone.pos_embed' in message
    # The default config has 8 encoder blocks: the 2-block checkpoint
    # misses blocks 2 to 7.
    assert "'backbone.blocks.7.norm1.weight'" in message


def test_unknown_key_is_refused_listing_it(tool, mamp_source, tmp_path):
    src, reference, _ = mamp_source
    reference['head.fc.weight'] = torch.zeros(60, DIMS)
    reference['cls_token'] = torch.zeros(1, 1, DIMS)
    torch.save(dict(model=reference), src)
    with pytest.raises(SystemExit) as err:
        tool.main([str(src), str(tmp_path / 'x.pth'), '--config',
                   MAMP_CONFIG] + cli_options(MAMP_OPTIONS))
    assert "2 unknown key(s) in the reference MAMP checkpoint: " \
           "['head.fc.weight', 'cls_token']" in str(err.value)


def test_missing_key_is_refused_listing_it(tool, stars_source, stars_config,
                                           tmp_path):
    src, reference, _ = stars_source
    del reference['encoder_student.head.predictor.1.running_var']
    torch.save(reference, src)
    with pytest.raises(SystemExit) as err:
        tool.main([str(src), str(tmp_path / 'x.pth'), '--config',
                   stars_config])
    assert "missing keys ['contrastive_head.predictor.1.running_var']" in \
        str(err.value)


def test_untrusted_pickle_needs_unsafe_load(tool, stars_source, stars_config,
                                            tmp_path):
    src, reference, _ = stars_source
    torch.save(dict(state_dict=reference, extra=NotATensor()), src)
    with pytest.raises(SystemExit) as err:
        tool.main([str(src), str(tmp_path / 'x.pth'), '--config',
                   stars_config])
    assert '--unsafe-load' in str(err.value)
    tool.main([str(src), str(tmp_path / 'x.pth'), '--unsafe-load',
               '--config', stars_config])
    assert (tmp_path / 'x.pth').is_file()


def test_missing_source_file(tool, tmp_path):
    with pytest.raises(SystemExit) as err:
        tool.main([str(tmp_path / 'nope.pth'), str(tmp_path / 'x.pth')])
    assert 'nope.pth does not exist' in str(err.value)
