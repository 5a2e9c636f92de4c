"""The skeleton transformer encoder of MAMP and STARS."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor, nn

from ..utils.activation_checkpoint import check_cp_scope, run_blocks
from ..utils.partial_tuning import freeze_untuned_layers, num_tuned_blocks
from ..utils.skeleton_patches import (JointsEmbedding, check_sequence,
                                      patchify)
from ..utils.transformer_block import (TransformerBlock,
                                       init_transformer_weights)


@MODELS.register_module()
class MAMPEncoder(BaseModule):
    """Skeleton transformer encoder of MAMP (Mao et al., ICCV 2023).

    Each token is one joint over ``t_patch_size`` frames; tokens get
    factorised joint and time embeddings and pass through pre-norm
    transformer blocks. Persons are independent sequences.

    Called with ``mask=False`` (evaluation, STARS tuning) it returns per-token
    features shaped (N, M, C, T', V), the layout of mmaction2's GCN backbones,
    so that mmaction2's ``GCNHead`` pools it. Called with ``mask=True``
    (MAMP pre-training) it keeps ``1 - mask_ratio`` of the tokens, chosen by
    :meth:`motion_aware_masking`, and returns the kept tokens with the mask.

    Args:
        in_channels (int): Coordinates per joint. Defaults to 3.
        embed_dims (int): Token width. Defaults to 256.
        depth (int): Number of transformer blocks. Defaults to 8.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): MLP hidden width over ``embed_dims``.
            Defaults to 4.
        num_frames (int): Frames of the input. Defaults to 120.
        num_joints (int): Joints per person. Defaults to 25.
        t_patch_size (int): Frames per token. Defaults to 4.
        qkv_bias (bool): Whether the qkv projection has a bias.
            Defaults to True.
        drop_rate (float): Dropout after attention and MLP. Defaults to 0.
        attn_drop_rate (float): Attention dropout. Defaults to 0.
        drop_path_rate (float): Stochastic depth of the last block, linearly
            increasing from 0 over the blocks. Defaults to 0.
        mask_ratio (float): Fraction of tokens masked in pre-training.
            Defaults to 0.9.
        motion_aware_tau (float): Temperature of motion-aware masking; 0 means
            uniform random masking (the naive-MAE ablation). Defaults to 0.8.
        tune_ratio (float): Proportion of the blocks that train, the last
            ones: ``n = floor(depth * tune_ratio + 0.5)``. The other blocks,
            the embeddings (unless ``n == depth``) and the final norm (when
            ``n == 0``) are frozen here, when the encoder is built (before
            DDP wraps the model), and stay in eval mode. 0 freezes the whole
            encoder (linear evaluation), 0.5 is STARS' second half.
            Defaults to 1.0.
        with_cp (bool): Activation checkpointing of the blocks that train,
            to trade compute for memory at large batch. Defaults to False.
        cp_scope (str): What checkpointing recomputes: ``'block'``,
            ``'mlp'`` or ``'selective'`` (see :func:`run_blocks`).
            Defaults to ``'block'``.
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to None (the reference initialisation).
    """

    def __init__(self,
                 in_channels: int = 3,
                 embed_dims: int = 256,
                 depth: int = 8,
                 num_heads: int = 8,
                 mlp_ratio: float = 4.,
                 num_frames: int = 120,
                 num_joints: int = 25,
                 t_patch_size: int = 4,
                 qkv_bias: bool = True,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 mask_ratio: float = 0.9,
                 motion_aware_tau: float = 0.8,
                 tune_ratio: float = 1.,
                 with_cp: bool = False,
                 cp_scope: str = 'block',
                 init_cfg: Optional[Union[dict, Sequence[dict]]] = None
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_frames % t_patch_size != 0:
            raise ValueError(f'num_frames={num_frames} must be a multiple of '
                             f't_patch_size={t_patch_size}')
        if not 0 <= mask_ratio < 1:
            raise ValueError(f'mask_ratio must be in [0, 1), got {mask_ratio}')
        if motion_aware_tau < 0:
            raise ValueError('motion_aware_tau must be >= 0 (0 = random '
                             f'masking), got {motion_aware_tau}')
        self.in_channels = in_channels
        self.embed_dims = embed_dims
        self.depth = depth
        self.num_frames = num_frames
        self.num_joints = num_joints
        self.t_patch_size = t_patch_size
        self.mask_ratio = mask_ratio
        self.motion_aware_tau = motion_aware_tau
        self.tune_ratio = tune_ratio
        self.num_tuned_blocks = num_tuned_blocks(depth, tune_ratio)
        check_cp_scope(cp_scope)
        self.with_cp = with_cp
        self.cp_scope = cp_scope

        self.joints_embed = JointsEmbedding(in_channels, embed_dims,
                                            t_patch_size)
        self.pos_embed = nn.Parameter(
            torch.zeros(1, 1, num_joints, embed_dims))
        self.temp_embed = nn.Parameter(
            torch.zeros(1, num_frames // t_patch_size, 1, embed_dims))
        drop_path_rates = torch.linspace(0, drop_path_rate, depth).tolist()
        self.blocks = nn.ModuleList([
            TransformerBlock(embed_dims, num_heads, mlp_ratio, qkv_bias,
                             drop_rate, attn_drop_rate, rate)
            for rate in drop_path_rates
        ])
        self.norm = nn.LayerNorm(embed_dims)
        freeze_untuned_layers(list(self.named_parameters()),
                              lambda name: self.get_layer_depth(name)[0],
                              depth, self.num_tuned_blocks)

    @property
    def num_layers(self) -> int:
        """Layers in the layer-decay sense: embeddings, blocks, final norm."""
        return self.depth + 2

    def init_weights(self) -> None:
        """Reference initialisation, unless ``init_cfg`` loads weights."""
        if self.init_cfg is not None:
            # An explicit initialisation, e.g. ``Pretrained`` weights.
            super().init_weights()
            return
        trunc_normal_(self.pos_embed, std=.02)
        trunc_normal_(self.temp_embed, std=.02)
        self.apply(init_transformer_weights)
        weight = self.joints_embed.proj.weight
        nn.init.xavier_uniform_(weight.view(weight.shape[0], -1))
        nn.init.zeros_(self.joints_embed.proj.bias)

    def train(self, mode: bool = True) -> 'MAMPEncoder':
        """Keep the frozen layers (see ``tune_ratio``) in eval mode."""
        super().train(mode and self.num_tuned_blocks > 0)
        n_frozen = self.depth - self.num_tuned_blocks
        for block in self.blocks[:n_frozen]:
            block.train(False)
        if n_frozen:
            self.joints_embed.train(False)
        if n_frozen == self.depth:
            self.norm.train(False)
        return self

    def get_layer_depth(self, param_name: str,
                        prefix: str = '') -> Tuple[int, int]:
        """Layer of a parameter, for layer-wise learning-rate decay.

        Follows mmpretrain's protocol: the embeddings are layer 0, block ``i``
        is layer ``i + 1`` and the final norm is layer ``depth + 1``.

        Args:
            param_name (str): Name of the parameter.
            prefix (str): Prefix of the encoder's parameters in
                ``param_name``, e.g. ``'backbone.'``. Defaults to ''.

        Returns:
            Tuple[int, int]: The layer id and the number of layers.
        """
        num_layers = self.num_layers
        if not param_name.startswith(prefix):
            return num_layers - 1, num_layers
        name = param_name[len(prefix):]
        if name.startswith(('joints_embed', 'pos_embed', 'temp_embed')):
            return 0, num_layers
        if name.startswith('blocks.'):
            return int(name.split('.')[1]) + 1, num_layers
        return num_layers - 1, num_layers

    def patchify(self, x: Tensor) -> Tensor:
        """Split (B, T, V, C) sequences into (B, T' * V, t_patch * C)."""
        return patchify(x, self.t_patch_size)

    def embed_tokens(self, x: Tensor) -> Tensor:
        """Embed (B, T, V, C) sequences into (B, T', V, D) positioned tokens.
        """
        check_sequence(x, self.num_frames, self.num_joints, self.in_channels,
                       self.t_patch_size)
        tokens = self.joints_embed(x)
        _, TP, VP, _ = tokens.shape
        return (tokens + self.pos_embed[:, :, :VP] +
                self.temp_embed[:, :TP])

    def motion_aware_masking(
            self, tokens: Tensor,
            patches: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Keep ``1 - mask_ratio`` of the tokens, masking moving ones first.

        The motion of a token is the mean absolute difference between its
        patch and the previous segment's patch of the same joint (the first
        segment copies the second). Masking samples tokens without
        replacement with probability ``softmax(motion / (max * tau))``, by
        Gumbel-top-k; with ``motion_aware_tau == 0`` it is uniform.

        Args:
            tokens (Tensor): Embedded tokens of shape (B, L, D).
            patches (Tensor): Raw patches of shape (B, T', V, P).

        Returns:
            Tuple[Tensor, Tensor, Tensor]: The kept tokens (B, L_keep, D),
            the binary mask (B, L) with 1 for masked tokens, and
            ``ids_restore`` (B, L) that undoes the keep-first shuffle.
        """
        B, L, D = tokens.shape
        # The reference's count, truncated in floating point: 74 of 750
        # tokens at mask_ratio 0.9 (750 * (1 - 0.9) = 74.99999999999999).
        num_keep = int(L * (1 - self.mask_ratio))
        if num_keep < 1:
            raise ValueError(f'mask_ratio={self.mask_ratio} keeps no token of '
                             f'{L}: expected int({L} * (1 - mask_ratio)) >= 1')
        uniform = torch.rand(B, L, device=tokens.device)
        if self.motion_aware_tau > 0:
            motion = torch.zeros_like(patches)
            motion[:, 1:] = (patches[:, 1:] - patches[:, :-1]).abs()
            motion[:, 0] = motion[:, 1]
            motion = motion.mean(dim=-1).reshape(B, L)
            scale = motion.amax(dim=-1, keepdim=True) * self.motion_aware_tau
            prob = F.softmax(motion / (scale + 1e-10), dim=-1)
            # Gumbel-top-k: the largest log p + Gumbel noise are masked, which
            # samples masked tokens without replacement in proportion to p.
            noise = torch.log(prob) - torch.log(-torch.log(uniform + 1e-10) +
                                                1e-10)
        else:
            noise = uniform
        ids_shuffle = torch.argsort(noise, dim=1)  # ascending: keep first
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        ids_keep = ids_shuffle[:, :num_keep]
        kept = torch.gather(
            tokens, 1, ids_keep.unsqueeze(-1).expand(-1, -1, D))
        mask = torch.ones(B, L, device=tokens.device)
        mask[:, :num_keep] = 0
        mask = torch.gather(mask, 1, ids_restore)
        return kept, mask, ids_restore

    def forward_encoder(self, x: Tensor,
                        mask: bool = False) -> Union[Tensor, Tuple]:
        """Encode person sequences.

        Args:
            x (Tensor): Sequences of shape (B, T, V, C), one person each.
            mask (bool): Whether to mask tokens (pre-training).
                Defaults to False.

        Returns:
            Tensor or tuple: Without masking, tokens (B, T', V, D). With
            masking, the kept tokens (B, L_keep, D), the mask (B, L) and
            ``ids_restore`` (B, L).
        """
        tokens = self.embed_tokens(x)
        B, TP, VP, D = tokens.shape
        tokens = tokens.reshape(B, TP * VP, D)
        if mask:
            patches = self.patchify(x).reshape(B, TP, VP, -1)
            tokens, token_mask, ids_restore = self.motion_aware_masking(
                tokens, patches)
        tokens = run_blocks(self.blocks, tokens, self.with_cp, self.cp_scope)
        tokens = self.norm(tokens)
        if mask:
            return tokens, token_mask, ids_restore
        return tokens.reshape(B, TP, VP, D)

    def forward(self, x: Tensor, mask: bool = False) -> Union[Tensor, Tuple]:
        """Encode multi-person skeleton clips.

        Args:
            x (Tensor): Clips of shape (N, M, T, V, C), the layout mmaction2's
                ``RecognizerGCN`` passes to its backbone.
            mask (bool): Whether to mask tokens (pre-training).
                Defaults to False.

        Returns:
            Tensor or tuple: Without masking, features of shape
            (N, M, D, T', V). With masking, see :meth:`forward_encoder`
            (persons flattened into the batch, N * M sequences).
        """
        if x.dim() != 5:
            raise ValueError('MAMPEncoder expects clips of shape (N, M, T, V, '
                             f'C), got a tensor of shape {tuple(x.shape)}')
        N, M, T, V, C = x.shape
        out = self.forward_encoder(x.reshape(N * M, T, V, C), mask=mask)
        if mask:
            return out
        _, TP, VP, D = out.shape
        return out.reshape(N, M, TP, VP, D).permute(0, 1, 4, 2, 3)
